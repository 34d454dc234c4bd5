"""晋升/降级建议: the filtered list with batch decisions, and one proposal with its decision form."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from jinjie.approvals.checks import decidable_ids, submittable_ids
from jinjie.approvals.readers import READ_RIGHTS, proposal_readable
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.qualify import latest_complete_period
from jinjie.evaluations.selectors import proposal_list

from ..access import requires
from ..forms import ProposalFilterForm
from .common import paginate, refused
from .exports import proposals_xlsx
from .list_tools import list_tools
from .workflow import proposal_context


@requires("proposals.list")
@require_GET
def proposals(request):
    form, qs = filtered_proposals(request)
    page = paginate(request, qs) if qs is not None else None
    return render(
        request,
        "web/proposals.html",
        {"form": form, "page": page, **_decisions(request, page), **list_tools(request, "web:proposals_export")},
    )


def filtered_proposals(request):
    """The list's filter form (defaults: the latest complete period) and, when valid, its proposals."""
    data = request.GET.copy()
    data.setdefault("period", str(latest_complete_period()))
    form = ProposalFilterForm(data, user=request.user)
    if not form.is_valid():
        return form, None
    f = form.cleaned_data
    qs = proposal_list(
        period=f["period"], org_unit=f["unit"], user=request.user, move=f["move"] or None, state=f["state"] or None
    )
    if f["q"]:
        qs = qs.filter(Q(employee__employee_no__icontains=f["q"]) | Q(employee__name__icontains=f["q"]))
    return form, qs


@requires("proposals.export")
@require_GET
def proposals_export(request):
    """The list's proposals (its filters, scoped to the user) as Excel, in `jinjie export proposals`' columns."""
    form, qs = filtered_proposals(request)
    if qs is None:
        return refused(request, "；".join(e for errors in form.errors.values() for e in errors), reverse("web:proposals"))
    period = form.cleaned_data["period"]
    return proposals_xlsx(qs, gettext("晋升降级建议-%(period)s.xlsx") % {"period": period})


def _decisions(request, page) -> dict:
    """Which proposals on this page the user may decide now (approvals.checks, not the view)."""
    if page is None:
        return {"decidable": set(), "submittable": set()}
    shown = list(page.object_list)
    return {
        "decidable": decidable_ids(request.user, shown),
        "submittable": submittable_ids(request.user, shown),
    }


@requires(*READ_RIGHTS)
@require_GET
def proposal_detail(request, pk: int):
    """One proposal: for its deciders, HR and the employee concerned; for 纪检监察 the proposals the
    objections they read concern, read-only (approvals.readers)."""
    try:
        proposal = proposal_readable(pk=pk, user=request.user)
    except Proposal.DoesNotExist:
        raise Http404(gettext("没有找到该建议，或不在您的数据范围内")) from None
    return render(request, "web/proposal_detail.html", {"p": proposal, **proposal_context(request, proposal)})
