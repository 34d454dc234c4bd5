"""Who reads one proposal, and which: the one place the proposal page and the API ask.

- proposals.read (the deciders, HR, the employee concerned): the proposals in their scope
  (evaluations.selectors.proposal_get);
- objections.read_proposals (纪检监察, SPEC 1 "read objections and their handling"): exactly the
  proposals that the objections they may read concern — an objection on a proposal of an employee
  in their subtree, or one they filed themselves — read-only (they decide no step).

The rule lives here rather than in evaluations because it is about objections, which evaluations
does not know (approvals sits above it).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from jinjie.evaluations.models import Proposal
from jinjie.evaluations.selectors import proposal_get
from jinjie.org import authority
from jinjie.org.models import User
from jinjie.org.scoping import scope_employees

from .models import Objection

__all__ = ["READ_RIGHTS", "proposal_readable", "proposals_with_readable_objections"]

# The rights that open a proposal's page (any one of them).
READ_RIGHTS = ("proposals.read", "objections.read_proposals")


def proposals_with_readable_objections(*, user: User) -> QuerySet[Proposal]:
    """The proposals that an objection `user` may read concerns (the same objections as
    approvals.selectors.objections_for shows them): none without objections.read_proposals."""
    if not authority.allows(user, "objections.read_proposals"):
        return Proposal.objects.none()
    in_scope = scope_employees(user, Proposal.objects.all(), prefix="employee__")
    objected = Exists(Objection.objects.filter(proposal=OuterRef("pk")))
    filed = Exists(Objection.objects.filter(proposal=OuterRef("pk"), filer=user))
    return Proposal.objects.filter(Q(pk__in=in_scope.filter(objected).values("pk")) | filed)


def proposal_readable(*, pk: int, user: User) -> Proposal:
    """One proposal `user` may read (with its employee, unit, rule book and run), or
    Proposal.DoesNotExist: outside their scope, or — for 纪检监察 — concerned by no objection they read."""
    if authority.allows(user, "proposals.read"):
        return proposal_get(pk=pk, user=user)
    readable = proposals_with_readable_objections(user=user)
    return readable.select_related("employee", "employee__org_unit", "rulebook", "run").get(pk=pk)
