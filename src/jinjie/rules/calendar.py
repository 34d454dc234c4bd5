"""Evaluation periods and month arithmetic (SPEC 2.1).

Plain Python: no Django, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

__all__ = ["Period", "add_months", "months_between"]

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")
_PERIOD_FORMAT_ERROR = "测评期格式应为 YYYYQn，例如 2026Q3"


def months_between(start: date, boundary: date) -> int:
    """Full months from ``start`` to ``boundary`` (SPEC 2.1).

    ``(b.year−s.year)·12 + (b.month−s.month) − (1 if b.day < s.day else 0)``.
    Negative when ``start`` lies after ``boundary``.
    """
    months = (boundary.year - start.year) * 12 + (boundary.month - start.month)
    if boundary.day < start.day:
        months -= 1
    return months


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` months (negative goes back), the day clamped to the month's end.

    ``add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)``.
    """
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


@dataclass(frozen=True, order=True)
class Period:
    """A three-month evaluation period (测评期), a calendar quarter: ``Period.parse("2026Q3")``."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not (isinstance(self.quarter, int) and 1 <= self.quarter <= 4):
            raise ValueError(f"季度应为 1–4，实为 {self.quarter!r}")
        if not (isinstance(self.year, int) and 1900 <= self.year <= 9998):
            raise ValueError(f"年份无效：{self.year!r}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"2026Q3"`` → ``Period(2026, 3)``; anything else raises ``ValueError`` (Chinese message)."""
        if isinstance(text, Period):
            return text
        if not isinstance(text, str):
            raise ValueError(_PERIOD_FORMAT_ERROR)
        m = _PERIOD_RE.match(text)
        if m is None:
            raise ValueError(f"{_PERIOD_FORMAT_ERROR}（收到 {text!r}）")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def containing(cls, d: date) -> Period:
        """The period a date falls in."""
        return cls(d.year, (d.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @cached_property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, 3 * self.quarter - 2, 1)

    @cached_property
    def boundary(self) -> date:
        """First day after the period (exclusive end)."""
        return add_months(self.start, 3)

    @cached_property
    def months(self) -> tuple[str, str, str]:
        """The three months as ``'YYYY-MM'`` strings, in order."""
        first = 3 * self.quarter - 2
        return tuple(f"{self.year:04d}-{m:02d}" for m in range(first, first + 3))  # type: ignore[return-value]

    @cached_property
    def lookback_start(self) -> date:
        """``boundary − 12 months``: start of the training-record window [lookback_start, boundary)."""
        return add_months(self.boundary, -12)

    @property
    def label(self) -> str:
        """Chinese label, e.g. ``2026年第3季度``."""
        return f"{self.year}年第{self.quarter}季度"

    def next(self) -> Period:
        return Period(self.year + (self.quarter == 4), self.quarter % 4 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.quarter == 1), (self.quarter - 2) % 4 + 1)
