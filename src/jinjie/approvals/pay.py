"""Rank pay (薪酬待遇, SPEC 2.5): base × coefficient from the ladder rule book's pay table.

The base and coefficients are data in the rule book (HR edits them as a new version); nothing
here is a number. A rank change moves pay from the first day of the month after it took effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from jinjie.core.errors import DomainError
from jinjie.org.models import PATH_SEP
from jinjie.people.models import Employee, RankChange
from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
from jinjie.rulebooks.selectors import parsed_rulebook
from jinjie.rules.book import LadderBook
from jinjie.rules.calendar import add_months
from jinjie.rules.ladder import LADDER_TRACKS, RANKS

__all__ = ["PayChange", "PayError", "PaySummary", "current_pay", "pay_history", "pay_start", "pay_summary", "rank_pay"]


class PayError(DomainError, ValueError):
    """No pay for that rank or date (Chinese message)."""


def rank_pay(*, rank: str, book: RuleBook | LadderBook) -> Decimal:
    """Monthly rank pay of `rank` under a ladder rule book: base × coefficient (元/月)."""
    parsed = parsed_rulebook(book) if isinstance(book, RuleBook) else book
    if not isinstance(parsed, LadderBook):
        raise PayError("薪酬系数只在客户经理/市场管理员职级标准中规定")
    rank = rank or RANKS[0]
    if rank not in parsed.pay_coefficients:
        raise PayError(f"“{rank}”不是职级序列中的职级，没有职级薪酬系数")
    return parsed.pay_base * parsed.pay_coefficients[rank]


def pay_start(effective_date: date) -> date:
    """The first day of the month after a rank change took effect: when its pay starts."""
    return add_months(effective_date.replace(day=1), 1)


@dataclass(frozen=True)
class PayChange:
    """Pay moving from `previous_pay` to `monthly_pay` on `from_date` because of one rank change."""

    from_date: date
    rank: str
    monthly_pay: Decimal
    previous_rank: str
    previous_pay: Decimal
    effective_date: date  # of the rank change
    rank_change_id: int
    rulebook_version: int

    @property
    def difference(self) -> Decimal:
        return self.monthly_pay - self.previous_pay


def _ladder_books(employee: Employee) -> list[RuleBook]:
    """The published ladder books that apply to the employee's unit (its own or an ancestor's)."""
    path = employee.org_unit.path
    parts = path.split(PATH_SEP)
    paths = [PATH_SEP.join(parts[: i + 1]) for i in range(len(parts))]
    return list(
        RuleBook.objects.filter(kind=BookKind.LADDER, status=BookStatus.PUBLISHED)
        .filter(Q(org_unit__isnull=True) | Q(org_unit__path__in=paths))
        .select_related("org_unit")
        .order_by("-effective_from", "-version")
    )


def _book_on(books: list[RuleBook], day: date) -> RuleBook:
    # The same choice as rulebooks.selectors (the most specific unit, then the latest), over books read once.
    in_force = [b for b in books if b.effective_from <= day]
    if not in_force:
        raise PayError(f"{day} 没有生效的职级标准，无法计算薪酬")
    return max(in_force, key=lambda b: b.org_unit.depth if b.org_unit_id else -1)


def _ensure_on_the_ladder(employee: Employee) -> None:
    # SPEC 2.5 prices the ranks of 客户经理 and 市场管理员; a 专卖管理员's level is not on that table,
    # even when an early 见习 entry in their history is.
    if employee.track not in LADDER_TRACKS:
        raise PayError(f"{employee.track}的待遇不按职级薪酬系数计算（现为 {employee.current_rank or '见习'}）")


def pay_history(*, employee: Employee) -> list[PayChange]:
    """Every pay change of an employee, oldest first: one per rank change on the ladder, from the
    first day of the month after its effective date, priced by the book in force on that day.
    Changes to or from a monopoly level carry no ladder pay and are left out. Two queries."""
    _ensure_on_the_ladder(employee)
    books = _ladder_books(employee)
    out = []
    for change in RankChange.objects.filter(employee=employee).order_by("effective_date", "pk"):
        previous = change.from_rank or RANKS[0]
        if change.to_rank not in RANKS or previous not in RANKS:
            continue
        start = pay_start(change.effective_date)
        book = _book_on(books, start)
        out.append(
            PayChange(
                from_date=start,
                rank=change.to_rank,
                monthly_pay=rank_pay(rank=change.to_rank, book=book),
                previous_rank=previous,
                previous_pay=rank_pay(rank=previous, book=book),
                effective_date=change.effective_date,
                rank_change_id=change.pk,
                rulebook_version=book.version,
            )
        )
    return out


def current_pay(*, employee: Employee, on: date | None = None) -> Decimal:
    """The monthly rank pay an employee is paid on `on` (default today): the rank of the last
    pay change started by then, else the rank held before the first change, under the book in
    force on `on`."""
    from . import clock

    _ensure_on_the_ladder(employee)
    on = on or clock.today()
    history = pay_history(employee=employee)
    started = [c for c in history if c.from_date <= on]
    if started:
        rank = started[-1].rank
    elif history:
        rank = history[0].previous_rank
    else:
        rank = employee.current_rank
    return rank_pay(rank=rank, book=_book_on(_ladder_books(employee), on))


@dataclass(frozen=True)
class PaySummary:
    """What the employee pages and /api/me/ show of pay: the amount now, the changes (oldest
    first), and, for someone off the ladder's pay table, `note` saying why there is no amount."""

    current: Decimal | None
    history: tuple[PayChange, ...]
    note: str = ""


def pay_summary(*, employee: Employee) -> PaySummary:
    try:
        amount = current_pay(employee=employee)
        history = pay_history(employee=employee)
    except PayError as e:
        return PaySummary(current=None, history=(), note=str(e))
    return PaySummary(current=amount, history=tuple(history))
