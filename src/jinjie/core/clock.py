"""Today's date in Asia/Shanghai, for everything that decides by the day.

A demo may move the day with the JINJIE_TODAY setting (environment, YYYY-MM-DD): the workflow, the
"latest complete quarter" and `jinjie demo` then act on that day — to file an objection during a
notice published "today" (it starts tomorrow) without waiting a day. The production settings refuse
it: a real installation always runs on the real date.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    fixed = getattr(settings, "JINJIE_TODAY", None)
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(fixed)
    return timezone.localdate()
