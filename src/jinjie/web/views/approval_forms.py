"""晋级审批表 (PDF) for the leaders who sign: one proposal from its page, or the proposals selected
on the list (approvals.approval_form_pdf). Reads only; the proposals are scoped to the user."""

import hashlib

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from jinjie.approvals.approval_form_pdf import (
    MAX_FORMS,
    MAX_FORMS_IN_A_JOB,
    approval_forms,
    render_approval_forms,
)
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.selectors import proposal_get
from jinjie.org.scoping import scope_employees

from ..access import requires
from .common import refused, safe_next
from .jobs import start

_MAX_ID = 2**63 - 1


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@requires("proposals.print_form")
@require_GET
def proposal_form_pdf(request, pk: int):
    try:
        proposal = proposal_get(pk=pk, user=request.user)
    except Proposal.DoesNotExist:
        raise Http404(gettext("没有找到该建议，或不在您的数据范围内")) from None
    return _pdf(render_approval_forms(approval_forms([proposal])), f"approval-form-{proposal.pk}.pdf")


@requires("proposals.print_form")
@require_POST
def proposal_forms_pdf(request):
    """The selected rows of the list (their checkboxes `ids` and `print_ids`), by unit and 工号."""
    back = safe_next(request, reverse("web:proposals"))
    wanted = {int(x) for x in request.POST.getlist("ids") + request.POST.getlist("print_ids") if x.isdigit()}
    wanted = {pk for pk in wanted if 0 < pk <= _MAX_ID}
    if not wanted:
        return refused(request, gettext("请先勾选要打印晋级审批表的建议"), back)
    if len(wanted) > MAX_FORMS:
        # A big batch is made by the worker (ops.job_kinds "approval_forms_pdf"); its page offers
        # the file when it is ready. The same selection asked twice is the same job.
        if len(wanted) > MAX_FORMS_IN_A_JOB:
            return refused(request, gettext("一次最多打印 %(n)s 份晋级审批表，请分批打印") % {"n": MAX_FORMS_IN_A_JOB}, back)
        ids = sorted(wanted)
        key = f"forms:{request.user.pk}:{hashlib.sha256(','.join(map(str, ids)).encode()).hexdigest()[:32]}"
        return start(request, kind="approval_forms_pdf", args={"ids": ids}, dedupe_key=key, back=back)
    proposals = list(
        scope_employees(request.user, Proposal.objects.filter(pk__in=wanted), prefix="employee__")
        .select_related("employee", "employee__org_unit", "rulebook")
        .order_by("employee__org_unit__path", "employee__employee_no", "pk")
    )
    if not proposals:
        return refused(request, gettext("所选建议不存在，或不在您的数据范围内"), back)
    return _pdf(render_approval_forms(approval_forms(proposals)), "approval-forms.pdf")
