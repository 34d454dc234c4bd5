"""晋升/降级建议: the filtered list with batch decisions, and one proposal with its decision form."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jinjie.approvals.checks import decidable_ids, submittable_ids
from jinjie.approvals.readers import READ_RIGHTS, proposal_readable
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.qualify import latest_complete_period
from jinjie.evaluations.selectors import proposal_list

from ..access import requires
from ..forms import ProposalFilterForm
from .common import paginate
from .workflow import proposal_context


@requires("proposals.list")
@require_GET
def proposals(request):
    user = request.user
    data = request.GET.copy()
    data.setdefault("period", str(latest_complete_period()))
    form = ProposalFilterForm(data, user=user)
    page = None
    if form.is_valid():
        f = form.cleaned_data
        qs = proposal_list(
            period=f["period"], org_unit=f["unit"], user=user, move=f["move"] or None, state=f["state"] or None
        )
        if f["q"]:
            qs = qs.filter(Q(employee__employee_no__icontains=f["q"]) | Q(employee__name__icontains=f["q"]))
        page = paginate(request, qs)
    return render(request, "web/proposals.html", {"form": form, "page": page, **_decisions(request, page)})


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
        raise Http404("没有找到该建议，或不在您的数据范围内") from None
    return render(request, "web/proposal_detail.html", {"p": proposal, **proposal_context(request, proposal)})
