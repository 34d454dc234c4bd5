"""Monthly assessment scores (月度绩效考核, SPEC 9): how a month's scores are spread, and the
average of each assessment item, per unit.

Everyone with a score for the month counts, whatever their status now (the score is the month's).
Score bands: under 60 (不合格, SPEC 2.2), 60–70, 70–80, 80–85, 85–90, 90–95, 95 and over — each
band includes its lower bound. Item averages read the scores' item JSON (only numeric items count,
each over the people who have that item); at 100,000 employees that is ~0.65 s on SQLite and the
bands' GROUP BY ~0.13 s, so both are cached (cache.py).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, IntegerField, Sum, Value, When

from jinjie.assessments.models import MonthlyScore
from jinjie.org.models import User
from jinjie.people.models import Employee

from .cache import remember, score_rows
from .charts import Chart, Report, floats, rounded
from .scope import Scope, report_scope

__all__ = ["BANDS", "monthly_scores"]

# (label, lower bound inclusive); the next band's bound is this one's upper bound (exclusive).
BANDS: tuple[tuple[str, int], ...] = (
    ("60以下(不合格)", 0), ("60–70", 60), ("70–80", 70), ("80–85", 80), ("85–90", 85), ("90–95", 90), ("95及以上", 95),
)


def _band():
    whens = [When(score__lt=BANDS[i + 1][1], then=Value(i)) for i in range(len(BANDS) - 1)]
    return Case(*whens, default=Value(len(BANDS) - 1), output_field=IntegerField())


def _bands(scope: Scope, month: str, track: str | None) -> list[tuple]:
    """(unit id, band, headcount, sum of scores) of the month, for `track` (cached, cache.py)."""
    rows = (
        MonthlyScore.objects.filter(month=month, employee__org_unit_id__in=scope.unit_ids)
        .annotate(band=_band())
        .order_by()
        .values_list("employee__org_unit_id", "employee__track", "band")
        .annotate(n=Count("pk"), total=Sum("score"))
    )
    cached = remember("score-bands", (scope.unit.pk, month), score_rows(month), lambda: [tuple(r) for r in rows])
    return [(unit, band, n, total) for unit, row_track, band, n, total in cached if not track or row_track == track]


def _items_sql(units: int) -> str:
    qn = connection.ops.quote_name
    s, e = qn(MonthlyScore._meta.db_table), qn(Employee._meta.db_table)
    if connection.vendor == "postgresql":
        source = f"{s} s JOIN {e} e ON e.id = s.employee_id CROSS JOIN LATERAL jsonb_each(s.items) AS j(key, value)"
        number, numeric = "(j.value #>> '{}')::numeric", "jsonb_typeof(j.value) = 'number'"
    else:
        source = f"{s} s JOIN {e} e ON e.id = s.employee_id, json_each(s.items) AS j"
        number, numeric = "j.value", "j.type IN ('integer', 'real')"
    return f"""
        SELECT e.org_unit_id, e.track, j.key, SUM({number}), COUNT(*)
        FROM {source}
        WHERE s.month = %s AND {numeric} AND e.org_unit_id IN ({", ".join(["%s"] * units)})
        GROUP BY e.org_unit_id, e.track, j.key
    """


def _items(scope: Scope, month: str) -> list[tuple]:
    def compute():
        with connection.cursor() as cursor:
            cursor.execute(_items_sql(len(scope.unit_ids)), [month, *scope.unit_ids])
            return [(unit, track, key, Decimal(str(total)), n) for unit, track, key, total, n in cursor.fetchall()]

    return remember("score-items", (scope.unit.pk, month), score_rows(month), compute)


def monthly_scores(*, user: User, unit, month: str, track: str | None = None) -> Report:
    scope = report_scope(user=user, unit=unit)
    bands: dict[int, list[int]] = defaultdict(lambda: [0] * len(BANDS))
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for unit_id, band, n, total in _bands(scope, month, track):
        g = scope.group_of(unit_id)
        bands[g][band] += n
        sums[g] += total or 0
    shown = scope.shown(set(bands))
    rows, series = [], [[] for _ in BANDS]
    for g in shown:
        counts = bands.get(g, [0] * len(BANDS))
        n = sum(counts)
        rows.append((scope.groups[g].label, n, rounded(sums[g] / n) if n else None, *counts))
        for i, c in enumerate(counts):
            series[i].append(c)
    who = track or "全体员工"
    spread = Chart(
        key="bands",
        title=f"{month} 各单位月度考核得分分布如何？",
        kind="stacked_bar",
        columns=("单位", "人数", "平均分", *(b for b, _ in BANDS)),
        rows=tuple(rows),
        data={"categories": [scope.groups[g].label for g in shown],
              "series": [{"name": label, "data": series[i]} for i, (label, _) in enumerate(BANDS)], "unit": "人"},
        note=f"{month} 有月度考核得分的{who}；各分数段含下限、不含上限（60 分以下为不合格）。",
    )

    per_item: dict[tuple[int, str], list] = defaultdict(lambda: [Decimal(0), 0])
    people: dict[str, int] = defaultdict(int)
    for unit_id, row_track, key, total, n in _items(scope, month):
        if track and row_track != track:
            continue
        s = per_item[(scope.group_of(unit_id), key)]
        s[0] += total
        s[1] += n
        people[key] += n
    # The items most people are assessed on first (a scheme's items go together), then by name.
    items = sorted(people, key=lambda key: (-people[key], key))
    item_groups = scope.shown({g for g, _ in per_item})
    item_rows = []
    item_series = []
    for g in item_groups:
        averages = []
        for key in items:
            total, n = per_item.get((g, key), (Decimal(0), 0))
            average = rounded(total / n) if n else None
            averages.append(average)
            if n:
                item_rows.append((scope.groups[g].label, key, n, average))
        item_series.append({"name": scope.groups[g].label, "data": floats(averages)})
    averages = Chart(
        key="items",
        title=f"{month} 各单位各考核项目的平均得分是多少？",
        kind="grouped_bar",
        columns=("单位", "考核项目", "人数", "平均得分"),
        rows=tuple(item_rows),
        data={"categories": items, "series": item_series, "unit": "分"},
        note="月度考核的分项得分（考核方案各项目）按单位求平均，每项只计有该项得分的人；平均分四舍五入到两位小数。",
    )
    return Report("scores", "月度考核", scope.unit.path, {"month": month, "track": track or ""}, (spread, averages))
