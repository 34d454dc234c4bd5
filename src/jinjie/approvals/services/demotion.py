"""Immediate demotion (即时降档/降级, SPEC 2.3–2.4): the committee demotes at once for a recorded
violation of some gravity (情节比较严重: 较重 or 严重); the move's arithmetic is the engine's."""

from __future__ import annotations

from django.db import transaction

from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
from jinjie.org import authority
from jinjie.org.models import User
from jinjie.people.models import Employee, RankChange, Severity, Violation
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.calendar import Period
from jinjie.rules.ladder import (
    LADDER_TRACKS,
    MOVE_LABELS,
    RANKS,
    demotion_step,
    flags_reassignment,
    move_between,
    rank_step,
    was_demotion,
)

from .. import clock
from ..models import Decision, DemotionLevel, ImmediateDemotion, ProposalTransition
from ..workflow import STEP_ACTIONS, WorkflowError, step_label, transition
from ._rows import clean_text, pk_of, save
from .decide import decide_locked

S = ProposalState
# SPEC 2.3 "情节比较严重": a 一般 violation holds a promotion in the quarter, it does not demote at once.
DEMOTING_SEVERITIES = (Severity.SERIOUS, Severity.GRAVE)


@transaction.atomic
def immediate_demotion(
    *, employee: Employee | int, violation: Violation | int, to_level: str, actor: User, comment: str = ""
) -> Proposal:
    """The committee demotes an employee at once for a recorded violation (SPEC 2.4).

    `to_level` "grade" → down one step (降档, r−1); "level" → the same grade one level lower (降级,
    max(0, r−3), 初级 falls to 见习). Creates a Proposal of kind "immediate" with the rule book's
    route for immediate demotions (default ["committee"]) and decides its first step with this
    same committee decision: with the default route it is approved at once, effective tomorrow,
    and apply_due makes it take effect. Flagged `reassign` when it ends at 见习 and the previous
    rank change was also a demotion (SPEC 2.3). One demotion per violation.
    """
    employee = (
        Employee.objects.select_for_update(of=("self",)).select_related("org_unit").filter(pk=pk_of(employee, "员工")).first()
    )
    if employee is None:
        raise WorkflowError("员工不存在")
    authority.require(actor, "demotions.immediate", employee)
    if to_level not in DemotionLevel.values:
        raise WorkflowError("降档/降级应为 grade（降档）或 level（降级）")
    comment = clean_text(comment, "审批意见", required=False)
    violation = Violation.objects.filter(pk=pk_of(violation, "违规记录")).first()
    if violation is None or violation.employee_id != employee.pk:
        raise WorkflowError(f"该违规记录不是{employee.name}的")
    if violation.severity not in DEMOTING_SEVERITIES:
        raise WorkflowError(
            f"{violation.date} 的违规情节为“{violation.severity}”：即时降档/降级只适用于情节较重或严重的违规"
            "（一般违规在季度测评中影响晋升）"
        )
    if ImmediateDemotion.objects.filter(violation=violation).exists():
        raise WorkflowError(f"{violation.date} 的违规记录已用于即时降档/降级")
    if employee.track not in LADDER_TRACKS:
        raise WorkflowError(f"即时降档/降级只适用于{'、'.join(LADDER_TRACKS)}")
    if Proposal.objects.filter(
        employee=employee, kind=ProposalKind.IMMEDIATE, state__in=(S.DRAFT, S.IN_REVIEW, S.APPROVED)
    ).exists():
        raise WorkflowError(f"{employee.name} 已有尚未生效的即时降档/降级")
    try:
        r = rank_step(employee.current_rank)
        to = demotion_step(r, to_level)
    except ValueError as e:
        raise WorkflowError(f"{employee.name}：{e}") from None
    move = move_between(r, to)
    today = clock.today()
    try:
        book_row = rulebook_in_force(kind=BookKind.LADDER, on=today, unit=employee.org_unit)
    except NoRuleBookError as e:
        raise WorkflowError(str(e)) from None
    route = list(parsed_rulebook(book_row).route_for("immediate_demotion"))
    if STEP_ACTIONS.get(route[0]) is None or actor.role not in authority.roles_for(STEP_ACTIONS[route[0]]):
        raise WorkflowError(f"评定标准中即时降档/降级的首个环节为“{step_label(route[0])}”，考评委员会不能直接决定")
    last = RankChange.objects.filter(employee=employee).order_by("-effective_date", "-id").first()
    reassign = flags_reassignment(to, last is not None and was_demotion(last.from_rank, last.to_rank))
    what = f"{violation.date} {violation.severity}" + (f"：{violation.description}" if violation.description else "")
    summary = f"即时{MOVE_LABELS[move]}：{RANKS[r]} → {RANKS[to]}（违规 {what}）"
    if reassign:
        summary += "；连续两次降级，建议调整岗位"
    p = Proposal.objects.create(
        kind=ProposalKind.IMMEDIATE,
        period=str(Period.containing(today)),
        employee=employee,
        from_rank=RANKS[r],
        to_rank=RANKS[to],
        move=move,
        route=route,
        reassign=reassign,
        reasons=[
            {"code": "violation", "label": "违规记录", "required": "无", "actual": what, "passed": False,
             "text": f"违规记录 {what} ✗"}
        ],
        summary=summary[:500],
        rulebook=book_row,
        state=S.DRAFT,
    )
    ImmediateDemotion.objects.create(proposal=p, violation=violation, to_level=to_level)
    log = [transition(p, "submit", actor=actor, note="考评委员会决定即时降档/降级")]
    row, entry = decide_locked(p, actor=actor, decision=Decision.APPROVE, comment=comment, today=today, sequence=1)
    log.append(entry)
    save([p], ["state", "step_index", "effective_date"])
    row.save()
    ProposalTransition.objects.bulk_create(log)
    return p
