"""个人发展计划: a save is a new version; the gap's unmet criteria become actions; comments."""

from datetime import date

from django.db import transaction

from jinjie.core.errors import DomainError, NotPermitted
from jinjie.evaluations.qualify import ladder_gap, monopoly_next_level
from jinjie.evaluations.services import EvaluationError
from jinjie.org import authority
from jinjie.people.models import Employee, Track
from jinjie.rules.ladder import MONOPOLY_LEVELS, RANKS

from ..models import ActionStatus, DevelopmentPlan, PlanComment, PlanVersion
from ..selectors.mentors import active_pairing
from ._text import a_date, optional_text, required_text

MAX_ACTIONS = 50
TARGETS = ("", *RANKS[1:], *MONOPOLY_LEVELS)


def clean_actions(actions) -> list[dict]:
    """[{text, due, status, evidence, source}] as stored; refuses anything else in Chinese."""
    if not isinstance(actions, list):
        raise DomainError("行动应为列表")
    if len(actions) > MAX_ACTIONS:
        raise DomainError(f"行动最多 {MAX_ACTIONS} 项")
    out = []
    for i, action in enumerate(actions, start=1):
        if not isinstance(action, dict):
            raise DomainError(f"第 {i} 项行动格式无效")
        status = action.get("status") or ActionStatus.TODO
        if status not in ActionStatus.values:
            raise DomainError(f"第 {i} 项行动的状态应为：未开始、进行中或已完成")
        due = a_date(action.get("due"), f"第 {i} 项行动的完成期限", required=False)
        out.append({
            "text": required_text(action.get("text"), f"第 {i} 项行动的内容", 300),
            "due": due.isoformat() if due else "",
            "status": status,
            "evidence": optional_text(action.get("evidence"), f"第 {i} 项行动的完成证明", 500),
            "source": optional_text(action.get("source"), "来源", 50),
        })
    return out


def _plan(employee: Employee) -> DevelopmentPlan:
    plan, _ = DevelopmentPlan.objects.get_or_create(employee=employee)
    return DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)


def _latest(plan: DevelopmentPlan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first()


def _save(plan, *, actor, target_rank, target_date, goals, actions, note) -> PlanVersion:
    last = _latest(plan)
    return PlanVersion.objects.create(
        plan=plan, number=(last.number + 1) if last else 1, target_rank=target_rank, target_date=target_date,
        goals=goals, actions=actions, saved_by=actor, note=note,
    )


@transaction.atomic
def plan_save(
    *, employee: Employee, actor, target_rank: str = "", target_date: date | str | None = None, goals: str = "",
    actions: list | None = None, note: str = "",
) -> PlanVersion:
    """Save the plan as a new version (the employee themselves, or HR)."""
    authority.require(actor, "plans.edit", employee)
    if target_rank not in TARGETS:
        raise DomainError(f"目标职级/等级“{target_rank}”无效")
    values = {
        "target_rank": target_rank,
        "target_date": a_date(target_date, "目标日期", required=False),
        "goals": optional_text(goals, "发展目标", 2000),
        "actions": clean_actions(actions or []),
        "note": optional_text(note, "修改说明", 200),
    }
    plan = _plan(employee)
    last = _latest(plan)
    content = ("target_rank", "target_date", "goals", "actions")
    if not any(values[k] for k in content):
        raise DomainError("请至少填写目标职级、发展目标或一项行动")
    if last is not None and all(getattr(last, k) == values[k] for k in content):
        raise DomainError("计划没有变化，未保存新版本")
    return _save(plan, actor=actor, **values)


def gap_actions(employee: Employee) -> list[dict]:
    """The unmet criteria of the gap (next grade and level, or the next monopoly level) as actions."""
    try:
        if employee.track == Track.MONOPOLY_ADMINISTRATOR:
            gap = monopoly_next_level(employee=employee)
            targets = [gap.qualification] if gap.qualification else []
        else:
            targets = list(ladder_gap(employee=employee).targets)
    except EvaluationError as e:
        raise DomainError(str(e)) from None
    out: dict[str, dict] = {}
    for target in targets:
        for reason in target.failed:
            key = f"gap:{reason.code}"
            if key in out:
                continue
            out[key] = {
                "text": f"{reason.label}：达到 {reason.required}（现为 {reason.actual}，晋升{target.target}的条件）",
                "due": "", "status": ActionStatus.TODO, "evidence": "", "source": key,
            }
    return list(out.values())


@transaction.atomic
def plan_add_gap_actions(*, employee: Employee, actor) -> PlanVersion:
    """"Add from my gap": each unmet criterion not already an open action becomes one (new version)."""
    authority.require(actor, "plans.edit", employee)
    plan = _plan(employee)
    last = _latest(plan)
    actions = list(last.actions) if last else []
    open_sources = {a.get("source") for a in actions if a.get("status") != ActionStatus.DONE}
    new = [a for a in gap_actions(employee) if a["source"] not in open_sources]
    if not new:
        raise DomainError("晋升差距中没有可添加的新行动（未满足的条件都已在计划中，或已全部满足）")
    return _save(
        plan, actor=actor, target_rank=last.target_rank if last else "", target_date=last.target_date if last else None,
        goals=last.goals if last else "", actions=clean_actions(actions + new), note=f"从晋升差距添加 {len(new)} 项行动",
    )


def commenter_capacity(actor, employee: Employee) -> str | None:
    """Who may comment on the plan, and as what: HR or the unit leader over the employee, or the
    mentor of an active pairing. None: nobody the plan answers to."""
    if authority.allows(actor, "plans.comment", employee):
        return actor.get_role_display()
    if authority.allows(actor, "mentorships.mentor") and active_pairing(mentor_id=actor.employee_id, mentee_id=employee.pk):
        return "导师"
    return None


@transaction.atomic
def plan_comment(*, employee: Employee, actor, text: str) -> PlanComment:
    capacity = commenter_capacity(actor, employee)
    if capacity is None:
        raise NotPermitted(
            authority.explain(actor, "plans.comment", employee) or "只有导师、分局(公司)领导或人事劳资可以点评计划"
        )
    text = required_text(text, "点评", 2000)
    plan = _plan(employee)
    last = _latest(plan)
    if last is None:
        raise DomainError("该员工还没有保存过个人发展计划")
    return PlanComment.objects.create(plan=plan, version=last.number, author=actor, capacity=capacity, text=text)
