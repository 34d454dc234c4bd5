"""Closing a reassignment case (调整岗位, SPEC 2.3): HR records what was decided for an employee
demoted to 见习 twice in a row — a new post, or another outcome — with its date and a comment.

The case is the demotion's proposal (flagged `reassign`); its closure is one append-only row, and a
note in the proposal's history says it was closed, in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from jinjie.evaluations.models import Proposal, ProposalState
from jinjie.org import authority
from jinjie.org.models import User

from .. import clock
from ..models import ProposalTransition, ReassignmentClosure, ReassignmentOutcome
from ..workflow import WorkflowError, state_label
from ._rows import clean_text, lock, pk_of, who

S = ProposalState
NEW_POST_MAX = 100


@transaction.atomic
def reassignment_close(
    *,
    proposal: Proposal | int,
    actor: User,
    outcome: str,
    decided_on: date,
    new_post: str = "",
    comment: str = "",
) -> ReassignmentClosure:
    """HR closes a reassignment case with its decision (reassignments.close: HR over the
    employee's unit, never about themselves).

    `outcome` "new_post" (调整到新岗位: `new_post` names it) or "other" (其他处理: `comment` says
    what). The demotion must have taken effect; `decided_on` lies between its effective date and
    today. A case is closed once. Raises WorkflowError / NotPermitted (Chinese), writing nothing.
    """
    (p,) = lock([pk_of(proposal, "调整岗位事项")])
    authority.require(actor, "reassignments.close", p.employee)
    if not p.reassign:
        raise WorkflowError(f"{who(p)} 不是调整岗位事项（没有连续两次降级的标记）")
    if p.state != S.APPLIED:
        raise WorkflowError(f"{who(p)} 的降级当前为“{state_label(p.state)}”，生效后方可办理调整岗位")
    if ReassignmentClosure.objects.filter(proposal=p).exists():
        raise WorkflowError(f"{p.employee.name} 的调整岗位已经办结")
    if outcome not in ReassignmentOutcome.values:
        raise WorkflowError("处理结果应为 new_post（调整到新岗位）或 other（其他处理）")
    new_post = clean_text(new_post, "新岗位", required=outcome == ReassignmentOutcome.NEW_POST)
    if len(new_post) > NEW_POST_MAX:
        raise WorkflowError(f"新岗位不能超过 {NEW_POST_MAX} 字")
    comment = clean_text(comment, "处理说明", required=outcome == ReassignmentOutcome.OTHER)
    if not isinstance(decided_on, date):
        raise WorkflowError("请填写决定日期")
    today = clock.today()
    if decided_on > today:
        raise WorkflowError(f"决定日期 {decided_on} 晚于今天（{today}）")
    if p.effective_date is not None and decided_on < p.effective_date:
        raise WorkflowError(f"决定日期 {decided_on} 早于降级生效日期 {p.effective_date}")
    closure = ReassignmentClosure.objects.create(
        proposal=p, outcome=outcome, new_post=new_post if outcome == ReassignmentOutcome.NEW_POST else "",
        decided_on=decided_on, comment=comment, actor=actor,
    )
    what = f"调整到新岗位：{new_post}" if outcome == ReassignmentOutcome.NEW_POST else f"其他处理：{comment}"
    ProposalTransition.objects.create(
        proposal=p, event="note", from_state=p.state, to_state=p.state, step_index=p.step_index, actor=actor,
        note=f"调整岗位已办结（{decided_on}）：{what}"[:1000],
    )
    return closure
