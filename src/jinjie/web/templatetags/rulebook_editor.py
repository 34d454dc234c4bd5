"""The rule-book editor's one filter: an input with its messages, written in Python (a page has
some 300 of them; an include per input would cost more than the inputs themselves)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def with_errors(field) -> str:
    """``{{ f|with_errors }}``: the input, then each of its messages in Bootstrap's feedback style."""
    messages = "".join(f'<div class="invalid-feedback d-block">{escape(e)}</div>' for e in field.errors)
    return mark_safe(f"{field}{messages}")
