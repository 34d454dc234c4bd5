"""Reads on employees that several screens and commands share."""

from django.db.models import OuterRef, Q, Subquery

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.evaluations.models import Proposal, ProposalState

from .models import (
    AnnualRating,
    Contribution,
    Employee,
    Publication,
    Qualification,
    RankChange,
    TrainingRecord,
    Violation,
)


def rank_mismatches():
    """Employees whose stored current rank differs from the last entry of their rank history.

    The history is the record; `Employee.current_rank` is a copy kept for fast reads. One query.
    Employees with no history at all are not mismatches (a 见习 who was never moved).
    """
    latest = RankChange.objects.filter(employee=OuterRef("pk")).order_by("-effective_date", "-id")
    return (
        Employee.objects.annotate(history_rank=Subquery(latest.values("to_rank")[:1]))
        .filter(history_rank__isnull=False)
        .filter(~Q(current_rank=Subquery(latest.values("to_rank")[:1])))
        .order_by("employee_no")
    )


def employee_records(*, employee: Employee) -> dict:
    """The records shown on an employee's page and on 我的职业发展 (lazy querysets, newest first)."""
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
        "proposals": Proposal.objects.filter(employee=employee).exclude(state=ProposalState.SUPERSEDED).select_related("rulebook").order_by("-created_at")[:20],
    }
