"""May this user take this workflow action now? Each check lives here, beside its action.

The shape is Wagtail's: every act has a `check_…` that raises (WorkflowError for the state of
things, NotPermitted for who the actor is — both with the Chinese sentence) and the service runs
it under the row lock right before it writes; the pages and the API call the same check as
`may_…` to decide what to offer. Nothing here writes.

Who may act at all, and over which units, is the one authority's (org.authority) to say; the checks
add what only the workflow knows: the state, the current step, the notice.
"""

from __future__ import annotations

from collections.abc import Iterable

from jinjie.core.errors import DomainError
from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
from jinjie.org import authority
from jinjie.org.models import OrgUnit, User
from jinjie.rules.book import AUTOMATIC_MOVES

from .channels import channel_of, channels
from .workflow import STEP_ACTIONS, WorkflowError, current_step, state_label, step_label

S = ProposalState

__all__ = [
    "check_decide",
    "check_publish",
    "check_submit",
    "decidable_ids",
    "may_decide",
    "may_submit",
    "publishable_kinds",
    "submittable_ids",
]


def _who(p: Proposal) -> str:
    return f"{p.employee.name}（{p.from_rank}→{p.to_rank}）"


def check_submit(actor: User, p: Proposal) -> None:
    """A draft goes into review (draft → in_review at route[0]), or, with the empty route of an
    automatic move (自动晋档), is approved at once: the committee of its unit submits it."""
    authority.require(actor, "proposals.submit", p.employee)
    if p.state != S.DRAFT:
        raise WorkflowError(f"{_who(p)} 当前状态为“{state_label(p.state)}”，只有待提交的建议可以提交")
    if not p.route and p.move not in AUTOMATIC_MOVES:
        raise WorkflowError(f"{_who(p)} 没有审批路径")


def check_decide(actor: User, p: Proposal, *, step_index: int | None = None) -> str:
    """The proposal's current step, if `actor` may decide it now (else raises).

    `step_index`: the step the actor was shown; if the proposal has moved on since, refused.
    """
    if p.state != S.IN_REVIEW:
        raise WorkflowError(f"{_who(p)} 当前状态为“{state_label(p.state)}”，不能审批")
    step = current_step(p)
    if step is None:
        raise WorkflowError(f"{_who(p)} 的审批路径已走完")
    if step_index is not None and step_index != p.step_index:
        raise WorkflowError(f"{_who(p)} 的该环节已经处理，当前环节为“{step_label(step)}”，请刷新后再看")
    if step == "notice":
        raise WorkflowError(f"{_who(p)} 当前环节为公示：由考评委员会发布公示，公示期满无异议即通过")
    action = STEP_ACTIONS.get(step)
    if action is None:
        raise WorkflowError(f"“{step_label(step)}”环节不由个人审批")
    if actor.role not in authority.roles_for(action):
        # The actor's own step is behind: say so, rather than "your role may not".
        mine = [s for s in p.route[: p.step_index] if s in STEP_ACTIONS and actor.role in authority.roles_for(STEP_ACTIONS[s])]
        if mine:
            raise WorkflowError(f"{_who(p)} 的“{step_label(mine[-1])}”环节已审批，当前环节为“{step_label(step)}”")
    authority.require(actor, action, p.employee)
    return step


def check_publish(actor: User, unit: OrgUnit, kind: str = ProposalKind.EVALUATION) -> None:
    """Publishing a notice of `kind`'s proposals for `unit` (approvals.channels says whose right)."""
    authority.require(actor, channel_of(kind).publish_right, unit)


def publishable_kinds(actor: User) -> list[str]:
    return [c.kind for c in channels() if authority.allows(actor, c.publish_right)]


def _may(check, *args, **kwargs) -> bool:
    try:
        check(*args, **kwargs)
    except DomainError:
        return False
    return True


def may_submit(actor: User, p: Proposal) -> bool:
    return _may(check_submit, actor, p)


def may_decide(actor: User, p: Proposal) -> bool:
    return _may(check_decide, actor, p)


def submittable_ids(actor: User, proposals: Iterable[Proposal]) -> set[int]:
    return {p.pk for p in proposals if may_submit(actor, p)}


def decidable_ids(actor: User, proposals: Iterable[Proposal]) -> set[int]:
    return {p.pk for p in proposals if may_decide(actor, p)}
