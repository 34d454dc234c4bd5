"""个人发展计划: the employee keeps it (and adds actions from their gap), HR keeps it with them, the
mentor or unit leader comments; every saved version kept and comparable."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from jinjie.development.models import ActionStatus
from jinjie.development.selectors.plans import (
    compare_versions,
    plan_comments,
    plan_employee,
    plan_versions,
    plans_in_scope,
)
from jinjie.development.services import plan_add_gap_actions, plan_comment, plan_save
from jinjie.development.services.plans import TARGETS, commenter_capacity
from jinjie.org import authority
from jinjie.org.models import Role

from ..access import requires
from ..refusals import shows_refusals
from .common import go, paginate

BLANK_ROWS = 3


@requires("plans.read")
@require_GET
def plans(request):
    if request.user.role == Role.EMPLOYEE:
        if request.user.employee_id:
            return redirect("web:plan", request.user.employee_id)
        raise Http404(gettext("您的账号没有关联员工档案"))
    qs = plans_in_scope(user=request.user).order_by("employee__employee_no")
    return render(request, "web/development/plans.html", {"page": paginate(request, qs)})


def _employee(request, pk):
    employee = plan_employee(user=request.user, pk=pk)
    if employee is None:
        raise Http404(gettext("没有找到该员工的个人发展计划，或不在您的范围内"))
    return employee


def _version(versions, raw):
    if not (raw or "").isdigit() or len(raw) > 8:
        return None
    return next((v for v in versions if v.number == int(raw)), None)


@requires("plans.read", "mentorships.mentor")
@require_GET
def plan(request, pk: int):
    employee = _employee(request, pk)
    versions = plan_versions(employee=employee)
    current = versions[0] if versions else None
    shown = _version(versions, request.GET.get("v")) or current
    a, b = _version(versions, request.GET.get("a")), _version(versions, request.GET.get("b"))
    comparison = compare_versions(a, b) if a and b else None
    may_edit = authority.allows(request.user, "plans.edit", employee)
    actions = list(current.actions) if current else []
    return render(request, "web/development/plan.html", {
        "e": employee, "versions": versions, "current": current, "shown": shown, "a": a, "b": b,
        "comparison": comparison, "comments": plan_comments(employee=employee), "may_edit": may_edit,
        "may_comment": commenter_capacity(request.user, employee) is not None,
        "edit_actions": actions + [{"text": "", "due": "", "status": "todo", "evidence": "", "source": ""}] * BLANK_ROWS,
        "statuses": ActionStatus.choices, "targets": TARGETS[1:],
    })


def _back(request, pk, *args, **kwargs):
    return reverse("web:plan", args=[pk])


@requires("plans.edit")
@require_POST
@shows_refusals(_back)
def plan_save_view(request, pk: int):
    employee = _employee(request, pk)
    post = request.POST
    texts = post.getlist("action_text")[:100]
    columns = {k: post.getlist(f"action_{k}") for k in ("due", "status", "evidence", "source")}
    actions = [
        {k: (columns[k][i] if i < len(columns[k]) else "") for k in columns} | {"text": text}
        for i, text in enumerate(texts)
        if text.strip()
    ]
    plan_save(
        employee=employee, actor=request.user, target_rank=post.get("target_rank", ""),
        target_date=post.get("target_date", ""), goals=post.get("goals", ""), actions=actions,
        note=post.get("note", ""),
    )
    return go(request, reverse("web:plan", args=[pk]))


@requires("plans.edit")
@require_POST
@shows_refusals(_back)
def plan_gap_view(request, pk: int):
    version = plan_add_gap_actions(employee=_employee(request, pk), actor=request.user)
    from django.contrib import messages

    messages.success(request, version.note)
    return go(request, reverse("web:plan", args=[pk]))


@requires("plans.comment", "mentorships.mentor")
@require_POST
@shows_refusals(_back)
def plan_comment_view(request, pk: int):
    plan_comment(employee=_employee(request, pk), actor=request.user, text=request.POST.get("text", ""))
    return go(request, reverse("web:plan", args=[pk]) + "#comments")
