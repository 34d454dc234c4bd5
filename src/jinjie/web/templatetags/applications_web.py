"""The status of a 专卖管理员 application as a badge (applications.selectors says what it is)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from jinjie.applications.selectors import status_detail, status_of

register = template.Library()

STATUS_STYLE = {
    "submitted": "info", "withdrawn": "light border", "checked": "primary", "ineligible": "warning",
    "reviewed": "primary", "in_route": "primary", "rejected": "danger", "granted": "success",
}


@register.filter
def application_status(application) -> str:
    return format_html(
        '<span class="badge text-bg-{} state-badge">{}</span>', STATUS_STYLE[status_of(application)],
        gettext(status_detail(application)),
    )
