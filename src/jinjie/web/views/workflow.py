"""What a proposal's page shows: its record (approvals.selectors.proposal_history), the objections
this user may read, and whether this user decides the current step (approvals.checks)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_noop

from jinjie.applications.selectors import applications_for
from jinjie.approvals.checks import may_decide
from jinjie.approvals.meetings import MEETING_STEPS
from jinjie.approvals.selectors import notices_for, objections_for, proposal_history
from jinjie.approvals.workflow import EVENT_LABELS, current_step
from jinjie.evaluations.models import Proposal, ProposalKind
from jinjie.org import authority
from jinjie.rules.book import AUTOMATIC_MOVES

from ..access import may
from ..forms import DecideForm
from ..forms_workflow import CommitteeDecideForm
from .queue import carried_filters, queue_query


def decide_form_class(user, proposal: Proposal) -> type[DecideForm]:
    """The committee's step may carry its meeting (approvals.meetings); the other steps may not."""
    if current_step(proposal) in MEETING_STEPS and may(user, "meetings.record"):
        return CommitteeDecideForm
    return DecideForm


def _back(user, proposal: Proposal) -> tuple[str, str]:
    """Where the breadcrumb leads: the list this user reads the proposal from (by their rights)."""
    if may(user, "proposals.list"):
        query = "?" + urlencode({"period": proposal.period}) if proposal.period else ""
        return reverse("web:proposals") + query, gettext_noop("晋升/降级建议")
    if may(user, "objections.read_filer"):
        return reverse("web:objections") + "?status=all", gettext_noop("异议处理")
    return reverse("web:career"), gettext_noop("我的职业发展")


def proposal_context(request, proposal: Proposal) -> dict:
    record = proposal_history(proposal=proposal)
    back_url, back_label = _back(request.user, proposal)
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
        "decide_form": decide_form_class(request.user, proposal)() if can else None,
        "current_step": record.current_step,
        # A 专卖管理员 level's proposal comes from an application (申报表): link back to it.
        "application": applications_for(user=request.user).filter(proposal=proposal).first()
        if proposal.kind == ProposalKind.MONOPOLY and authority.allows(request.user, "applications.read") else None,
        "may_print": may(request.user, "proposals.print_form"),
        # Opened from 待我审批: the decision form carries the queue, for "同意并处理下一条".
        "queue_query": queue_query(carried_filters(request, request.GET.get("queue"))) if can else "",
        "back_url": back_url,
        "back_label": back_label,
        # 自动晋档: an empty route of an automatic move; the page says so instead of "无需审批".
        "automatic": not proposal.route and proposal.move in AUTOMATIC_MOVES,
    }
