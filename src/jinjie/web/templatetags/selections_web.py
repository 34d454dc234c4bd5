"""Presentation helpers of the 竞聘 pages: a dict lookup, the process's event names, a correction as
one line of the dossier."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from jinjie.selections.models import BallotEntry, Inspection, ScoreEntry
from jinjie.selections.workflow import EVENT_LABELS

register = template.Library()


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def selection_event(event: str) -> str:
    return EVENT_LABELS.get(event, event)


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else gettext("系统")


@register.filter
def correction_text(entry) -> str:
    when = timezone.localtime(entry.entered_at if hasattr(entry, "entered_at") else entry.recorded_at).strftime("%Y-%m-%d %H:%M")
    name = entry.application.employee.name
    if isinstance(entry, ScoreEntry):
        what = gettext(entry.get_stage_display()) + (gettext("（评委 %(judge)s）") % {"judge": _who(entry.judge)} if entry.judge_id else "")
        value, by = entry.score, entry.entered_by
    elif isinstance(entry, BallotEntry):
        what, by = gettext("民主测评票数"), entry.entered_by
        value = f"{entry.excellent}/{entry.competent}/{entry.basic}/{entry.incompetent}"
    elif isinstance(entry, Inspection):
        what, value, by = gettext("考察结论"), entry.conclusion, entry.recorded_by
    else:
        return str(entry)
    return gettext("%(when)s %(name)s %(what)s 更正为 %(value)s；理由：%(reason)s（%(by)s）") % {
        "when": when, "name": name, "what": what, "value": value, "reason": entry.reason, "by": _who(by),
    }
