"""Reads on employees that several screens and commands share."""

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery

from .models import Employee, PostAssignment, RankChange, Status


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


def management_post_holders(*, on: date) -> QuerySet[PostAssignment]:
    """Posts held on `on`: started by then and not released before it (SPEC 4)."""
    return PostAssignment.objects.filter(start_date__lte=on).exclude(release__end_date__lte=on)


def holds_management_post(*, employee_id: int, on: date) -> PostAssignment | None:
    """The management post an employee holds on `on`, if any."""
    return management_post_holders(on=on).filter(employee_id=employee_id).select_related("org_unit").first()


def employees_without_login(*, unit) -> QuerySet[Employee]:
    """The active employees of `unit`'s subtree who have no login yet (HR's bulk action)."""
    return (
        Employee.objects.filter(unit.subtree_filter(prefix="org_unit__"), status=Status.ACTIVE, user__isnull=True)
        .select_related("org_unit")
        .order_by("org_unit__path", "employee_no")
    )
