"""The proposal state machine as a table, and who may decide which step (SPEC 1, 2.4).

`TRANSITIONS` is the whole workflow: state → {event: next state}. `transition()` is the only
code that changes `Proposal.state`; anything not in the table is refused with a Chinese message.
It touches no database: the services lock the rows, call it, and write the rows it returns.

States (evaluations.ProposalState):
  draft      → submit → in_review (the current step is route[step_index])
             → automatic (an empty route: 自动晋档, rules.book.AUTOMATIC_MOVES) → approved
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

from jinjie.core.errors import BatchRefused, DomainError
from jinjie.evaluations.models import Proposal, ProposalState
from jinjie.org import authority
from jinjie.org.models import User
from jinjie.rules.ladder import ROUTE_STEP_LABELS

from .models import ProposalTransition

S = ProposalState

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {"submit": S.IN_REVIEW, "automatic": S.APPROVED},
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
    "automatic": "自动晋档",  # a move whose route is empty in the rule book: approved on submit
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

# The step a route names → the right that decides it (org.authority). `notice` is no one's decision:
# it is published (notice_publish) and ends by itself or by the ruling on an objection.
STEP_ACTIONS = authority.STEP_ACTIONS


class WorkflowError(DomainError):
    """A refused workflow action. The message is Chinese and nothing was written."""


class BatchWorkflowError(BatchRefused, WorkflowError):
    """A batch refused as a whole: `errors` lists (proposal id, Chinese reason) for every bad item."""

    item_label = "建议"


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
