"""Which rule holds people back (SPEC 9): for each rank r, how many of those one step below failed
each of r's entry criteria in a period.

The figures come from the proposals' stored reasons — the engine's own explanation, with every
criterion's verdict — not from a new run. Which outcomes carry r's criteria (rules/evaluate.py):
a hold at r−1 lists the entry criteria of r (after the demotion checks and the gates), and so
does a one-step promotion to r (all passed). Three outcomes at r−1 do not, and are counted apart:
数据不全 (no criterion is checked without the three scores), 降档/降级 (judged against the keep
line and the level floor, not against r), and 跳档/跳级 (judged against r+1). Re-running the
engine for those would mean loading every fact of the scope (seconds at 100,000 employees) and
could disagree with what the evaluation said, so they are reported as counts, not guessed.

Entry criteria are the top-level criteria of r in the rule book each proposal was computed with
(a group such as "36 个月，或 24 个月且大专" is one criterion); their labels and requirements are
the book's. Who was judged comes from the outcomes' counts (outcomes.py); only the failures are
read from the JSON — by the database (json_each on SQLite, jsonb_array_elements on PostgreSQL),
of the holds only, since a one-step promotion passed every criterion — and cached (cache.py).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection

from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
from jinjie.org.models import User
from jinjie.people.models import Employee
from jinjie.rulebooks.models import RuleBook
from jinjie.rulebooks.selectors import parsed_rulebook
from jinjie.rules.calendar import Period
from jinjie.rules.ladder import RANKS

from .cache import proposal_rows, remember
from .charts import Chart, Report, percent
from .outcomes import DEMOTIONS, period_outcomes
from .scope import Scope, report_scope

__all__ = ["JUDGED_MOVES", "held_back"]

# The outcomes at r−1 whose reasons list r's entry criteria.
JUDGED_MOVES = ("hold", "grade_up", "level_up")
_SKIPS = ("skip_grade", "skip_level")


def _sql(units: int) -> str:
    qn = connection.ops.quote_name
    p, e = qn(Proposal._meta.db_table), qn(Employee._meta.db_table)
    if connection.vendor == "postgresql":
        source = f"{p} p JOIN {e} e ON e.id = p.employee_id CROSS JOIN LATERAL jsonb_array_elements(p.reasons) AS j(value)"
        code, failed = "j.value->>'code'", "(j.value->>'passed')::boolean = false"
    else:
        source = f"{p} p JOIN {e} e ON e.id = p.employee_id, json_each(p.reasons) AS j"
        code, failed = "json_extract(j.value, '$.code')", "json_extract(j.value, '$.passed') = 0"
    return f"""
        SELECT e.org_unit_id, e.track, p.from_rank, p.rulebook_id, {code}, COUNT(*)
        FROM {source}
        WHERE p.kind = %s AND p.period = %s AND p.state <> %s AND p.move = %s AND {failed}
          AND e.org_unit_id IN ({", ".join(["%s"] * units)})
        GROUP BY e.org_unit_id, e.track, p.from_rank, p.rulebook_id, {code}
    """


def _compute(unit_ids: tuple[int, ...], key: str) -> list[tuple]:
    # Only holds can fail an entry criterion: a one-step promotion passed them all.
    params = [ProposalKind.EVALUATION.value, key, ProposalState.SUPERSEDED.value, "hold", *unit_ids]
    with connection.cursor() as cursor:
        cursor.execute(_sql(len(unit_ids)), params)
        return [tuple(r) for r in cursor.fetchall()]


def _failures(scope: Scope, period: Period) -> list[tuple]:
    """(unit id, track, from rank, rule book id, code, how many failed it), cached."""
    key = str(period)
    return remember("criteria", (scope.unit.pk, key), proposal_rows(), lambda: _compute(scope.unit_ids, key))


def _entry_criteria(book_ids: set[int]) -> dict[tuple[int, int], list]:
    """(rule book id, target step) → that rank's entry criteria (the book's nodes, in its order)."""
    out: dict[tuple[int, int], list] = {}
    for book in RuleBook.objects.filter(pk__in=book_ids):
        parsed = parsed_rulebook(book)
        for step in range(1, len(RANKS)):
            out[(book.pk, step)] = list(parsed.ranks[step].criteria)
    return out


def _target(from_rank: str) -> int | None:
    if from_rank not in RANKS or RANKS.index(from_rank) + 1 >= len(RANKS):
        return None
    return RANKS.index(from_rank) + 1


def held_back(
    *, user: User, unit, period: Period, target: str | None = None, track: str | None = None
) -> Report:
    """Failures per entry criterion of each target rank among those one step below it (see module)."""
    scope = report_scope(user=user, unit=unit)
    outcomes = period_outcomes(scope, period, track)
    # Everyone at r−1 judged against r, per rule book: each of them was checked on every criterion.
    judged: dict[tuple[int, int], int] = defaultdict(int)  # (target step, book) → people
    for o in outcomes:
        step = _target(o.from_rank)
        if step is not None and o.move in JUDGED_MOVES and o.rulebook_id is not None:
            judged[(step, o.rulebook_id)] += o.n
    failed: dict[tuple[int, int, str], int] = defaultdict(int)  # (target step, book, code) → failures
    for _, row_track, from_rank, book_id, code, n in _failures(scope, period):
        step = _target(from_rank)
        if step is not None and (track is None or row_track == track):
            failed[(step, book_id, code)] += n
    entry = _entry_criteria({book for _, book in judged})
    wanted = RANKS.index(target) if target in RANKS[1:] else None
    # (target step, code) → [label, {required}, failed, of], criteria in the order the book lists them
    figures: dict[tuple[int, str], list] = {}
    for (step, book_id), people in sorted(judged.items()):
        if wanted is not None and step != wanted:
            continue
        for node in entry.get((book_id, step), []):
            f = figures.setdefault((step, node.code), [node.label, set(), 0, 0])
            f[1].add(node.required)
            f[2] += failed.get((step, book_id, node.code), 0)
            f[3] += people
    table = [
        (RANKS[step], label, "；".join(sorted(required)), of, n, percent(n, of))
        for (step, _), (label, required, n, of) in figures.items()
    ]

    apart = _not_judged(outcomes, wanted)
    note = (
        f"{period.label}测评中，现任 r−1 级者按 r 级任职条件评定的结果（评定依据中的逐项结论）：保持和晋升一步的人都按"
        "上一档的任职条件逐项评定。"
    )
    if apart:
        note += "另有不按上一档条件评定的：" + "；".join(apart) + "。"
    labels = []
    for _, label, *_ in table:
        if label not in labels:
            labels.append(label)
    if wanted is None:
        targets = [r for r in RANKS[1:] if any(t[0] == r for t in table)]
        chart_kind = "heatmap"
        data = {
            "x": labels,
            "y": targets,
            "cells": [[labels.index(t[1]), targets.index(t[0]), float(t[5]) if t[5] is not None else None, t[4], t[3]]
                      for t in table],
            "unit": "%",
        }
        title = f"{period.label}，哪一条任职条件把人挡在了上一档之外？"
    else:
        chart_kind = "grouped_bar"
        data = {
            "categories": labels,
            "series": [{"name": "未达到人数", "data": [t[4] for t in table]}],
            "unit": "人",
        }
        title = f"{period.label}，现任{RANKS[wanted - 1]}的人晋升{RANKS[wanted]}差在哪一条？"
    chart = Chart(
        key="criteria",
        title=title,
        kind=chart_kind,
        columns=("目标职级", "任职条件", "要求", "下一档参评人数", "未达到人数", "未达到比例(%)"),
        rows=tuple(table),
        data=data,
        note=note,
    )
    filters = {"period": str(period), "target": RANKS[wanted] if wanted else "", "track": track or ""}
    return Report("criteria", "任职条件", scope.unit.path, filters, (chart,))


def _not_judged(outcomes, wanted: int | None) -> list[str]:
    """Per target rank, who at r−1 was not judged against r (incomplete, demoted, skipped)."""
    apart: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for o in outcomes:
        if o.from_rank not in RANKS or RANKS.index(o.from_rank) + 1 >= len(RANKS):
            continue
        step = RANKS.index(o.from_rank) + 1
        if wanted is not None and step != wanted:
            continue
        column = 0 if o.move == "incomplete" else 1 if o.move in DEMOTIONS else 2 if o.move in _SKIPS else None
        if column is not None:
            apart[step][column] += o.n
    out = []
    for step in sorted(apart):
        incomplete, demoted, skipped = apart[step]
        parts = [f"数据不全 {incomplete} 人" if incomplete else "", f"降档/降级 {demoted} 人" if demoted else "",
                 f"跳档/跳级 {skipped} 人" if skipped else ""]
        out.append(f"{RANKS[step - 1]}→{RANKS[step]} " + "、".join(p for p in parts if p))
    return out
