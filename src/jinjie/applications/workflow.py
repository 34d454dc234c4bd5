"""The application state machine as a table (SPEC 3.1), like approvals.workflow for proposals.

`TRANSITIONS` is the whole of an application's own life: state → {event: next state}.
`transition()` is the only code that changes `Application.state`; anything not in the table is
refused with a Chinese message. It touches no database: the services lock the rows, call it, and
save the application and the log row it returns in the same transaction.

  (apply)    → submitted
  submitted  → withdraw (inside the window) → withdrawn
             → pass (checked at closing: every condition met) → checked
             → fail (checked at closing: a condition unmet) → ineligible
  checked    → approve (every manual item 符合) → reviewed   (its Proposal enters the route)
             → reject (an item 不符合) → rejected

After `reviewed` the application's fate is its proposal's (selectors.status_of).
"""

from __future__ import annotations

from jinjie.core.errors import DomainError
from jinjie.org.models import User

from .models import Application, ApplicationState, ApplicationTransition

S = ApplicationState

TRANSITIONS: dict[str, dict[str, str]] = {
    S.SUBMITTED: {"withdraw": S.WITHDRAWN, "pass": S.CHECKED, "fail": S.INELIGIBLE},
    S.CHECKED: {"approve": S.REVIEWED, "reject": S.REJECTED},
    S.WITHDRAWN: {},
    S.INELIGIBLE: {},
    S.REVIEWED: {},
    S.REJECTED: {},
}

EVENT_LABELS: dict[str, str] = {
    "apply": "申报",
    "withdraw": "撤回申报",
    "pass": "资格审查通过",
    "fail": "资格审查未通过",
    "approve": "审核通过，提交审批",
    "reject": "审核未通过",
}


class ApplicationError(DomainError):
    """A refused application act. The message is Chinese and nothing was written."""


def state_label(state: str) -> str:
    return ApplicationState(state).label


def applied(application: Application, *, actor: User | None, note: str = "") -> ApplicationTransition:
    """The log row of a new application (it has no state before)."""
    return ApplicationTransition(
        application=application, event="apply", from_state="", to_state=application.state,
        actor=actor if actor is not None and actor.pk else None, note=note[:1000],
    )


def transition(
    application: Application, event: str, *, actor: User | None = None, note: str = ""
) -> ApplicationTransition:
    """Move `application.state` along `event`, or raise ApplicationError. Returns the unsaved log row."""
    allowed = TRANSITIONS.get(application.state, {})
    if event not in allowed:
        label = EVENT_LABELS.get(event, event)
        raise ApplicationError(f"该申报当前状态为“{state_label(application.state)}”，不能执行“{label}”")
    before = application.state
    application.state = allowed[event]
    return ApplicationTransition(
        application=application, event=event, from_state=before, to_state=application.state,
        actor=actor if actor is not None and actor.pk else None, note=note[:1000],
    )
