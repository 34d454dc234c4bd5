"""Reads of an employee's assessment data and records, for the employee pages."""

from jinjie.people.models import (
    AnnualRating,
    Contribution,
    Employee,
    Publication,
    Qualification,
    RankChange,
    TrainingRecord,
    Violation,
)

from .models import AbilityScore, MonthlyScore


def employee_records(*, employee: Employee) -> dict:
    """The records shown on an employee's page and on 我的职业发展 (lazy querysets, newest first):
    the rank history, the assessments of this app and the people app's records."""
    return {
        "rank_history": RankChange.objects.filter(employee=employee).select_related("recorded_by").order_by("-effective_date", "-id"),
        "scores": MonthlyScore.objects.filter(employee=employee).order_by("-month")[:24],
        "ability": AbilityScore.objects.filter(employee=employee).order_by("-period")[:12],
        "training": TrainingRecord.objects.filter(employee=employee).order_by("-date")[:50],
        "violations": list(Violation.objects.filter(employee=employee).order_by("-date")),
        "contributions": Contribution.objects.filter(employee=employee).order_by("-date"),
        "annual": AnnualRating.objects.filter(employee=employee).order_by("-year", "kind"),
        "publications": Publication.objects.filter(employee=employee).order_by("-date"),
        "qualifications": Qualification.objects.filter(employee=employee).order_by("granted_date"),
    }


def score_trend(*, employee: Employee, months: int = 12) -> dict:
    """The scores of the `months` calendar months ending with the latest one scored (oldest first,
    a month without a score is a gap in the chart), and the item columns of the track's scheme in
    force today (name, maximum) — for 我的职业发展's table and trend chart."""
    from django.utils import timezone

    from jinjie.rules.scheme import SchemeError, parse_scheme

    from .schemes import scheme_in_force, scheme_track

    rows = list(MonthlyScore.objects.filter(employee=employee).order_by("-month").values_list("month", "score", "items")[:months])
    window: list[str] = []
    if rows:
        year, month = (int(x) for x in rows[0][0].split("-"))
        for back in range(months - 1, -1, -1):
            index = year * 12 + month - 1 - back
            window.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
        rows = [r for r in reversed(rows) if r[0] >= window[0]]
    columns: list[tuple[str, object]] = []
    scheme = scheme_in_force(track=scheme_track(employee.track), on=timezone.localdate())
    if scheme is not None:
        try:
            columns = [(i.name, i.max) for i in parse_scheme(scheme.track, scheme.items).items]
        except SchemeError:
            columns = []
    known = {name for name, _ in columns}
    for _, _, items in rows:
        for name in items or {}:
            if name not in known:
                known.add(name)
                columns.append((name, None))
    table = [
        {"month": month, "score": score, "items": [(items or {}).get(name) for name, _ in columns]}
        for month, score, items in rows
    ]
    by_month = {r["month"]: r for r in table}
    chart = {
        "months": window,
        "series": [{"name": "考核得分", "data": [float(by_month[m]["score"]) if m in by_month else None for m in window]}]
        + [
            {"name": name, "data": [by_month[m]["items"][i] if m in by_month else None for m in window]}
            for i, (name, _) in enumerate(columns)
            if any(r["items"][i] is not None for r in table)
        ],
    }
    return {"columns": columns, "rows": table, "chart": chart}
