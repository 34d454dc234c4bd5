"""Reads on rule books: which version is in force on a date for a unit, parsed once per version.

A book belongs to a unit and applies to its subtree (RuleBook.org_unit; none: every unit). For a
unit on a day, the book in force is the most specific one: among the published books effective by
then whose unit contains it, the deepest unit's, and of those the latest effective date and version.
So a 市局 that publishes its own standard narrows the province's for its subtree only.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from jinjie.core.errors import DomainError
from jinjie.org.models import PATH_SEP, OrgUnit

from .models import BookStatus, RuleBook
from .services import PARSERS


class NoRuleBookError(DomainError, LookupError):
    pass


def _contains(owner_path: str | None, path: str | None) -> bool:
    if owner_path is None:
        return True
    return path is not None and (path == owner_path or path.startswith(owner_path + PATH_SEP))


class BooksInForce:
    """The published books of one kind in force on `on`, read once (there are a handful), and the
    choice of the most specific one for any unit path."""

    def __init__(self, *, kind: str, on: date) -> None:
        self.kind, self.on = kind, on
        self.books = list(
            RuleBook.objects.filter(kind=kind, status=BookStatus.PUBLISHED, effective_from__lte=on)
            .select_related("org_unit")
            .order_by("-effective_from", "-version")
        )
        self._by_path: dict[str | None, RuleBook | None] = {}

    def for_path(self, path: str | None) -> RuleBook:
        if path not in self._by_path:
            fitting = [b for b in self.books if _contains(b.org_unit.path if b.org_unit_id else None, path)]
            fitting.sort(key=lambda b: -(b.org_unit.depth if b.org_unit_id else -1))  # stable: latest first
            self._by_path[path] = fitting[0] if fitting else None
        book = self._by_path[path]
        if book is None:
            raise NoRuleBookError(f"{self.on} 没有生效的评定标准，请先运行 jinjie init 或发布标准")
        return book

    def for_unit(self, unit: OrgUnit | None) -> RuleBook:
        return self.for_path(unit.path if unit is not None else None)

    def owned_below(self, unit: OrgUnit | None) -> list[RuleBook]:
        """Books owned by units strictly inside `unit`'s subtree (they narrow it there)."""
        path = unit.path if unit is not None else None
        return [
            b for b in self.books
            if b.org_unit_id and b.org_unit.path != path and _contains(path, b.org_unit.path)
        ]


def rulebook_in_force(*, kind: str, on: date, unit: OrgUnit | None = None) -> RuleBook:
    """The book of `kind` in force on `on` for `unit` (None: the installation-wide book)."""
    return BooksInForce(kind=kind, on=on).for_unit(unit)


@lru_cache(maxsize=32)
def _parse(kind: str, book_id: int, version: int, published_at):
    # A published book never changes, so (id, version, publication time) names its parsed form for
    # good; the publication time also tells apart rows that reuse an id after a rolled-back test.
    return PARSERS[kind](RuleBook.objects.get(pk=book_id).document)


def parsed_rulebook(book: RuleBook):
    if book.status != BookStatus.PUBLISHED:
        return PARSERS[book.kind](book.document)
    return _parse(book.kind, book.pk, book.version, book.published_at)
