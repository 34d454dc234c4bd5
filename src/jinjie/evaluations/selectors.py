"""Reads of evaluations: counts per move, proposal lists, one proposal (SPEC 2.3, 7).

Every read of proposals goes through org.scoping when a user is given (a committee member sees
their own subtree, an employee only their own proposals); `org_unit` narrows further.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from jinjie.org.models import OrgUnit, User
from jinjie.org.scoping import scope_employees
from jinjie.rules.calendar import Period
from jinjie.rules.ladder import MOVES

from .models import EvaluationRun, Proposal, ProposalKind, ProposalState

__all__ = [
    "employee_proposals",
    "evaluation_latest_run",
    "proposal_counts",
    "proposal_get",
    "proposal_list",
]


def _period_key(period: Period | str) -> str:
    return str(Period.parse(period) if isinstance(period, str) else period)


def _proposals(*, period: Period | str, org_unit: OrgUnit | None, user: User | None) -> QuerySet[Proposal]:
    # A superseded proposal was replaced by another one of the same employee and period: the
    # current outcome is the other one, so it is never counted or listed.
    qs = Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=_period_key(period)).exclude(
        state=ProposalState.SUPERSEDED
    )
    if org_unit is not None:
        qs = qs.filter(org_unit.subtree_filter(prefix="employee__org_unit__"))
    if user is not None:
        qs = scope_employees(user, qs, prefix="employee__")
    return qs


def proposal_counts(
    *, period: Period | str, org_unit: OrgUnit | None = None, user: User | None = None
) -> dict[str, int]:
    """Number of outcomes per move code (every move present, zeros included), in SPEC 7's order."""
    counts = dict.fromkeys(MOVES, 0)
    rows = _proposals(period=period, org_unit=org_unit, user=user).order_by().values_list("move").annotate(
        n=Count("id")
    )
    for move, n in rows:
        counts[move] = n
    return counts


def proposal_list(
    *,
    period: Period | str,
    org_unit: OrgUnit | None = None,
    user: User | None = None,
    move: str | None = None,
    state: str | None = None,
) -> QuerySet[Proposal]:
    """The period's proposals with their employee and unit, by employee number.

    Lists show names, ranks and moves: the reasons (about 1 KB a row) and the rule book are left
    out, which at 100,000 employees is a third of a page's time. `proposal_get` reads them.
    """
    qs = _proposals(period=period, org_unit=org_unit, user=user)
    if move:
        qs = qs.filter(move=move)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("employee", "employee__org_unit").defer("reasons").order_by("employee__employee_no", "id")


def proposal_get(*, pk: int, user: User | None = None) -> Proposal:
    """One proposal with its employee; Proposal.DoesNotExist if absent or outside the user's scope."""
    qs = Proposal.objects.select_related("employee", "employee__org_unit", "rulebook", "run")
    if user is not None:
        qs = scope_employees(user, qs, prefix="employee__")
    return qs.get(pk=pk)


def employee_proposals(*, employee) -> QuerySet[Proposal]:
    """An employee's proposals of every kind, newest first (the current ones: not superseded)."""
    return (
        Proposal.objects.filter(employee=employee)
        .exclude(state=ProposalState.SUPERSEDED)
        .select_related("rulebook")
        .order_by("-created_at")[:20]
    )


def evaluation_latest_run(*, period: Period | str, org_unit: OrgUnit | None = None) -> EvaluationRun | None:
    """The most recent run of `period` over exactly this scope (None: all units)."""
    return (
        EvaluationRun.objects.filter(period=_period_key(period), org_unit=org_unit)
        .select_related("rulebook", "org_unit")
        .order_by("-started_at", "-id")
        .first()
    )
