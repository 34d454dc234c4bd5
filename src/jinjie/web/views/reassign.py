"""调整岗位: employees demoted to 见习 twice in a row, for HR (SPEC 2.3; approvals.selectors)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from jinjie.approvals.selectors import reassignment_cases

from ..access import requires


@requires("reassignments.read")
@require_GET
def reassignments(request):
    return render(request, "web/reassignments.html", {"cases": reassignment_cases(user=request.user)})
