"""What a proposal's page shows: its record (approvals.selectors.proposal_history), the objections
this user may read, and whether this user decides the current step (approvals.checks)."""

from jinjie.applications.selectors import applications_for
from jinjie.approvals.checks import may_decide
from jinjie.approvals.selectors import notices_for, objections_for, proposal_history
from jinjie.approvals.workflow import EVENT_LABELS
from jinjie.evaluations.models import Proposal, ProposalKind
from jinjie.org import authority

from ..forms import DecideForm


def proposal_context(request, proposal: Proposal) -> dict:
    record = proposal_history(proposal=proposal)
    can = may_decide(request.user, proposal)
    item = record.notice_item
    notice = item.notice if item and notices_for(user=request.user).filter(pk=item.notice_id).exists() else None
    return {
        "notice": notice,
        "notice_item": item,
        "objections": objections_for(user=request.user, proposal=proposal),
        "steps": record.route,
        "history": [{"t": t, "event": EVENT_LABELS.get(t.event, t.event)} for t in record.transitions],
        "may_decide": can,
        "decide_form": DecideForm() if can else None,
        "current_step": record.current_step,
        # A 专卖管理员 level's proposal comes from an application (申报表): link back to it.
        "application": applications_for(user=request.user).filter(proposal=proposal).first()
        if proposal.kind == ProposalKind.MONOPOLY and authority.allows(request.user, "applications.read") else None,
    }
