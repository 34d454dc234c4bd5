"""员工档案 (HR, committee) and 我的职业发展 (the employee's own page)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from jinjie.assessments.selectors import employee_records
from jinjie.evaluations.qualify import ladder_gap, monopoly_next_level
from jinjie.evaluations.selectors import employee_proposals
from jinjie.evaluations.services import EvaluationError
from jinjie.org import authority
from jinjie.org.scoping import scope_employees, visible_org_units
from jinjie.people.models import (
    Employee,
    Track,
)
from jinjie.people.services import employee_reveal_id_number
from jinjie.rules.ladder import LADDER_TRACKS, RANKS
from jinjie.selections.selectors import open_selections_for

from ..access import requires
from ..forms import ImmediateDemotionForm
from . import pay
from .common import paginate


@requires("employees.list")
@require_GET
def employees(request):
    qs = scope_employees(request.user, Employee.objects.select_related("org_unit")).order_by("employee_no")
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(Q(employee_no__icontains=q) | Q(name__icontains=q))
    unit_id = request.GET.get("unit") or ""
    unit = visible_org_units(request.user).filter(pk=unit_id).first() if unit_id.isdigit() else None
    if unit is not None:
        qs = qs.filter(unit.subtree_filter(prefix="org_unit__"))
    track = request.GET.get("track") or ""
    if track:
        qs = qs.filter(track=track)
    return render(
        request,
        "web/employees.html",
        {
            "page": paginate(request, qs),
            "q": q,
            "unit": unit,
            "units": visible_org_units(request.user).order_by("path"),
            "track": track,
            "tracks": Employee._meta.get_field("track").choices,
        },
    )


def _ladder(employee: Employee) -> list[dict]:
    if employee.track not in LADDER_TRACKS or employee.current_rank not in RANKS:
        return []
    here = RANKS.index(employee.current_rank)
    return [{"name": r, "state": "current" if i == here else ("done" if i < here else ("next" if i == here + 1 else ""))} for i, r in enumerate(RANKS)]


@requires("employees.list")
@require_GET
def employee_detail(request, pk: int):
    employee = scope_employees(request.user, Employee.objects.select_related("org_unit")).filter(pk=pk).first()
    if employee is None:
        raise Http404("没有找到该员工，或不在您的数据范围内")
    records = {**employee_records(employee=employee), "proposals": employee_proposals(employee=employee)}
    demotion_form = None
    if authority.allows(request.user, "demotions.immediate", employee) and employee.track in LADDER_TRACKS and records["violations"]:
        demotion_form = ImmediateDemotionForm(violations=records["violations"])
    return render(
        request,
        "web/employee_detail.html",
        {
            "e": employee,
            "ladder": _ladder(employee),
            "demotion_form": demotion_form,
            "may_reveal": authority.allows(request.user, "employees.reveal_id", employee),
            **pay.pay_context(employee),
            **records,
        },
    )


@requires("career.read")
@require_GET
def career(request):
    """我的职业发展: own rank, pay, the exact gap to the next grade and level, history, notices.

    A 专卖管理员 has no grades: they see the conditions of the next level they may apply for.
    """
    employee = request.user.employee
    if employee is None:
        raise PermissionDenied("您的账号没有关联员工档案，请联系人事劳资部门")
    monopoly = employee.track == Track.MONOPOLY_ADMINISTRATOR
    gap = monopoly_gap = None
    gap_error = ""
    try:
        if monopoly:
            monopoly_gap = monopoly_next_level(employee=employee)
        else:
            gap = ladder_gap(employee=employee)
    except EvaluationError as e:
        gap_error = str(e)
    from . import notices

    return render(
        request,
        "web/career.html",
        {
            "e": employee,
            "gap": gap,
            "monopoly": monopoly,
            "monopoly_gap": monopoly_gap,
            "gap_error": gap_error,
            "ladder": _ladder(employee),
            "open_notices": notices.open_notices_for_employee(request.user),
            "open_selections": open_selections_for(request.user),
            **pay.pay_context(employee),
            **employee_records(employee=employee),
            "proposals": employee_proposals(employee=employee),
        },
    )


@requires("employees.reveal_id")
@require_POST
def employee_reveal(request, pk: int):
    """htmx: the full 身份证号, for HR only, logged by people.services (PiiAccessLog)."""
    employee = scope_employees(request.user, Employee.objects.all()).filter(pk=pk).first()
    if employee is None:
        raise Http404("没有找到该员工，或不在您的数据范围内")
    number = employee_reveal_id_number(user=request.user, employee=employee, purpose="员工档案页面查看")
    return HttpResponse(format_html('<span class="font-monospace">{}</span> <span class="badge text-bg-warning">已记录查看</span>', number))
