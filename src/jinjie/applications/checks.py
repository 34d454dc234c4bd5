"""May this user take this 申报 action now? The services run the same checks under the row lock;
the pages and the API ask these to decide what to offer. Nothing here writes."""

from __future__ import annotations

from datetime import date

from jinjie.org import authority
from jinjie.org.models import User

from .models import Application, ApplicationRound, ApplicationState

S = ApplicationState

__all__ = ["may_close", "may_review", "may_withdraw", "window_refusal"]


def window_refusal(round: ApplicationRound, today: date) -> str | None:
    """Why nobody may apply (or withdraw) in `round` today; None inside its window."""
    if round.closed_at is not None:
        return f"“{round.title}”已于 {round.closed_on} 截止申报"
    if today < round.opens:
        return f"“{round.title}”的申报时间为 {round.opens} 至 {round.closes}，尚未开始"
    if today > round.closes:
        return f"“{round.title}”的申报已于 {round.closes} 截止"
    return None


def may_withdraw(user: User, application: Application, today: date) -> bool:
    return (
        application.state == S.SUBMITTED
        and window_refusal(application.round, today) is None
        and authority.allows(user, "applications.withdraw", application.employee)
    )


def may_review(user: User, application: Application) -> bool:
    return application.state == S.CHECKED and authority.allows(user, "applications.review", application.employee)


def may_close(user: User, round: ApplicationRound) -> bool:
    return round.closed_at is None and authority.allows(user, "rounds.manage", round.org_unit)
