"""The evaluation's outcomes as figures (SPEC 9): flows of a period, rates over periods, and pay.

All three read one aggregate per period: the period's evaluation outcomes (kind `evaluation`,
superseded ones left out — as the period page counts them) grouped by the employee's unit and
track, from rank, to rank, move, state and rule book. At 100,000 employees that is one GROUP BY of a
fraction of a second per period, kept in the cache (cache.py) under the proposals' fingerprint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from jinjie.approvals.pay import rank_pay
from jinjie.core.errors import DomainError
from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
from jinjie.org.models import User
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.calendar import Period
from jinjie.rules.ladder import MOVE_LABELS, MOVES, RANKS

from .cache import fingerprint, proposal_rows, remember
from .charts import Chart, Report, floats, money, percent
from .scope import Scope, report_scope

__all__ = [
    "DEMOTIONS",
    "PROMOTIONS",
    "Outcome",
    "flows",
    "pay_changes",
    "period_outcomes",
    "rates",
]

PROMOTIONS = frozenset({"grade_up", "level_up", "skip_grade", "skip_level"})
DEMOTIONS = frozenset({"grade_down", "level_down"})
# Pay: decided changes count (已生效, 待生效); those still in review are shown apart, as what
# they would add if all were approved; rejected ones change nothing.
DECIDED = frozenset({ProposalState.APPLIED, ProposalState.APPROVED})
PENDING = frozenset({ProposalState.DRAFT, ProposalState.IN_REVIEW, ProposalState.ON_NOTICE, ProposalState.HELD})


@dataclass(frozen=True)
class Outcome:
    """One aggregated row: `n` outcomes of the period with these values."""

    unit_id: int
    track: str
    from_rank: str
    to_rank: str
    move: str
    state: str
    rulebook_id: int | None
    n: int


def _compute_outcomes(unit_ids: tuple[int, ...], key: str) -> list[tuple]:
    rows = (
        Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=key, employee__org_unit_id__in=unit_ids)
        .exclude(state=ProposalState.SUPERSEDED)
        .order_by()
        .values_list("employee__org_unit_id", "employee__track", "from_rank", "to_rank", "move", "state", "rulebook_id")
        .annotate(n=Count("pk"))
    )
    return [tuple(r) for r in rows]


def period_outcomes(scope: Scope, period: Period, track: str | None = None, *, version: tuple = ()) -> list[Outcome]:
    """The period's outcomes in the scope, aggregated (see the module's docstring)."""
    key = str(period)
    rows = remember("outcomes", (scope.unit.pk, key), proposal_rows(), lambda: _compute_outcomes(scope.unit_ids, key),
                    version=version)
    return [Outcome(*r) for r in rows if track is None or r[1] == track]


def _tracks_label(track: str | None) -> str:
    return track or "客户经理、市场管理员"


# --- flows ------------------------------------------------------------------------------------------


def flows(*, user: User, unit, period: Period, track: str | None = None) -> Report:
    """From rank → to rank of the period's outcomes (Sankey), and the count of each move per unit."""
    scope = report_scope(user=user, unit=unit)
    outcomes = period_outcomes(scope, period, track)
    links: dict[tuple[str, str, str], int] = defaultdict(int)
    per_move: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MOVES, 0))
    for o in outcomes:
        links[(o.from_rank, o.to_rank, o.move)] += o.n
        per_move[scope.group_of(o.unit_id)][o.move] += o.n
    order = {r: i for i, r in enumerate(RANKS)}
    link_rows = sorted(links.items(), key=lambda kv: (order.get(kv[0][0], 99), order.get(kv[0][1], 99), kv[0][2]))
    flow_rows = tuple((f, t, MOVE_LABELS.get(m, m), n) for (f, t, m), n in link_rows)
    # A Sankey is acyclic: the ranks before and after are separate nodes ("原 初级B" → "新 初级A").
    merged: dict[tuple[str, str], int] = defaultdict(int)
    for (f, t, _), n in link_rows:
        merged[(f, t)] += n
    used = {f"原 {f}" for f, _ in merged} | {f"新 {t}" for _, t in merged}
    nodes = [name for r in RANKS for name in (f"原 {r}", f"新 {r}") if name in used]
    nodes += sorted(used - set(nodes))
    total = sum(links.values())
    sankey = Chart(
        key="flows",
        title=f"{period.label}测评，职级从哪里流向哪里？",
        kind="sankey",
        columns=("原职级", "测评结果职级", "变动", "人数"),
        rows=flow_rows,
        data={
            "nodes": nodes,
            "links": [{"source": f"原 {f}", "target": f"新 {t}", "value": n} for (f, t), n in merged.items()],
            "unit": "人",
        },
        note=f"{_tracks_label(track)}本期测评结果 {total} 人（含保持、数据不全；已被替代的结果不计），按建议的职级变动统计，"
        "不论审批是否完成。",
    )
    shown = scope.shown(set(per_move))
    moves_rows = []
    series = {m: [] for m in MOVES}
    for g in shown:
        counts = per_move.get(g, dict.fromkeys(MOVES, 0))
        moves_rows.append((scope.groups[g].label, *(counts[m] for m in MOVES), sum(counts.values())))
        for m in MOVES:
            series[m].append(counts[m])
    by_move = Chart(
        key="moves",
        title=f"{period.label}哪些单位晋升、降级的人最多？",
        kind="stacked_bar",
        columns=("单位", *(MOVE_LABELS[m] for m in MOVES), "合计"),
        rows=tuple(moves_rows),
        data={
            "categories": [scope.groups[g].label for g in shown],
            "series": [{"name": MOVE_LABELS[m], "data": series[m]} for m in MOVES],
            "unit": "人",
        },
        note="各类变动人数，与“季度测评”页的统计口径相同。",
    )
    filters = {"period": str(period), "track": track or ""}
    return Report("flows", "职级流动", scope.unit.path, filters, (sankey, by_move))


