"""Today's date in Asia/Shanghai: the one place the workflow asks for it (tests replace it)."""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
