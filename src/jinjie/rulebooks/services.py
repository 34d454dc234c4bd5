"""Writes on rule books: drafts, publication, and the defaults loaded by `jinjie init`."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from jinjie.rules.book import RuleBookError, parse_ladder_book, parse_monopoly_book
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK, DEFAULT_MONOPOLY_BOOK

from .models import BookKind, BookStatus, RuleBook

PARSERS = {BookKind.LADDER: parse_ladder_book, BookKind.MONOPOLY: parse_monopoly_book}
DEFAULT_EFFECTIVE_FROM = date(2000, 1, 1)


def rulebook_validate(*, kind: str, document: dict) -> None:
    """Raise RuleBookError (Chinese message) if the document is not a valid rule book of `kind`."""
    if kind not in PARSERS:
        raise RuleBookError([f"未知的标准类别: {kind}"])
    PARSERS[kind](document)


@transaction.atomic
def rulebook_create_draft(*, kind: str, document: dict, effective_from: date, note: str = "", actor=None) -> RuleBook:
    rulebook_validate(kind=kind, document=document)
    last = RuleBook.objects.select_for_update().filter(kind=kind).order_by("-version").first()
    return RuleBook.objects.create(
        kind=kind,
        version=(last.version + 1) if last else 1,
        effective_from=effective_from,
        document=document,
        note=note,
        created_by=actor,
    )


@transaction.atomic
def rulebook_update_draft(*, book: RuleBook, document: dict, effective_from: date, note: str = "") -> RuleBook:
    book = RuleBook.objects.select_for_update().get(pk=book.pk)
    if book.status != BookStatus.DRAFT:
        raise RuleBookError(["已发布的标准不能修改，请另存为新版本"])
    rulebook_validate(kind=book.kind, document=document)
    book.document, book.effective_from, book.note = document, effective_from, note
    book.save(update_fields=["document", "effective_from", "note"])
    return book


@transaction.atomic
def rulebook_publish(*, book: RuleBook, actor=None) -> RuleBook:
    book = RuleBook.objects.select_for_update().get(pk=book.pk)
    if book.status != BookStatus.DRAFT:
        raise RuleBookError(["该版本已发布"])
    rulebook_validate(kind=book.kind, document=book.document)
    book.status = BookStatus.PUBLISHED
    book.published_at = timezone.now()
    book.published_by = actor
    book.save(update_fields=["status", "published_at", "published_by"])
    return book


@transaction.atomic
def rulebook_load_defaults() -> list[RuleBook]:
    """Publish the default rule books of SPEC 2.2–2.5 and 3 where a kind has none yet (idempotent)."""
    created = []
    for kind, document in ((BookKind.LADDER, DEFAULT_LADDER_BOOK), (BookKind.MONOPOLY, DEFAULT_MONOPOLY_BOOK)):
        if RuleBook.objects.filter(kind=kind).exists():
            continue
        rulebook_validate(kind=kind, document=document)
        created.append(
            RuleBook.objects.create(
                kind=kind,
                version=1,
                effective_from=DEFAULT_EFFECTIVE_FROM,
                document=document,
                status=BookStatus.PUBLISHED,
                note="默认评定标准(SPEC 2.2–2.5、3)",
                published_at=timezone.now(),
            )
        )
    return created