# --- rates ------------------------------------------------------------------------------------------


def _periods_ending(period: Period, count: int) -> list[Period]:
    out = [period]
    while len(out) < count and out[-1] > Period(1900, 4):
        out.append(out[-1].previous())
    return out[::-1]


def rates(*, user: User, unit, period: Period, count: int = 8, track: str | None = None) -> Report:
    """Promotion and demotion rates per unit over the `count` periods ending with `period` (lines).

    Rate = promoted (晋档、晋级、跳档、跳级) or demoted (降档、降级) / everyone evaluated in the period
    (holds and incompletes included), as proposed by the evaluation.
    """
    scope = report_scope(user=user, unit=unit)
    periods = _periods_ending(period, count)
    figures: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])  # evaluated, promoted, demoted
    version = fingerprint(*proposal_rows())  # once for every period
    for p in periods:
        for o in period_outcomes(scope, p, track, version=version):
            f = figures[(str(p), scope.group_of(o.unit_id))]
            f[0] += o.n
            f[1] += o.n if o.move in PROMOTIONS else 0
            f[2] += o.n if o.move in DEMOTIONS else 0
    shown = scope.shown({g for _, g in figures})
    rows, series = [], []
    for g in shown:
        label = scope.groups[g].label
        up, down = [], []
        for p in periods:
            evaluated, promoted, demoted = figures.get((str(p), g), (0, 0, 0))
            up_rate, down_rate = percent(promoted, evaluated), percent(demoted, evaluated)
            if evaluated:
                rows.append((str(p), label, evaluated, promoted, up_rate, demoted, down_rate))
            up.append(up_rate)
            down.append(down_rate)
        series.append({"name": f"{label} 晋升率", "data": floats(up)})
        series.append({"name": f"{label} 降级率", "data": floats(down), "dashed": True})
    chart = Chart(
        key="rates",
        title=f"近 {count} 个测评期，各单位晋升率、降级率怎样变化？",
        kind="lines",
        columns=("测评期", "单位", "测评人数", "晋升人数", "晋升率(%)", "降级人数", "降级率(%)"),
        rows=tuple(rows),
        data={"categories": [str(p) for p in periods], "series": series, "unit": "%"},
        note="晋升 = 晋档、晋级、跳档、跳级；降级 = 降档、降级；比率的分母为该期全部测评结果（含保持、数据不全），"
        "按测评建议统计，不论审批是否完成。没有测评结果的测评期不显示比率。",
    )
    filters = {"period": str(period), "periods": count, "track": track or ""}
    return Report("rates", "晋升率与降级率", scope.unit.path, filters, (chart,))


