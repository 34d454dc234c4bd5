"""The rule-book what-if (试算, SPEC 9): a ladder rule book — typically a draft — run against a past
period beside the book that was in force, before HR publishes it. It writes nothing.

Both runs see the same facts: the period's facts are loaded once in bulk, chunk by chunk (the
evaluation's own loader, evaluations.facts.ladder_fact_chunks) and the pure engine (rules.evaluate) evaluates every
employee twice, with the book in force on the period's start and with the other book. Comparing
them outcome by outcome gives how many outcomes change (to rank, move or the reassignment flag),
which employees, the criterion that differs — the first criterion, in the order the book in force
lists them (then the other book's), whose verdict differs between the two runs; else the first
that only one run checked — and the monthly rank pay after each run's outcomes, each priced with
its own book's pay table (SPEC 2.5).

At 100,000 employees it takes seconds (bench/whatif_bench.py). A request may run it for up to
`settings.JINJIE_WHATIF_MAX_EMPLOYEES` people of the scope; a larger scope is refused with
`WhatIfTooLarge`, and the page offers to run it as a background job (ops.job_kinds "whatif_run",
no bound), whose result is `whatif_summary`. `progress(stage, done, total)` reports as it goes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from jinjie.core.errors import DomainError, NotPermitted
from jinjie.evaluations.facts import ladder_fact_chunks, ladder_scope_filter
from jinjie.org import authority
from jinjie.org.models import OrgUnit, User
from jinjie.people.models import Employee
from jinjie.rulebooks.models import BookKind, RuleBook
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.book import LadderBook
from jinjie.rules.calendar import Period
from jinjie.rules.criteria import Reason
from jinjie.rules.evaluate import Outcome, evaluate
from jinjie.rules.ladder import MOVE_LABELS, MOVES, RANKS

from .charts import Chart

__all__ = [
    "DIFFERENCE_COLUMNS",
    "Difference",
    "Side",
    "WhatIf",
    "WhatIfError",
    "WhatIfTooLarge",
    "difference_rows",
    "first_difference",
    "whatif_chart",
    "whatif_chart_of",
    "whatif_run",
    "whatif_summary",
]

Progress = Callable[[str, int, int], None]
_REPORT_EVERY = 2000


class WhatIfError(DomainError):
    """A what-if that cannot run (Chinese message); nothing was computed, nothing is ever written."""


class WhatIfTooLarge(WhatIfError):
    """A scope above the in-request bound: run it as a background job instead (`whatif_run` kind)."""


@dataclass(frozen=True)
class Side:
    """One employee's outcome under one book."""

    to_rank: str
    move: str
    reassign: bool
    summary: str
    pay: Decimal


@dataclass(frozen=True)
class Difference:
    """An employee whose outcome differs, with the criterion that makes the difference."""

    employee_id: int
    employee_no: str
    name: str
    unit: str  # where in the scope: the path below the scope's unit
    track: str
    from_rank: str
    current: Side
    proposed: Side
    criterion: str  # the criterion's label ("" when no verdict differs, e.g. only the route)
    current_reason: str  # its text under the book in force ("未评定" when that run did not check it)
    proposed_reason: str

    @property
    def pay_difference(self) -> Decimal:
        return self.proposed.pay - self.current.pay


@dataclass
class WhatIf:
    period: Period
    org_unit: OrgUnit | None
    book: RuleBook  # the book tried
    in_force: RuleBook
    evaluated: int = 0
    counts_current: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MOVES, 0))
    counts_proposed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MOVES, 0))
    pay_current: Decimal = Decimal(0)  # monthly rank pay after the outcomes, all evaluated
    pay_proposed: Decimal = Decimal(0)
    differences: list[Difference] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (employee_no, reason) not evaluated
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return len(self.differences)

    @property
    def pay_difference(self) -> Decimal:
        return self.pay_proposed - self.pay_current


def first_difference(current: tuple[Reason, ...], proposed: tuple[Reason, ...]) -> tuple[Reason | None, Reason | None]:
    """The first criterion whose verdict differs (see the module's docstring): (reason under the
    book in force, reason under the other book); one side None when only the other checked it."""
    mine = {r.code: r for r in reversed(current)}  # the first of a code wins
    theirs = {r.code: r for r in reversed(proposed)}
    codes = [r.code for r in current] + [r.code for r in proposed if r.code not in mine]
    for code in codes:
        a, b = mine.get(code), theirs.get(code)
        if a is not None and b is not None and a.passed != b.passed:
            return a, b
    for code in codes:
        a, b = mine.get(code), theirs.get(code)
        if (a is None) != (b is None):
            return a, b
    return None, None


