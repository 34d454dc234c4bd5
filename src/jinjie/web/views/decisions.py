"""Decisions on proposals: one (htmx form on the proposal page) or many (the list's batch form).
The workflow services decide everything; a refusal (WorkflowError) comes back as its message and
nothing is written."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jinjie.approvals.services import (
    immediate_demotion,
    proposal_decide,
    proposal_submit,
    proposals_decide_batch,
)
from jinjie.approvals.workflow import STEP_ACTIONS, current_step
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.selectors import proposal_get
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee, Violation

from ..access import requires
from ..forms import ImmediateDemotionForm, PeriodSubmitForm
from ..forms_workflow import BatchDecideMeetingForm, MeetingFieldsMixin
from ..refusals import shows_refusals
from .common import go, refused
from .jobs import start
from .next_steps import batch_outcome, what_next
from .queue import next_after
from .workflow import decide_form_class, proposal_context

STEP_RIGHTS = tuple(STEP_ACTIONS.values())


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _back_to_proposal(request, pk: int) -> str:
    return reverse("web:proposal", args=[pk])


def _back_to_list(request) -> str:
    return _safe_next(request, reverse("web:proposals"))


@requires(*STEP_RIGHTS)
@require_POST
@shows_refusals(_back_to_proposal)
def proposal_decide_view(request, pk: int):
    try:
        proposal = proposal_get(pk=pk, user=request.user)
    except Proposal.DoesNotExist:
        raise Http404(gettext("没有找到该建议，或不在您的数据范围内")) from None
    url = reverse("web:proposal", args=[pk])
    data, and_next = request.POST, bool(request.POST.get("and_next"))
    if and_next:  # "同意并处理下一条": an approval, whatever the radio buttons say
        data = request.POST.copy()
        data["decision"] = "approve"
    form = decide_form_class(request.user, proposal)(data)
    if not form.is_valid():
        if request.htmx:
            context = {"form": form, "p": proposal, "current_step": current_step(proposal),
                       "queue_query": request.POST.get("queue", "")[:500]}
            return render(request, "web/_decide_form.html", context)
        # Without htmx: the whole page again, the form showing its errors.
        context = {"p": proposal, **proposal_context(request, proposal), "decide_form": form}
        return render(request, "web/proposal_detail.html", context, status=400)
    result = proposal_decide(
        proposal=proposal,
        actor=request.user,
        decision=form.cleaned_data["decision"],
        comment=form.cleaned_data["comment"],
        step_index=proposal.step_index,
        meeting=form.meeting() if isinstance(form, MeetingFieldsMixin) else None,
    )
    done = result.proposal
    decided = (
        gettext("已同意：%(name)s（%(from)s → %(to)s）。") if result.step.decision == "approve"
        else gettext("已不同意：%(name)s（%(from)s → %(to)s）。")
    )
    text = decided % {"name": proposal.employee.name, "from": done.from_rank, "to": done.to_rank} + what_next(done)
    if result.fallback is not None:
        text += gettext(" 已改按一步晋升（%(from)s → %(to)s）另行提交审批。") % {
            "from": result.fallback.from_rank, "to": result.fallback.to_rank,
        }
    messages.success(request, text)
    if and_next:
        return go(request, next_after(request, pk))
    return go(request, url)


@requires("proposals.submit", *STEP_RIGHTS)
@require_POST
@shows_refusals(_back_to_list)
def proposals_batch(request):
    back = _safe_next(request, reverse("web:proposals"))
    form = BatchDecideMeetingForm(request.POST)
    if not form.is_valid():
        return refused(request, "；".join(e for errors in form.errors.values() for e in errors), back)
    ids, decision, meeting = form.cleaned_data["ids"], form.cleaned_data["decision"], form.meeting()
    if decision == "submit" and meeting is not None:
        return refused(request, gettext("提交审批不记录会议：会议记录用于考评委员会的审批决定"), back)
    if decision == "submit":
        done = proposal_submit(proposals=ids, actor=request.user)
        messages.success(request, gettext("已提交审批 %(n)s 条建议：%(outcome)s。") % {"n": len(done), "outcome": batch_outcome(done)})
    else:
        batch = proposals_decide_batch(
            proposals=ids, actor=request.user, decision=decision, comment=form.cleaned_data["comment"], meeting=meeting
        )
        text = gettext("已同意 %(n)s 条建议：%(outcome)s。") if decision == "approve" else gettext("已不同意 %(n)s 条建议：%(outcome)s。")
        messages.success(request, text % {"n": len(batch), "outcome": batch_outcome(batch.proposals)})
    return go(request, back)


def _back_to_periods(request) -> str:
    return reverse("web:periods")


@requires("proposals.submit")
@require_POST
@shows_refusals(_back_to_periods)
def period_submit_view(request):
    """提交本期结果: every draft of a period in a unit, in one go (approvals.period_submit), run as a
    background job: tens of thousands of drafts at province scale."""
    form = PeriodSubmitForm(request.POST, user=request.user)
    back = reverse("web:periods")
    if not form.is_valid():
        return refused(request, "；".join(e for errors in form.errors.values() for e in errors), back)
    period, unit = form.cleaned_data["period"], form.cleaned_data["org_unit"]
    back += "?" + urlencode({"period": str(period), "unit": unit.pk})
    return start(
        request,
        kind="period_submit",
        args={"period": str(period), "org_unit_id": unit.pk},
        dedupe_key=f"period_submit:{period}:{unit.pk}",
        back=back,
    )


def _back_to_employee(request, pk: int) -> str:
    return reverse("web:employee", args=[pk])


@requires("demotions.immediate")
@require_POST
@shows_refusals(_back_to_employee)
def immediate_demotion_view(request, pk: int):
    """即时降档/降级 for a recorded violation, decided by the committee (approvals.immediate_demotion)."""
    employee = scope_employees(request.user, Employee.objects.all()).filter(pk=pk).first()
    if employee is None:
        raise Http404(gettext("没有找到该员工，或不在您的数据范围内"))
    back = reverse("web:employee", args=[pk])
    form = ImmediateDemotionForm(request.POST, violations=Violation.objects.filter(employee=employee))
    if not form.is_valid():
        return refused(request, "；".join(e for errors in form.errors.values() for e in errors), back)
    f = form.cleaned_data
    proposal = immediate_demotion(
        employee=employee, violation=f["violation"], to_level=f["to_level"], actor=request.user, comment=f["comment"]
    )
    messages.success(request, gettext("已决定%(move)s：%(from)s → %(to)s。") % {
        "move": gettext(proposal.get_move_display()), "from": proposal.from_rank, "to": proposal.to_rank,
    } + what_next(proposal))
    return go(request, reverse("web:proposal", args=[proposal.pk]))
