"""What a proposal's page shows: its record (approvals.selectors.proposal_history), the objections
this user may read, and whether this user decides the current step (approvals.checks)."""

from jinjie.approvals.checks import may_decide
from jinjie.approvals.selectors import notices_for, objections_for, proposal_history
from jinjie.approvals.workflow import EVENT_LABELS
from jinjie.evaluations.models import Proposal
from jinjie.rules.book import AUTOMATIC_MOVES

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
        # 自动晋档: an empty route of an automatic move; the page says so instead of "无需审批".
        "automatic": not proposal.route and proposal.move in AUTOMATIC_MOVES,
    }
