"""工作台: per role, what waits for the user (SPEC 1). An employee goes to 我的职业发展."""

from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jinjie.applications.selectors import review_queue, round_status, visible_rounds
from jinjie.approvals import clock
from jinjie.approvals.queue import QueueFilters, my_queue
from jinjie.approvals.selectors import (
    notice_candidates_first,
    notices_for,
    objections_for,
    reassignment_cases,
)
from jinjie.evaluations.models import EvaluationRun, Proposal, ProposalState
from jinjie.evaluations.qualify import latest_complete_period
from jinjie.org import authority
from jinjie.org.models import PATH_SEP, Role
from jinjie.org.scoping import scope_employees
from jinjie.rulebooks.models import BookStatus, RuleBook

from ..access import may, requires
from . import selections
from .queue import queue_query


def _scoped(user, qs):
    return scope_employees(user, qs, prefix="employee__")


def _task(title, count, url, icon, items=None, empty=None, style="primary"):
    return {"title": title, "count": count, "url": url, "icon": icon, "items": items or [], "empty": empty or _("暂无"), "style": style}


def _proposal_items(proposals, query: str = ""):
    return [
        {"text": f"{p.employee.name}（{p.employee.org_unit.name}）{p.from_rank} → {p.to_rank}", "url": reverse("web:proposal", args=[p.pk]) + query}
        for p in proposals[:8]
    ]


def _queue_items(user):
    """待我审批, longest waiting first: its pages carry the queue, for "同意并处理下一条"."""
    steps = my_queue(user=user)
    query = "?" + urlencode({"queue": queue_query(QueueFilters())})
    return steps, _proposal_items(steps, query)


def _not_evaluated(user):
    """The latest complete quarter, when no run covers the user's unit yet: "2026Q3 尚未测评"."""
    if user.org_unit is None or not may(user, "evaluations.run"):
        return None
    period = str(latest_complete_period(clock.today()))
    parts = user.org_unit.path.split(PATH_SEP)
    above_or_self = [PATH_SEP.join(parts[: i + 1]) for i in range(len(parts))]
    ran = EvaluationRun.objects.filter(period=period).filter(
        Q(org_unit__isnull=True) | Q(org_unit__path__in=above_or_self)
    )
    if ran.exists():
        return None
    url = reverse("web:periods") + "?" + urlencode({"period": period, "unit": user.org_unit_id})
    return _task(
        _("%(period)s 尚未测评") % {"period": period}, None, url, "exclamation-triangle",
        [{"text": _("%(unit)s %(period)s 的季度测评尚未运行：请核对考核数据后运行测评") % {"unit": user.org_unit.name, "period": period}, "url": url}],
        style="warning",
    )


def _committee_tasks(user):
    drafts = _scoped(user, Proposal.objects.filter(state=ProposalState.DRAFT))
    # One grouped count: the drafts of a period are tens of thousands at a bureau's scale.
    per_period = dict(drafts.order_by().values_list("period").annotate(n=Count("*")))  # "*": from the index alone
    draft_items = [
        {"text": _("%(period)s 待提交 %(n)s 条") % {"period": period, "n": per_period[period]}, "url": reverse("web:proposals") + "?" + urlencode({"period": period or "", "state": "draft"})}
        for period in sorted(per_period, reverse=True)[:6]
    ]
    steps, step_items = _queue_items(user)
    awaiting_count, awaiting = notice_candidates_first(user=user)
    open_objections = objections_for(user=user, status="open")
    prompt = _not_evaluated(user)
    return [
        *([prompt] if prompt else []),
        _task(_("待提交审批的测评结果"), sum(per_period.values()), reverse("web:periods"), "send", draft_items),
        _task(_("待我审批"), steps.count(), reverse("web:queue"), "check2-square", step_items),
        _task(_("待发布公示"), awaiting_count, reverse("web:notice_new"), "megaphone", _proposal_items(awaiting)),
        _task(
            _("待处理的异议"), len(open_objections), reverse("web:objections"), "chat-square-text",
            [{"text": _("异议 #%(id)s：%(text)s") % {"id": o.id, "text": o.text[:30]}, "url": reverse("web:objections")}
             for o in open_objections[:8]],
            style="danger",
        ),
    ]


