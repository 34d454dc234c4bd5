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
