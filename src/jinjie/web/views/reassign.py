"""调整岗位: employees demoted to 见习 twice in a row, for HR (SPEC 2.3; approvals.selectors), and
HR's decision that closes a case (approvals.services.reassignment_close). Closed cases stay listed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from jinjie.approvals import clock
from jinjie.approvals.selectors import reassignment_cases
from jinjie.approvals.services import reassignment_close
from jinjie.evaluations.models import Proposal
from jinjie.org.scoping import scope_employees

from ..access import may, requires
from ..forms_workflow import ReassignmentCloseForm
from ..refusals import shows_refusals
from .common import go, refused

TABS = {"open": False, "closed": True, "all": None}


@requires("reassignments.read")
@require_GET
def reassignments(request):
    status = request.GET.get("status") if request.GET.get("status") in TABS else "open"
    may_close = may(request.user, "reassignments.close")
    return render(
        request,
        "web/reassignments.html",
        {
            "cases": reassignment_cases(user=request.user, closed=TABS[status]),
            "status": status,
            "may_close": may_close,
            "close_form": ReassignmentCloseForm(initial={"decided_on": clock.today(), "outcome": "new_post"})
            if may_close
            else None,
        },
    )


def _back(request, pk: int) -> str:
    return reverse("web:reassignments")


@requires("reassignments.close")
@require_POST
@shows_refusals(_back)
def reassignment_close_view(request, pk: int):
    found = scope_employees(request.user, Proposal.objects.filter(pk=pk, reassign=True), prefix="employee__").exists()
    if not found:
        raise Http404(gettext("没有找到该调整岗位事项，或不在您的数据范围内"))
    back = reverse("web:reassignments")
    form = ReassignmentCloseForm(request.POST)
    if not form.is_valid():
        return refused(request, "；".join(e for errors in form.errors.values() for e in errors), back)
    f = form.cleaned_data
    closure = reassignment_close(
        proposal=pk, actor=request.user, outcome=f["outcome"], decided_on=f["decided_on"],
        new_post=f["new_post"], comment=f["comment"],
    )
    name = closure.proposal.employee.name
    messages.success(request, gettext("%(name)s 的调整岗位已办结（%(outcome)s），记录保留在“已办结”中，不再列入待办。") % {
        "name": name, "outcome": gettext(closure.get_outcome_display()),
    })
    return go(request, back + "?status=closed")
