"""员工档案 (HR, committee) and 我的职业发展 (the employee's own page)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from jinjie.applications.selectors import career_rounds, employee_applications
from jinjie.approvals import clock
from jinjie.approvals.services.demotion import DEMOTING_SEVERITIES
from jinjie.assessments.selectors import employee_records, score_trend
from jinjie.core.errors import DomainError
from jinjie.development.selectors.career import career_links
from jinjie.evaluations.qualify import ladder_gap, monopoly_next_level
from jinjie.evaluations.selectors import employee_proposals
from jinjie.org import authority
from jinjie.org.scoping import scope_employees, visible_org_units
from jinjie.people.models import (
    Employee,
    Track,
)
from jinjie.people.services import employee_reveal_id_number, qualification_correct
from jinjie.rules.ladder import LADDER_TRACKS, RANKS
from jinjie.selections.selectors import open_selections_for

from ..access import requires
from ..forms import ImmediateDemotionForm, QualificationCorrectForm
from ..refusals import shows_refusals
from . import pay
from .common import go, paginate, refused
from .employee_filters import employee_filters
from .exports import export_link
from .next_steps import PENDING_STATES


@requires("employees.list")
@require_GET
def employees(request):
    f = employee_filters(request)
    return render(
        request,
        "web/employees.html",
        {
            "page": paginate(request, f.employees),
            "q": f.q,
            "unit": f.unit,
            "units": visible_org_units(request.user).order_by("path"),
            "track": f.track,
            "tracks": Employee._meta.get_field("track").choices,
            **export_link(request, "web:employees_export", "export.employees"),
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
        raise Http404(gettext("没有找到该员工，或不在您的数据范围内"))
    records = {**employee_records(employee=employee), "proposals": employee_proposals(employee=employee)}
    demotion_form = None
    may_demote = authority.allows(request.user, "demotions.immediate", employee) and employee.track in LADDER_TRACKS
    # SPEC 2.3 "情节比较严重": only a 较重/严重 violation is offered; the others are listed with why not.
    demoting = [v for v in records["violations"] if v.severity in DEMOTING_SEVERITIES] if may_demote else []
    minor = [v for v in records["violations"] if v.severity not in DEMOTING_SEVERITIES] if may_demote else []
    if demoting:
        demotion_form = ImmediateDemotionForm(violations=demoting)
    return render(
        request,
        "web/employee_detail.html",
        {
            "e": employee,
            "ladder": _ladder(employee),
            "demotion_form": demotion_form,
            "minor_violations": minor,
            "may_reveal": authority.allows(request.user, "employees.reveal_id", employee),
            "may_correct_qualifications": authority.allows(request.user, "qualifications.correct", employee),
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
        raise PermissionDenied(gettext("您的账号没有关联员工档案，请联系人事劳资部门"))
    monopoly = employee.track == Track.MONOPOLY_ADMINISTRATOR
    gap = monopoly_gap = None
    gap_error = ""
    application_rounds, my_applications = [], []
    try:
        if monopoly:
            monopoly_gap = monopoly_next_level(employee=employee)
            # An open round: its apply button and the conditions at its check date (SPEC 3.1).
            application_rounds = career_rounds(employee=employee, today=clock.today())
            my_applications = employee_applications(employee=employee)
        else:
            gap = ladder_gap(employee=employee)
    except DomainError as e:
        gap_error = str(e)
    from . import notices

    proposals = list(employee_proposals(employee=employee))
    return render(
        request,
        "web/career.html",
        {
            "e": employee,
            "gap": gap,
            "monopoly": monopoly,
            "monopoly_gap": monopoly_gap,
            "application_rounds": application_rounds,
            "my_applications": my_applications,
            "may_apply": authority.allows(request.user, "applications.apply", employee),
            "gap_error": gap_error,
            "ladder": _ladder(employee),
            "open_notices": notices.open_notices_for_employee(request.user),
            "open_selections": open_selections_for(request.user),
            **pay.pay_context(employee),
            **employee_records(employee=employee),
            "proposals": proposals,
            # Still moving: listed first on the page (first of all on a phone).
            "has_pending": any(p.state in PENDING_STATES for p in proposals),
            "trend": score_trend(employee=employee),
            "development": career_links(user=request.user),
        },
    )


@requires("employees.reveal_id")
@require_POST
def employee_reveal(request, pk: int):
    """htmx: the full 身份证号, for HR only, logged by people.services (PiiAccessLog)."""
    employee = scope_employees(request.user, Employee.objects.all()).filter(pk=pk).first()
    if employee is None:
        raise Http404(gettext("没有找到该员工，或不在您的数据范围内"))
    number = employee_reveal_id_number(user=request.user, employee=employee, purpose="员工档案页面查看")
    return HttpResponse(format_html('<span class="font-monospace">{}</span> <span class="badge text-bg-warning">{}</span>', number, gettext("已记录查看")))


def _back_to_employee(request, pk: int, qid: int) -> str:
    return reverse("web:employee", args=[pk])


@requires("qualifications.correct")
@require_POST
@shows_refusals(_back_to_employee)
def qualification_correct_view(request, pk: int, qid: int):
    """更正 a granted 专卖管理员 level: a new record with the reason (people.qualification_correct)."""
    employee = scope_employees(request.user, Employee.objects.all()).filter(pk=pk).first()
    if employee is None:
        raise Http404(gettext("没有找到该员工，或不在您的数据范围内"))
    back = reverse("web:employee", args=[pk])
    form = QualificationCorrectForm(request.POST)
    if not form.is_valid():
        return refused(request, "；".join(e for errors in form.errors.values() for e in errors), back)
    current = employee.qualifications.filter(pk=qid).first()
    if current is None:
        raise Http404(gettext("没有找到该资格记录"))
    fixed = qualification_correct(
        actor=request.user, qualification=current, granted_date=form.cleaned_data["granted_date"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, gettext("已更正 %(level)s 的取得日期为 %(day)s（原记录保留）。") % {"level": fixed.level, "day": fixed.granted_date})
    return go(request, back)