def _reviewer_tasks(user):
    steps, step_items = _queue_items(user)
    title = {Role.TRACK_REVIEWER: _("待序列审核（%(track)s）") % {"track": user.track or _("未设置序列")}, Role.LEADER: _("待领导审批"), Role.DIRECTOR: _("待局长审批")}[user.role]
    tasks = [_task(title, steps.count(), reverse("web:queue"), "check2-square", step_items)]
    if authority.allows(user, "applications.review"):
        waiting = review_queue(user=user)
        tasks.append(_task(
            _("待审核的专卖管理员等级申报"), waiting.count(), reverse("web:rounds"), "award",
            [{"text": _("%(name)s（%(unit)s）申报 %(level)s") % {"name": a.employee.name, "unit": a.employee.org_unit.name, "level": a.level},
              "url": reverse("web:application", args=[a.pk])}
             for a in waiting[:8]],
        ))
    return tasks


def _hr_tasks(user):
    cases = reassignment_cases(user=user, closed=False)
    drafts = RuleBook.objects.filter(status=BookStatus.DRAFT).order_by("kind", "-version")
    today = clock.today()
    rounds = [r for r in visible_rounds(user=user)[:20] if round_status(r, today)[0] in ("open", "due")]
    return [
        _task(_("专卖管理员等级申报批次"), len(rounds), reverse("web:rounds"), "award",
              [{"text": f"{r.title}（{_(round_status(r, today)[1])}）", "url": reverse("web:round", args=[r.pk])} for r in rounds[:8]],
              empty=_("没有正在申报的批次")),
        _task(_("调整岗位(连续两次降级)"), len(cases), reverse("web:reassignments"), "arrow-left-right",
              [{"text": f"{c.employee.name} {c.proposal.from_rank} → {c.proposal.to_rank}", "url": reverse("web:employee", args=[c.employee.pk])} for c in cases[:8]], style="danger"),
        _task(_("评定标准草稿"), drafts.count(), reverse("web:rulebooks"), "journal-text",
              [{"text": _("%(kind)s v%(version)s（%(day)s 起）") % {"kind": _(b.get_kind_display()), "version": b.version, "day": b.effective_from},
                "url": reverse("web:rulebook", args=[b.pk])} for b in drafts[:8]]),
        _task(_("数据导入"), None, reverse("web:imports"), "upload", [{"text": _("导入员工、考核、培训等数据"), "url": reverse("web:imports")}]),
    ]


def _assessor_tasks(user):
    return [_task(_("考核数据导入"), None, reverse("web:imports"), "upload",
                  [{"text": _("导入月度考核得分、综合能力测评、违规记录、突出贡献"), "url": reverse("web:imports")}])]


def _discipline_tasks(user):
    open_objections = objections_for(user=user, status="open")
    return [_task(_("公示异议(待处理)"), len(open_objections), reverse("web:objections"), "shield-exclamation", style="danger")]


TASKS = {
    Role.COMMITTEE: _committee_tasks,
    Role.TRACK_REVIEWER: _reviewer_tasks,
    Role.LEADER: _reviewer_tasks,
    Role.DIRECTOR: _reviewer_tasks,
    Role.HR: _hr_tasks,
    Role.ASSESSOR: _assessor_tasks,
    Role.DISCIPLINE: _discipline_tasks,
}


@requires()
@require_GET
def home(request):
    user = request.user
    if user.role == Role.EMPLOYEE:
        return redirect("web:career")
    builder = TASKS.get(user.role)
    tasks = (builder(user) if builder else []) + selections.home_tasks(user)
    running = notices_for(user=user).filter(end_date__gte=clock.today())[:5]
    return render(request, "web/home.html", {"tasks": tasks, "running_notices": running, "today": clock.today()})
