"""Rank distribution at a date and time in rank (SPEC 9): who holds which rank, and for how long.

Both count the customer managers and market administrators on the books (在岗) whose role had
begun by the date. Status is not dated in the records, so someone who has left since is not counted
at a past date either; the rank they held that day comes from the rank history.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import Count

from jinjie.org.models import User
from jinjie.people.models import Employee, RankChange, Status
from jinjie.rules.calendar import months_between
from jinjie.rules.ladder import LADDER_TRACKS, RANKS

from .cache import rank_rows, remember
from .charts import Chart, Report, floats, rounded
from .quartiles import box
from .scope import Scope, report_scope

__all__ = ["rank_distribution", "time_in_rank"]


def _tracks(track: str | None) -> tuple[str, ...]:
    return (track,) if track else LADDER_TRACKS


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _ranks_on(scope: Scope, on: date, tracks: tuple[str, ...]) -> list[tuple[int, str, str, int]]:
    """(org unit id, track, rank held on `on`, headcount), in one query (cached, cache.py).

    The rank held on a date is the rank of the latest change that took effect by then; before a
    person's first recorded change, the rank that change started from (empty: 见习); with no
    change recorded at all, the current rank.
    """
    qn = connection.ops.quote_name
    emp, rc = qn(Employee._meta.db_table), qn(RankChange._meta.db_table)
    sql = f"""
        SELECT org_unit_id, track, rank_on, COUNT(*) FROM (
            SELECT e.org_unit_id, e.track, COALESCE(
                (SELECT r.to_rank FROM {rc} r WHERE r.employee_id = e.id AND r.effective_date <= %s
                 ORDER BY r.effective_date DESC, r.id DESC LIMIT 1),
                (SELECT r.from_rank FROM {rc} r WHERE r.employee_id = e.id AND r.effective_date > %s
                 ORDER BY r.effective_date, r.id LIMIT 1),
                e.current_rank) AS rank_on
            FROM {emp} e
            WHERE e.status = %s AND e.track IN ({_placeholders(tracks)}) AND e.role_start_date <= %s
              AND (e.hire_date IS NULL OR e.hire_date <= %s) AND e.org_unit_id IN ({_placeholders(scope.unit_ids)})
        ) AS held
        GROUP BY org_unit_id, track, rank_on
    """
    params = [on, on, Status.ACTIVE, *tracks, on, on, *scope.unit_ids]

    def compute():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(unit, track, rank or RANKS[0], n) for unit, track, rank, n in cursor.fetchall()]

    return remember("distribution", (scope.unit.pk, on.isoformat(), tracks), rank_rows(), compute)


def rank_distribution(*, user: User, unit, on: date, track: str | None = None) -> Report:
    """Headcount by rank × track per unit on `on` (stacked bars: a bar per unit and track)."""
    scope = report_scope(user=user, unit=unit)
    tracks = _tracks(track)
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * len(RANKS))
    other = 0
    for unit_id, row_track, rank, n in _ranks_on(scope, on, tracks):
        if rank not in RANKS:
            other += n  # e.g. a 专卖管理员 level in the history of someone now on the ladder
            continue
        counts[(scope.group_of(unit_id), row_track)][RANKS.index(rank)] += n
    present = {g for g, _ in counts}
    rows, categories = [], []
    series = [[] for _ in RANKS]
    for g in scope.shown(present):
        for t in tracks:
            by_rank = counts.get((g, t), [0] * len(RANKS))
            label = scope.groups[g].label
            rows.append((label, t, *by_rank, sum(by_rank)))
            categories.append(f"{label}·{t}" if len(tracks) > 1 else label)
            for i, n in enumerate(by_rank):
                series[i].append(n)
    total = sum(r[-1] for r in rows)
    note = f"在岗客户经理、市场管理员 {total} 人，按 {on.isoformat()} 所任职级（职级变动历史）统计；本岗位起始日期在此之后的不计。"
    if other:
        note += f"另有 {other} 人当日所任不是职级序列中的职级，未计入。"
    chart = Chart(
        key="ranks",
        title=f"{on.isoformat()} 各单位各职级各有多少人？",
        kind="stacked_bar",
        columns=("单位", "岗位序列", *RANKS, "合计"),
        rows=tuple(rows),
        data={
            "categories": categories,
            "series": [{"name": rank, "data": series[i]} for i, rank in enumerate(RANKS)],
            "unit": "人",
        },
        note=note,
    )
    filters = {"date": on.isoformat(), "track": track or ""}
    return Report("distribution", "职级分布", scope.unit.path, filters, (chart,))


def _months_in_rank(scope: Scope, tracks: tuple[str, ...]) -> list[tuple]:
    """(current rank, rank_since, headcount): one GROUP BY, a few thousand rows for 100,000 people
    (cached, cache.py)."""
    rows = (
        Employee.objects.filter(status=Status.ACTIVE, track__in=tracks, org_unit_id__in=scope.unit_ids)
        .order_by()
        .values_list("current_rank", "rank_since")
        .annotate(n=Count("pk"))
    )
    return remember("tenure", (scope.unit.pk, tracks), rank_rows(), lambda: [tuple(r) for r in rows])


def time_in_rank(*, user: User, unit, on: date, track: str | None = None) -> Report:
    """Months in the current rank on `on`, per rank: minimum, quartiles (statistics.quantiles'
    "inclusive" method, see quartiles.py), maximum — a box plot with its table."""
    scope = report_scope(user=user, unit=unit)
    months: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    unknown = later = 0
    for rank, since, n in _months_in_rank(scope, _tracks(track)):
        if rank not in RANKS:
            continue
        if since is None:
            unknown += n
        elif since > on:
            later += n
        else:
            months[rank][months_between(since, on)] += n
    rows, boxes, names = [], [], []
    for rank in RANKS:
        figures = box(months.get(rank, {}))
        if figures is None:
            continue
        values = (figures.minimum, figures.q1, figures.median, figures.q3, figures.maximum)
        rows.append((rank, figures.n, *(rounded(v) for v in values)))
        boxes.append(floats([rounded(v) for v in values]))
        names.append(rank)
    note = (
        f"截至 {on.isoformat()} 现任职级已任整月数（按本岗位任职月数的算法）；四分位数按线性插值"
        "（Python statistics.quantiles 的 inclusive 方法，同 Excel QUARTILE.INC），须线为最小值与最大值。"
    )
    if unknown:
        note += f"另有 {unknown} 人未记录现职级起始日期，未计入。"
    if later:
        note += f"{later} 人的现职级在此日期之后才开始，未计入。"
    chart = Chart(
        key="tenure",
        title="各职级的人在现职级上已任多久？",
        kind="boxplot",
        columns=("职级", "人数", "最短(月)", "下四分位(月)", "中位数(月)", "上四分位(月)", "最长(月)"),
        rows=tuple(rows),
        data={"categories": names, "boxes": boxes, "unit": "月"},
        note=note,
    )
    return Report("tenure", "任职时长", scope.unit.path, {"date": on.isoformat(), "track": track or ""}, (chart,))
