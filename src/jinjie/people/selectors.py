"""Reads on employees that several screens and commands share."""

from django.db.models import OuterRef, Q, Subquery

from .models import Employee, RankChange


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
