"""What the approval workflow (approvals/) tells the proposal pages: the route with its decided
steps, whether this user decides the current step, and the history. The answers are approvals'
own (`current_step`, `refuse_unless_may_decide`); this module only arranges them for templates."""

from jinjie.approvals.models import ApprovalStep, NoticeItem, ProposalTransition
from jinjie.approvals.selectors import notices_for, objections_for
from jinjie.approvals.workflow import (
    EVENT_LABELS,
    WorkflowError,
    current_step,  # noqa: F401  (re-exported for the decision views)
    refuse_unless_committee,
    refuse_unless_may_decide,
)
from jinjie.evaluations.models import Proposal, ProposalState
from jinjie.rules.ladder import ROUTE_STEP_LABELS

from ..forms import DecideForm


def may_decide(user, proposal: Proposal) -> bool:
    if proposal.state != ProposalState.IN_REVIEW:
        return False
    step = current_step(proposal)
    if step is None or step == "notice":
        return False
    try:
        refuse_unless_may_decide(user, step, proposal.employee)
    except WorkflowError:
        return False
    return True


def decidable_ids(user, proposals: list[Proposal]) -> set[int]:
    return {p.pk for p in proposals if may_decide(user, p)}


def may_submit(user, proposal: Proposal) -> bool:
    if proposal.state != ProposalState.DRAFT:
        return False
    try:
        refuse_unless_committee(user, proposal.employee, "提交审批")
    except WorkflowError:
        return False
    return True


def submittable_ids(user, proposals: list[Proposal]) -> set[int]:
    return {p.pk for p in proposals if may_submit(user, p)}


def route_steps(proposal: Proposal, decided: list[ApprovalStep]) -> list[dict]:
    """One row per step of the route: its decisions so far, and whether it is done/current/ahead."""
    by_step: dict[str, list[ApprovalStep]] = {}
    for s in decided:
        by_step.setdefault(s.step, []).append(s)
    rows = []
    current = current_step(proposal) if proposal.state in (ProposalState.IN_REVIEW, ProposalState.ON_NOTICE, ProposalState.HELD) else None
    for i, step in enumerate(proposal.route or []):
        if proposal.state == ProposalState.REJECTED and by_step.get(step) and by_step[step][-1].decision == "reject":
            status = "rejected"
        elif i < proposal.step_index or proposal.state in (ProposalState.APPROVED, ProposalState.APPLIED):
            status = "done"
        elif i == proposal.step_index and current is not None:
            status = "current"
        else:
            status = "ahead"
        rows.append({"step": step, "label": ROUTE_STEP_LABELS.get(step, step), "status": status, "decisions": by_step.get(step, [])})
    return rows


def proposal_context(request, proposal: Proposal) -> dict:
    decided = list(ApprovalStep.objects.filter(proposal=proposal).select_related("actor").order_by("sequence"))
    history = [
        {"t": t, "event": EVENT_LABELS.get(t.event, t.event)}
        for t in ProposalTransition.objects.filter(proposal=proposal).select_related("actor").order_by("id")
    ]
    can = may_decide(request.user, proposal)
    item = NoticeItem.objects.filter(proposal=proposal).select_related("notice").first()
    notice = item.notice if item and notices_for(user=request.user).filter(pk=item.notice_id).exists() else None
    return {
        "notice": notice,
        "notice_item": item,
        "objections": objections_for(user=request.user, proposal=proposal),
        "steps": route_steps(proposal, decided),
        "history": history,
        "may_decide": can,
        "decide_form": DecideForm() if can else None,
        "current_step": current_step(proposal),
    }
