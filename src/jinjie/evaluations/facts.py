"""The facts of a whole scope for one period, in a handful of queries (SPEC 2.1; ARCHITECTURE 10).

One query per kind of record, whatever the number of employees: the employees themselves (with
their latest rank change as two correlated sub-selects), the three monthly scores, the 考试
records of the last twelve months, the ability scores of the period, and the violations and
contributions dated in it. Rows come back as tuples (`values_list`), never model instances, and
the scope is a join on the employee and its org unit's stored path — never a Python list of ids,
which would hit SQLite's limit on bound parameters for a large bureau.

The same loader serves the quarterly run (a whole org subtree) and the self-service gap (one
employee): there is one implementation of "what the engine is told".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.org.models import OrgUnit
from jinjie.people.models import (
    Contribution,
    Employee,
    RankChange,
    Status,
    TrainingKind,
    TrainingRecord,
    Violation,
)
from jinjie.rules.calendar import Period
from jinjie.rules.evaluate import LadderFacts
from jinjie.rules.ladder import LADDER_TRACKS, RANKS

__all__ = ["LoadedFacts", "load_ladder_facts", "ladder_scope_filter"]

_RANK_STEP = {name: i for i, name in enumerate(RANKS)}


@dataclass
class LoadedFacts:
    """The engine's input for a scope: employee id → facts, plus the employees it cannot evaluate.

    `facts` keeps the employees' order (by employee_no), so runs and exports are reproducible.
    `invalid` lists (employee id, employee_no, Chinese reason) for rows the engine must not see,
    e.g. a 客户经理 whose stored rank is not a rank of the ladder.
    """

    facts: dict[int, LadderFacts] = field(default_factory=dict)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.facts)


def ladder_scope_filter(*, org_unit: OrgUnit | None = None, employee_id: int | None = None, prefix: str = "") -> Q:
    """Who the quarterly evaluation covers: active (在岗) customer managers and market administrators.

    `prefix` ('employee__') applies the same condition to a record table through its employee,
    so every query of a run selects exactly the same people.
    """
    q = Q(**{f"{prefix}status": Status.ACTIVE, f"{prefix}track__in": LADDER_TRACKS})
    if org_unit is not None:
        q &= org_unit.subtree_filter(prefix=f"{prefix}org_unit__")
    if employee_id is not None:
        q &= Q(**{f"{prefix}pk" if not prefix else f"{prefix}id": employee_id})
    return q


def _employees(scope: Q) -> QuerySet:
    latest = RankChange.objects.filter(employee=OuterRef("pk")).order_by("-effective_date", "-id")
    return (
        Employee.objects.filter(scope)
        .annotate(
            last_from=Subquery(latest.values("from_rank")[:1]),
            last_to=Subquery(latest.values("to_rank")[:1]),
        )
        .order_by("employee_no")
        .values_list(
            "pk",
            "employee_no",
            "track",
            "current_rank",
            "role_start_date",
            "education",
            "vocational_level",
            "rank_since",
            "last_from",
            "last_to",
        )
    )


def _was_demotion(from_rank: str | None, to_rank: str | None) -> bool:
    """Was this rank change a demotion on the ladder? (SPEC 2.3, 连续两次降级.)

    An empty from_rank is 见习 (SPEC 6); a change from or to a monopoly level is not a ladder move.
    """
    if to_rank is None:
        return False
    start = _RANK_STEP.get(from_rank or "见习")
    end = _RANK_STEP.get(to_rank)
    return start is not None and end is not None and end < start


def _grouped(rows: Iterable[tuple], key: Callable = lambda r: r[0]) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for row in rows:
        out[key(row)].append(row[1:])
    return out


def load_ladder_facts(
    *, period: Period, org_unit: OrgUnit | None = None, employee_id: int | None = None
) -> LoadedFacts:
    """LadderFacts for everyone the evaluation of `period` covers in `org_unit`'s subtree (or all).

    With `employee_id`, the same queries restricted to that employee (self-service gap). An
    employee outside the evaluation (left, or a 专卖管理员) gives an empty result.
    """
    emp_scope = ladder_scope_filter(org_unit=org_unit, employee_id=employee_id)
    rec_scope = ladder_scope_filter(org_unit=org_unit, employee_id=employee_id, prefix="employee__")
    start, boundary = period.start, period.boundary

    month_index = {m: i for i, m in enumerate(period.months)}
    scores: dict[int, list[Decimal | None]] = {}
    for emp, month, score in MonthlyScore.objects.filter(rec_scope, month__in=period.months).values_list(
        "employee_id", "month", "score"
    ):
        slots = scores.get(emp)
        if slots is None:
            slots = scores[emp] = [None, None, None]
        slots[month_index[month]] = score

    # 考试 records of [boundary − 12 months, boundary); a record without a score carries no
    # training score (the engine picks the most recent dated one, the highest on that date).
    exams = _grouped(
        TrainingRecord.objects.filter(
            rec_scope,
            kind=TrainingKind.EXAM,
            date__gte=period.lookback_start,
            date__lt=boundary,
            score__isnull=False,
        ).values_list("employee_id", "date", "score")
    )
    ability = dict(
        AbilityScore.objects.filter(rec_scope, period=str(period)).values_list("employee_id", "score")
    )
    violations = _grouped(
        Violation.objects.filter(rec_scope, date__gte=start, date__lt=boundary).values_list("employee_id", "date")
    )
    contributions = _grouped(
        Contribution.objects.filter(rec_scope, date__gte=start, date__lt=boundary).values_list(
            "employee_id", "date"
        )
    )

    loaded = LoadedFacts()
    no_scores = (None, None, None)
    for pk, no, track, rank, role_start, education, vocational, rank_since, last_from, last_to in _employees(
        emp_scope
    ):
        step = _RANK_STEP.get(rank or "见习")
        if step is None:
            loaded.invalid.append((pk, no, f"当前职级“{rank}”不是{track}的职级，无法测评"))
            continue
        slots = scores.get(pk)
        loaded.facts[pk] = LadderFacts(
            employee_no=no,
            track=track,
            step=step,
            scores=tuple(slots) if slots is not None else no_scores,
            role_start_date=role_start,
            education=education or None,
            vocational_level=vocational or None,
            exams=tuple((d, s) for d, s in exams.get(pk, ())),
            ability=ability.get(pk),
            violation_dates=tuple(d for (d,) in violations.get(pk, ())),
            contribution_dates=tuple(d for (d,) in contributions.get(pk, ())),
            rank_since=rank_since,
            previous_change_was_demotion=_was_demotion(last_from, last_to),
        )
    return loaded

