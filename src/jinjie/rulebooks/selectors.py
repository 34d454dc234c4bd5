"""Reads on rule books: which version is in force on a date, parsed once per version."""

from datetime import date
from functools import lru_cache

from jinjie.core.errors import DomainError

from .models import BookStatus, RuleBook
from .services import PARSERS


class NoRuleBookError(DomainError, LookupError):
    pass


def rulebook_in_force(*, kind: str, on: date) -> RuleBook:
    book = (
        RuleBook.objects.filter(kind=kind, status=BookStatus.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if book is None:
        raise NoRuleBookError(f"{on} 没有生效的评定标准，请先运行 jinjie init 或发布标准")
    return book


@lru_cache(maxsize=32)
def _parse(kind: str, book_id: int, version: int, published_at):
    # A published book never changes, so (id, version, publication time) names its parsed form for
    # good; the publication time also tells apart rows that reuse an id after a rolled-back test.
    return PARSERS[kind](RuleBook.objects.get(pk=book_id).document)


def parsed_rulebook(book: RuleBook):
    if book.status != BookStatus.PUBLISHED:
        return PARSERS[book.kind](book.document)
    return _parse(book.kind, book.pk, book.version, book.published_at)
