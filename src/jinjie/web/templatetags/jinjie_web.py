"""Small presentation helpers: badges for moves and states, verdict marks, navigation."""

import re
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from jinjie.evaluations.models import Move
from jinjie.rules.ladder import MOVE_LABELS, ROUTE_STEP_LABELS
from jinjie.web import labels  # noqa: F401 - the vocabulary `tr` translates

from ..nav import nav_for

register = template.Library()

MOVE_STYLE = {
    "grade_up": "success",
    "level_up": "success",
    "skip_grade": "primary",
    "skip_level": "primary",
    "grade_down": "warning",
    "level_down": "danger",
    "hold": "secondary",
    "incomplete": "dark",
    "grant": "success",
    "appoint": "success",
}
STATE_STYLE = {
    "draft": "secondary",
    "no_action": "light border",
    "in_review": "info",
    "on_notice": "primary",
    "held": "warning",
    "approved": "success",
    "applied": "success",
    "rejected": "danger",
    "superseded": "light border",
}


@register.filter
def tr(value) -> str:
    """A label of the domain's vocabulary (jinjie.web.labels) in the page's language; Chinese unchanged."""
    if value is None or value == "":
        return value
    return gettext(str(value))


@register.filter
def tr_header(text) -> str:
    """A column header "平均绩效 ≥": its words translated, its comparison kept (rulebook_forms.header_text)."""
    from ..rulebook_forms import header_text

    return str(header_text(str(text or "")))


@register.filter
def period_label(period) -> str:
    """An evaluation period (rules.calendar.Period) as the page's language writes it: 2026年第3季度, 2026 Q3."""
    if not hasattr(period, "quarter"):
        return period
    return gettext("%(year)s年第%(quarter)s季度") % {"year": period.year, "quarter": period.quarter}


# A report chart's title is its question after the period, day or month it is about (reports.*):
# that lead is a parameter of the translated question.
_TITLE_LEADS = (
    (re.compile(r"(?P<year>\d{4})年第(?P<quarter>\d)季度"), "%(period)s"),
    (re.compile(r"(?P<day>\d{4}-\d{2}-\d{2}) "), "%(day)s "),
    (re.compile(r"(?P<month>\d{4}-\d{2}) "), "%(month)s "),
    (re.compile(r"近 (?P<n>\d+) 个测评期，"), "近 %(n)s 个测评期，"),
)


@register.filter
def report_title(title: str) -> str:
    """A chart's title in the page's language; Chinese as the report wrote it."""
    title = str(title or "")
    for lead, placeholder in _TITLE_LEADS:
        m = lead.match(title)
        if m is None:
            continue
        params = m.groupdict()
        if "year" in params:
            params = {"period": gettext("%(year)s年第%(quarter)s季度") % params}
        return gettext(placeholder + title[m.end():].replace("%", "%%")) % params
    return gettext(title)


@register.simple_tag(takes_context=True)
def nav_items(context):
    request = context.get("request")
    return nav_for(request) if request is not None else []


@register.filter
def move_badge(move: str):
    label = gettext(str(MOVE_LABELS.get(move) or dict(Move.choices).get(move, move) or ""))
    style = MOVE_STYLE.get(move, "secondary")
    return format_html('<span class="badge text-bg-{} move-badge">{}</span>', style, label)


@register.simple_tag
def state_badge(state: str, label: str):
    style = STATE_STYLE.get(state, "secondary")
    return format_html('<span class="badge text-bg-{} state-badge">{}</span>', style, tr(label))


@register.filter
def verdict(passed):
    if passed is None:
        return mark_safe('<span class="text-secondary">—</span>')
    if passed:
        return format_html('<span class="verdict verdict-pass" title="{}">✓</span>', gettext("符合"))
    return format_html('<span class="verdict verdict-fail" title="{}">✗</span>', gettext("不符合"))


@register.filter
def step_label(step: str) -> str:
    return tr(ROUTE_STEP_LABELS.get(step, step))


@register.filter
def route_text(route) -> str:
    return " › ".join(tr(ROUTE_STEP_LABELS.get(s, s)) for s in (route or [])) or "—"


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return gettext("%(amount)s 元") % {"amount": f"{value:,.2f}"}
    except (TypeError, ValueError):
        return gettext("%(amount)s 元") % {"amount": value}


@register.filter
def cell(value) -> str:
    """A report table's cell: numbers with thousands separators, exact decimals as stored, none as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    return str(value)


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


@register.filter
def route_current(route, step_index) -> str:
    route = route or []
    try:
        return tr(ROUTE_STEP_LABELS.get(route[int(step_index)], route[int(step_index)]))
    except (IndexError, TypeError, ValueError):
        return "—"


@register.filter
def state_label(state: str) -> str:
    from jinjie.evaluations.models import ProposalState

    try:
        return tr(ProposalState(state).label)
    except ValueError:
        return state or "—"


@register.filter
def who(user, default: str | None = None) -> str:
    """A user's name for the page: full name, else the login name; nobody → `default` (else 系统)."""
    if user is None or not getattr(user, "pk", None):
        return gettext("系统") if default is None else default
    return user.get_full_name() or user.username
