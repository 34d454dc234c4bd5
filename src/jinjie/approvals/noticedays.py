"""How long a public notice (公示) runs: calendar days, or working days on the Chinese calendar.

The number of days and how they are counted come from the ladder rule book's `notice` settings
(SPEC 2.4 **(default)** 7 calendar days); the committee may choose otherwise per notice. A notice
starts the day after its publication; with working days, weekends and public holidays inside
the window do not count and the make-up working days (调休) do, as `chinese_calendar` says.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from jinjie.core.errors import DomainError

from .models import DayKind

MAX_NOTICE_DAYS = 60


class NoticeDaysError(DomainError, ValueError):
    """Bad notice length or a date the holiday calendar does not cover (Chinese message)."""


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise NoticeDaysError(
            f"节假日数据未覆盖 {day.year} 年，无法按工作日计算公示期；请升级 chinesecalendar 或改按自然日"
        ) from None


def notice_window(*, published_on: date, days: int, day_kind: str) -> tuple[date, date]:
    """(first day, last day inclusive) of a notice published on `published_on`."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_NOTICE_DAYS:
        raise NoticeDaysError(f"公示天数应为 1–{MAX_NOTICE_DAYS} 的整数，实为 {days!r}")
    if day_kind not in DayKind.values:
        raise NoticeDaysError(f"公示天数口径应为 calendar（自然日）或 working（工作日），实为 {day_kind!r}")
    start = published_on + timedelta(days=1)
    if day_kind == DayKind.CALENDAR:
        return start, start + timedelta(days=days - 1)
    day, counted = start, 0
    while True:
        if is_workday(day):
            counted += 1
            if counted == days:
                return start, day
        day += timedelta(days=1)