# --- pay --------------------------------------------------------------------------------------------


def _pay_book(period: Period):
    # The period's changes take effect after it (pay from the first of the month after each
    # change), so they are priced with the ladder book in force on the period's boundary.
    try:
        return parsed_rulebook(rulebook_in_force(kind=BookKind.LADDER, on=period.boundary))
    except NoRuleBookError as e:
        raise DomainError(str(e)) from None


def _pay_table(book) -> dict[str, Decimal]:
    return {rank: rank_pay(rank=rank, book=book) for rank in RANKS}


def pay_changes(*, user: User, unit, period: Period, track: str | None = None) -> Report:
    """Monthly rank pay (SPEC 2.5) of the people evaluated in `period`, per unit: before the
    period's changes (everyone at their rank before it) and after the decided ones."""
    scope = report_scope(user=user, unit=unit)
    pay = _pay_table(_pay_book(period))
    sums: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0)])  # n, before, after, pending
    skipped = 0
    for o in period_outcomes(scope, period, track):
        if o.from_rank not in pay or o.to_rank not in pay:
            skipped += o.n
            continue
        s = sums[scope.group_of(o.unit_id)]
        before, moved = pay[o.from_rank] * o.n, pay[o.to_rank] * o.n
        s[0] += o.n
        s[1] += before
        s[2] += moved if o.state in DECIDED else before
        if o.state in PENDING:
            s[3] += moved - before
    shown = scope.shown(set(sums))
    rows, before_series, after_series, all_series = [], [], [], []
    for g in shown:
        n, before, after, pending = sums.get(g, (0, Decimal(0), Decimal(0), Decimal(0)))
        rows.append((scope.groups[g].label, n, money(before), money(after), money(after - before), money(pending)))
        before_series.append(money(before))
        after_series.append(money(after))
        all_series.append(money(after + pending))
    if len(shown) > 1:
        totals = [sum(r[i] for r in rows) for i in range(1, 6)]
        rows.append(("合计", *totals))
    chart = Chart(
        key="pay",
        title=f"{period.label}的职级变动使各单位每月职级工资总额增减多少？",
        kind="grouped_bar",
        columns=("单位", "测评人数", "变动前(元/月)", "变动后(元/月)", "增减(元/月)", "审批中的变动若全部通过另增减(元/月)"),
        rows=tuple(rows),
        data={
            "categories": [scope.groups[g].label for g in shown],
            "series": [
                {"name": "变动前", "data": floats(before_series)},
                {"name": "变动后", "data": floats(after_series)},
                {"name": "审批中的变动若全部通过", "data": floats(all_series)},
            ],
            "unit": "元/月",
        },
        note=f"职级工资 = 岗位工资基数 × 职级系数（{period.boundary.isoformat()} 生效的职级标准）。“变动前”为本期参加测评的"
        f"{_tracks_label(track)}按测评前职级的合计；“变动后”计入已生效、待生效的职级变动；审批中（待提交、审批中、公示中、"
        "异议处理中）的单列，未通过的不计。"
        + (f"另有 {skipped} 人的职级不在职级序列中，未计入。" if skipped else ""),
    )
    filters = {"period": str(period), "track": track or ""}
    return Report("pay", "职级工资", scope.unit.path, filters, (chart,))


def count_by(outcomes: Iterable[Outcome], *moves: str) -> int:
    wanted = set(moves)
    return sum(o.n for o in outcomes if o.move in wanted)