def _ladder(book: RuleBook) -> LadderBook:
    if book.kind != BookKind.LADDER:
        raise WhatIfError("只能试算客户经理/市场管理员职级标准（专卖管理员等级申报条件不参加季度测评）")
    return parsed_rulebook(book)  # a draft is parsed (and validated) here: RuleBookError is Chinese


def _scope(actor: User | None, org_unit: OrgUnit | None) -> OrgUnit | None:
    if actor is None:
        return org_unit  # the command line / a job started by the operator
    if org_unit is None and not actor.is_superuser:
        org_unit = actor.org_unit
        if org_unit is None:
            raise NotPermitted("您的账号没有设置所属单位(数据范围)，请联系人事劳资")
    authority.require(actor, "reports.whatif", org_unit)
    return org_unit


def whatif_run(
    *,
    book: RuleBook,
    period: Period,
    org_unit: OrgUnit | None = None,
    actor: User | None = None,
    progress: Progress | None = None,
    max_employees: int | None = -1,
) -> WhatIf:
    """Evaluate `period` in `org_unit`'s subtree with `book` beside the book in force; write nothing.

    `max_employees`: refuse a larger scope (default: settings.JINJIE_WHATIF_MAX_EMPLOYEES; None: no
    bound, for a background job or the benchmark). Raises WhatIfError / NotPermitted (Chinese).
    """
    started = time.perf_counter()
    org_unit = _scope(actor, org_unit)
    proposed_book = _ladder(book)
    try:
        in_force_row = rulebook_in_force(kind=BookKind.LADDER, on=period.start)
    except NoRuleBookError as e:
        raise WhatIfError(str(e)) from None
    current_book = parsed_rulebook(in_force_row)
    bound = settings.JINJIE_WHATIF_MAX_EMPLOYEES if max_employees == -1 else max_employees
    if bound is not None:
        size = Employee.objects.filter(ladder_scope_filter(org_unit=org_unit)).count()
        if size > bound:
            where = org_unit.path if org_unit is not None else "全部单位"
            raise WhatIfTooLarge(
                f"“{where}”有 {size:,} 名参加测评的员工，超过页面内即时试算的上限 {bound:,} 人：可以在后台试算，"
                "或选择下级单位分别试算"
            )
    report = progress or (lambda stage, done, total: None)

    report("读取数据", 0, 0)
    # Chunk by chunk, as the evaluation reads them: only the changed employees' few facts are kept.
    total = Employee.objects.filter(ladder_scope_filter(org_unit=org_unit)).count()
    result = WhatIf(period=period, org_unit=org_unit, book=book, in_force=in_force_row, evaluated=0)
    problems: list[tuple[str, str]] = []
    pay_now = {r: current_book.pay_for(i) for i, r in enumerate(RANKS)}
    pay_new = {r: proposed_book.pay_for(i) for i, r in enumerate(RANKS)}
    changed: list[tuple[int, Outcome, Outcome]] = []
    who: dict[int, tuple[str, str, int]] = {}  # changed employee → (employee_no, track, step)
    report("试算", 0, total)
    counts_now, counts_new = result.counts_current, result.counts_proposed
    pay_current = pay_proposed = Decimal(0)
    done = evaluated = 0
    for loaded in ladder_fact_chunks(period=period, org_unit=org_unit):
        problems += [(no, message) for _, no, message in loaded.invalid]
        done += len(loaded.invalid) + len(loaded.managers)
        for employee_id, facts in loaded.facts.items():
            now = evaluate(facts, period, current_book)
            new = evaluate(facts, period, proposed_book)
            counts_now[now.move] += 1
            counts_new[new.move] += 1
            pay_current += pay_now[RANKS[now.to_step]]
            pay_proposed += pay_new[RANKS[new.to_step]]
            if (now.to_step, now.move, now.reassign) != (new.to_step, new.move, new.reassign):
                changed.append((employee_id, now, new))
                who[employee_id] = (facts.employee_no, facts.track, facts.step)
            done += 1
            evaluated += 1
            if done % _REPORT_EVERY == 0:
                report("试算", done, total)
        del loaded  # let go before the next chunk is read
    report("试算", total, total)
    result.evaluated = evaluated
    result.problems = sorted(problems)
    result.pay_current, result.pay_proposed = pay_current, pay_proposed
    result.differences = _differences(changed, who, pay_now, pay_new, org_unit)
    result.seconds = time.perf_counter() - started
    return result


def _side(outcome: Outcome, pay: dict[str, Decimal]) -> Side:
    return Side(RANKS[outcome.to_step], outcome.move, outcome.reassign, outcome.summary, pay[RANKS[outcome.to_step]])


def _unit_label(path: str, scope: OrgUnit | None) -> str:
    # Where in the scope: "白沙县局" for a city's what-if, the scope's own name for its own people.
    if scope is None:
        return path
    return path[len(scope.path) + 1 :] or scope.name


