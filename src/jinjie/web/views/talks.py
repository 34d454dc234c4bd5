"""职业规划谈话: recorded by HR or a unit leader, acknowledged by the employee. Every read goes
through development.selectors.talks_for, which attaches a 保密 note only for HR."""

import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.approvals import clock
from jinjie.development.selectors.talks import talk_get, talks_for
from jinjie.development.services import talk_acknowledge, talk_actions_to_plan, talk_record
from jinjie.interchange.exports import export_talks
from jinjie.org import authority
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee

from ..access import may, requires
from ..refusals import shows_refusals
from .common import go

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires("talks.read", "talks.record")
@require_GET
def talks(request):
    return render(request, "web/development/talks.html", {
        "views": talks_for(user=request.user), "may_record": may(request.user, "talks.record"),
    })


@requires("talks.read")
@require_GET
def talks_export(request):
    buffer = io.BytesIO()
    export_talks(views=talks_for(user=request.user), path=buffer, fmt="xlsx")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="talks.xlsx"'
    return response


def _back_new(request, *args, **kwargs):
    return reverse("web:talk_new")


def scoped_employee(user, employee_no: str) -> Employee:
    from jinjie.core.errors import DomainError

    number = (employee_no or "").strip()[:32]
    if not number.isprintable():
        raise DomainError(gettext("工号含有无效字符"))
    employee = scope_employees(user, Employee.objects.select_related("org_unit")).filter(employee_no=number).first()
    if employee is None:
        raise DomainError(gettext("工号“%(no)s”不存在或不在您的管理范围内") % {"no": number})
    return employee


@requires("talks.record")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back_new)
def talk_new(request):
    if request.method == "POST":
        post = request.POST
        talk = talk_record(
            employee=scoped_employee(request.user, post.get("employee_no", "")), actor=request.user,
            date=post.get("date", ""), participants=post.get("participants", ""), topics=post.get("topics", ""),
            agreed_actions=post.get("agreed_actions", "").splitlines(), follow_up=post.get("follow_up", ""),
            confidential_note=post.get("confidential_note", ""),
        )
        return go(request, reverse("web:talk", args=[talk.pk]))
    return render(request, "web/development/talk_new.html", {
        "today": clock.today(), "may_note": may(request.user, "talks.read_confidential"),
        "employee_no": (request.GET.get("employee_no") or "")[:32],
    })


def _view(request, pk):
    view = talk_get(user=request.user, pk=pk)
    if view is None:
        raise Http404(gettext("没有找到该谈话记录，或不在您的范围内"))
    return view


@requires("talks.read")
@require_GET
def talk(request, pk: int):
    view = _view(request, pk)
    employee = view.talk.employee
    return render(request, "web/development/talk.html", {
        "v": view, "t": view.talk,
        "may_ack": view.talk.acknowledged_at is None and authority.allows(request.user, "talks.acknowledge", employee),
        "may_plan": bool(view.talk.agreed_actions) and authority.allows(request.user, "plans.edit", employee),
    })


def _back(request, pk, *args, **kwargs):
    return reverse("web:talk", args=[pk])


@requires("talks.acknowledge")
@require_POST
@shows_refusals(_back)
def talk_ack(request, pk: int):
    talk_acknowledge(talk=_view(request, pk).talk, actor=request.user)
    return go(request, reverse("web:talk", args=[pk]))


@requires("plans.edit")
@require_POST
@shows_refusals(_back)
def talk_to_plan(request, pk: int):
    view = _view(request, pk)
    talk_actions_to_plan(talk=view.talk, actor=request.user)
    return go(request, reverse("web:plan", args=[view.talk.employee_id]))
