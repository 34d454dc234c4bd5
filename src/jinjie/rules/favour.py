"""Favour lists (评先, 外派学习, 推荐干部 — SPEC 2.6): who is excluded, who ranks where, and why.

Plain Python: the caller loads the facts of a whole subtree for a year in a handful of queries and
hands them over; this module does the arithmetic (Decimal, half-up to 2 places), the order and the
shared positions (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .ladder import RANKS, level_of

__all__ = [
    "DEFAULT_FAVOUR_BONUS",
    "FAVOUR_KINDS",
    "FavourFacts",
    "FavourRow",
    "MIN_MONTHS",
    "REASON_ANNUAL",
    "REASON_MONTHS",
    "REASON_VIOLATION",
    "favour_list",
    "rank_held_on",
]

FAVOUR_KINDS: tuple[str, ...] = ("评先", "外派学习", "推荐干部")
# SPEC 2.6 default: the bonus by the level of the rank held on 31 December.
DEFAULT_FAVOUR_BONUS: Mapping[str, Decimal] = {"中级": Decimal(3), "高级": Decimal(6)}
ANNUAL_SCALE: tuple[str, ...] = ("不称职", "基本称职", "称职", "优秀")
PASSING_RATING = "称职"
SERIOUS_SEVERITIES = frozenset({"较重", "严重"})
MIN_MONTHS = 6
REASON_ANNUAL = "年度考核未达称职"
REASON_VIOLATION = "年度内有较重及以上违规"
REASON_MONTHS = "考核月份不足6个月"
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class FavourFacts:
    """One active ladder employee's year: the 年度考核 rating, the severities of the violations dated
    in the year, the monthly scores' count and sum, and the step of the rank held on 31 December."""

    employee_no: str
    step: int
    annual_rating: str | None
    violation_severities: tuple[str, ...] = ()
    score_count: int = 0
    score_sum: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class FavourRow:
    employee_no: str
    step: int
    avg: Decimal | None
    bonus: Decimal | None
    score: Decimal | None
    position: int | None
    excluded: str  # the reason in Chinese; "" for a ranked row

    @property
    def rank(self) -> str:
        return RANKS[self.step]


def rank_held_on(changes: Sequence[tuple[date, str, str]], day: date, current: str) -> str:
    """The rank held on `day` from the rank history (effective_date, from_rank, to_rank), in date
    order: the last change in effect by then, else the rank the first later change started from,
    else the current rank (no history)."""
    held = None
    for effective, from_rank, to_rank in changes:
        if effective <= day:
            held = to_rank
        else:
            return held if held is not None else (from_rank or RANKS[0])
    return held if held is not None else current


def _exclusion(facts: FavourFacts) -> str:
    rating = facts.annual_rating
    if rating not in ANNUAL_SCALE or ANNUAL_SCALE.index(rating) < ANNUAL_SCALE.index(PASSING_RATING):
        return REASON_ANNUAL
    if any(s in SERIOUS_SEVERITIES for s in facts.violation_severities):
        return REASON_VIOLATION
    if facts.score_count < MIN_MONTHS:
        return REASON_MONTHS
    return ""


def favour_list(facts: Iterable[FavourFacts], *, bonus: Mapping[str, Decimal] = DEFAULT_FAVOUR_BONUS) -> list[FavourRow]:
    """Every employee once: the ranked rows by position (score desc, step desc, employee_no), then
    the excluded ones by employee_no with their reason. Equal score and step share a position."""
    ranked: list[FavourRow] = []
    excluded: list[FavourRow] = []
    for f in facts:
        reason = _exclusion(f)
        if reason:
            excluded.append(FavourRow(f.employee_no, f.step, None, None, None, None, reason))
            continue
        avg = (f.score_sum / f.score_count).quantize(_CENT, ROUND_HALF_UP)
        extra = bonus.get(level_of(f.step), Decimal(0))
        ranked.append(FavourRow(f.employee_no, f.step, avg, extra, avg + extra, None, ""))
    ranked.sort(key=lambda r: (-r.score, -r.step, r.employee_no))  # type: ignore[operator]
    out: list[FavourRow] = []
    previous: FavourRow | None = None
    for index, row in enumerate(ranked, start=1):
        same = previous is not None and (previous.score, previous.step) == (row.score, row.step)
        position = previous.position if same else index  # type: ignore[union-attr]
        row = FavourRow(row.employee_no, row.step, row.avg, row.bonus, row.score, position, "")
        out.append(row)
        previous = row
    excluded.sort(key=lambda r: r.employee_no)
    return out + excluded
