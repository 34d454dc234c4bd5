"""The proposal state machine as a table, and who may decide which step (SPEC 1, 2.4).

`TRANSITIONS` is the whole workflow: state → {event: next state}. `transition()` is the only
code that changes `Proposal.state`; anything not in the table is refused with a Chinese message.
It touches no database: the services lock the rows, call it, and write the rows it returns.

States (evaluations.ProposalState):
  draft      → submit → in_review (the current step is route[step_index])
  in_review  → advance (a step approved, the next one is not the last) → in_review
             → publish (current step is `notice`, put on a published Notice) → on_notice
             → complete (the last step approved) → approved
             → reject → rejected
  on_notice  → object → held;  close (notice over, none open) → approved (or in_review if the
               route goes on after the notice)
  held       → object → held;  uphold → rejected;  dismiss → on_notice (then close if over)
  approved   → apply (apply_due) → applied;  void (the rank moved meanwhile) → rejected
  rejected   → supersede (a skip replaced by its one-step fallback) → superseded
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from jinjie.evaluations.models import Proposal, ProposalState
from jinjie.org.models import Role, User
from jinjie.org.scoping import can_see_org_unit
from jinjie.people.models import Employee
from jinjie.rules.ladder import ROUTE_STEP_LABELS

from .models import ProposalTransition

S = ProposalState

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {"submit": S.IN_REVIEW},
    S.IN_REVIEW: {
        "advance": S.IN_REVIEW,
        "publish": S.ON_NOTICE,
        "complete": S.APPROVED,
        "reject": S.REJECTED,
    },
    S.ON_NOTICE: {"object": S.HELD, "close": S.APPROVED, "close_continue": S.IN_REVIEW},
    S.HELD: {"object": S.HELD, "uphold": S.REJECTED, "dismiss": S.ON_NOTICE},
    S.APPROVED: {"apply": S.APPLIED, "void": S.REJECTED},
    S.REJECTED: {"supersede": S.SUPERSEDED},
    S.APPLIED: {},
    S.SUPERSEDED: {},
    S.NO_ACTION: {},
}

EVENT_LABELS: dict[str, str] = {
    "submit": "提交审批",
    "advance": "审批通过，进入下一环节",
    "publish": "发布公示",
    "complete": "审批通过",
    "reject": "审批不通过",
    "object": "收到异议",
    "close": "公示期满",
    "close_continue": "公示期满，进入下一环节",
    "uphold": "异议成立",
    "dismiss": "异议不成立",
    "apply": "生效",
    "void": "作废",
    "supersede": "改按一步晋升",
    "note": "说明",  # a log entry without a state change (e.g. why a rejected skip did not fall back)
}

# A proposal on a running notice can take objections while it is on notice or already held by one.
OBJECTABLE_STATES = (S.ON_NOTICE, S.HELD)

# Which role decides which step (SPEC 1). `notice` is no one's decision: it is published by the
# committee (notice_publish) and ends by itself or by the ruling on an objection.
STEP_ROLES: dict[str, str] = {
    "track_review": Role.TRACK_REVIEWER,
    "committee": Role.COMMITTEE,
    "leader": Role.LEADER,
    "director": Role.DIRECTOR,
}


class WorkflowError(Exception):
    """A refused workflow action. The message is Chinese and nothing was written."""


class WorkflowPermissionError(WorkflowError, PermissionDenied):
    """Refused because of who the actor is (role, track, org scope): HTTP 403 for the web layer."""


class BatchWorkflowError(WorkflowError):
    """A batch refused as a whole: `errors` lists (proposal id, Chinese reason) for every bad item."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        lines = [f"建议 #{pk}：{message}" for pk, message in errors]
        super().__init__(f"共 {len(errors)} 项不能办理，全部未处理：\n" + "\n".join(lines))


def state_label(state: str) -> str:
    return ProposalState(state).label


def step_label(step: str) -> str:
    return ROUTE_STEP_LABELS.get(step, step)


def transition(proposal: Proposal, event: str, *, actor: User | None = None, note: str = "") -> ProposalTransition:
    """Move `proposal.state` along `event`, or raise WorkflowError. Returns the unsaved log row.

    The caller holds the proposal's row lock and saves both the proposal and the returned row in
    the same transaction.
    """
    allowed = TRANSITIONS.get(proposal.state, {})
    if event not in allowed:
        label = EVENT_LABELS.get(event, event)
        raise WorkflowError(f"建议 #{proposal.pk} 当前状态为“{state_label(proposal.state)}”，不能执行“{label}”")
    before = proposal.state
    proposal.state = allowed[event]
    return ProposalTransition(
        proposal=proposal,
        event=event,
        from_state=before,
        to_state=proposal.state,
        step_index=proposal.step_index,
        actor=actor if actor is not None and actor.pk else None,
        note=note[:1000],
    )


def current_step(proposal: Proposal) -> str | None:
    """The step to decide next (route[step_index]); None once the route is done or empty."""
    if 0 <= proposal.step_index < len(proposal.route or ()):
        return proposal.route[proposal.step_index]
    return None


def in_scope(actor: User, employee: Employee) -> bool:
    """Is the employee inside the actor's org subtree? (Every decision needs it; SPEC 1.)"""
    return bool(actor.is_active) and can_see_org_unit(actor, employee.org_unit)


def refuse_unless_may_decide(actor: User, step: str, employee: Employee) -> None:
    """Raise WorkflowPermissionError unless `actor` may decide `step` for `employee` (SPEC 1)."""
    role = STEP_ROLES.get(step)
    if role is None:
        raise WorkflowError(f"“{step_label(step)}”环节不由个人审批")
    if not actor.is_active:
        raise WorkflowPermissionError("账号已停用，不能审批")
    if actor.role != role:
        raise WorkflowPermissionError(
            f"“{step_label(step)}”环节应由{Role(role).label}审批，您的角色是{actor.get_role_display()}"
        )
    if step == "track_review" and actor.track != employee.track:
        mine = actor.track or "未设置"
        raise WorkflowPermissionError(f"您审核的序列是“{mine}”，不能审核{employee.track}“{employee.name}”的建议")
    if not in_scope(actor, employee):
        raise WorkflowPermissionError(f"员工“{employee.name}”不在您的管理范围内")


def refuse_unless_committee(actor: User, employee_or_unit, what: str) -> None:
    """Committee-only actions (publish a notice, resolve an objection, immediate demotion)."""
    if not actor.is_active:
        raise WorkflowPermissionError("账号已停用")
    if actor.role != Role.COMMITTEE:
        raise WorkflowPermissionError(f"{what}由考评委员会办理，您的角色是{actor.get_role_display()}")
    unit = employee_or_unit.org_unit if isinstance(employee_or_unit, Employee) else employee_or_unit
    if not can_see_org_unit(actor, unit):
        raise WorkflowPermissionError(f"“{unit.path}”不在您的管理范围内")