def _differences(changed, who, pay_now, pay_new, scope: OrgUnit | None) -> list[Difference]:
    # Names and units of the changed employees only: by id, in chunks (SQLite's bound parameters).
    ids = [employee_id for employee_id, _, _ in changed]
    people: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 900):
        people.update(
            (pk, (name, path))
            for pk, name, path in Employee.objects.filter(pk__in=ids[i : i + 900]).values_list("pk", "name", "org_unit__path")
        )
    out = []
    for employee_id, now, new in changed:
        a, b = first_difference(now.reasons, new.reasons)
        shown = a or b
        employee_no, track, step = who[employee_id]
        name, path = people.get(employee_id, ("", ""))
        out.append(
            Difference(
                employee_id=employee_id,
                employee_no=employee_no,
                name=name,
                unit=_unit_label(path, scope),
                track=track,
                from_rank=RANKS[step],
                current=_side(now, pay_now),
                proposed=_side(new, pay_new),
                criterion=shown.label if shown else "",
                current_reason=a.text if a else ("未评定" if shown else ""),
                proposed_reason=b.text if b else ("未评定" if shown else ""),
            )
        )
    out.sort(key=lambda d: d.employee_no)
    return out


# --- as a chart and a table (the page, the export and the API) -------------------------------------

DIFFERENCE_COLUMNS = (
    "工号", "姓名", "单位", "岗位序列", "原职级", "现行标准结果", "新标准结果", "不同的条件", "现行标准", "新标准",
    "月职级工资增减(元)",
)


def _outcome_text(side: Side) -> str:
    text = f"{MOVE_LABELS[side.move]} {side.to_rank}"
    return text + "（建议调整岗位）" if side.reassign else text


def difference_rows(result: WhatIf):
    for d in result.differences:
        yield (
            d.employee_no, d.name, d.unit, d.track, d.from_rank, _outcome_text(d.current), _outcome_text(d.proposed),
            d.criterion or "—", d.current_reason, d.proposed_reason, d.pay_difference.quantize(Decimal("0.01")),
        )


def whatif_chart(result: WhatIf) -> Chart:
    """The outcomes per move under each book, as bars beside each other, with their table."""
    return whatif_chart_of(whatif_summary(result))


def whatif_summary(result: WhatIf, *, rows_kept: int = 0) -> dict:
    """The what-if as JSON values: what a background job keeps and its page shows (the chart, the
    totals, the problems and up to `rows_kept` of the difference rows, as text)."""
    rows = []
    for row in difference_rows(result):
        if len(rows) >= rows_kept:
            break
        rows.append([str(v) for v in row])
    return {
        "book_id": result.book.pk,
        "book_version": result.book.version,
        "in_force_version": result.in_force.version,
        "period": str(result.period),
        "period_label": result.period.label,
        "org_unit_id": result.org_unit.pk if result.org_unit is not None else None,
        "org_unit": result.org_unit.path if result.org_unit is not None else "全部单位",
        "evaluated": result.evaluated,
        "changed": result.changed,
        "counts_current": dict(result.counts_current),
        "counts_proposed": dict(result.counts_proposed),
        "pay_current": str(result.pay_current.quantize(Decimal("0.01"))),
        "pay_proposed": str(result.pay_proposed.quantize(Decimal("0.01"))),
        "pay_difference": str(result.pay_difference.quantize(Decimal("0.01"))),
        "problems": [list(p) for p in result.problems[:100]],
        "problems_total": len(result.problems),
        "columns": list(DIFFERENCE_COLUMNS),
        "rows": rows,
        "seconds": round(result.seconds, 2),
    }


def whatif_chart_of(summary: dict) -> Chart:
    """`whatif_chart` from a summary (`whatif_summary`): the page's chart and a job's, one drawing."""
    now, new = summary["counts_current"], summary["counts_proposed"]
    current, tried = f"现行标准 v{summary['in_force_version']}", f"试算标准 v{summary['book_version']}"
    rows = tuple((MOVE_LABELS[m], now.get(m, 0), new.get(m, 0), new.get(m, 0) - now.get(m, 0)) for m in MOVES)
    return Chart(
        key="whatif",
        title=f"按 v{summary['book_version']} 评定 {summary['period_label']}，各类结果各有多少人？",
        kind="grouped_bar",
        columns=("变动", current, tried, "增减"),
        rows=rows,
        data={
            "categories": [r[0] for r in rows],
            "series": [
                {"name": current, "data": [r[1] for r in rows]},
                {"name": tried, "data": [r[2] for r in rows]},
            ],
            "unit": "人",
        },
        note=f"{summary['evaluated']} 人，两套标准用同一份数据（{summary['period']} 的考核、培训、能力测评、违规与贡献）逐人评定；"
        "结果不同 = 建议职级、变动类别或调整岗位标记不同。",
    )
