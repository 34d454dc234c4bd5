"""Writes on rule books: drafts, publication, and the defaults loaded by `jinjie init`.

A book belongs to a unit (RuleBook.org_unit) and applies to its subtree; the most specific book in
force wins (rulebooks.selectors). Who may draft and publish is the authority's: HR over the book's
unit (rulebooks.edit / rulebooks.publish); only a 省公司 or a 市局(分局) makes standards — a county
applies its city's; the installation-wide defaults (no unit) are the superusers' to replace.

Publication never changes the past: the apps that use a kind of book register a guard (e.g. the
evaluations app refuses an effective date on or before the start of a period already evaluated in
the book's units), so this app needs to know nothing about them.
"""

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from jinjie.org import authority
from jinjie.org.models import OrgKind, OrgUnit
from jinjie.rules.book import RuleBookError, parse_ladder_book, parse_monopoly_book
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK, DEFAULT_MONOPOLY_BOOK

from .models import BookKind, BookStatus, RuleBook

PARSERS = {BookKind.LADDER: parse_ladder_book, BookKind.MONOPOLY: parse_monopoly_book}
DEFAULT_EFFECTIVE_FROM = date(2000, 1, 1)
OWNER_KINDS = (OrgKind.PROVINCE, OrgKind.CITY)

# A guard looks at a book about to be published and returns why it may not be (Chinese), or None.
PublicationGuard = Callable[[RuleBook], str | None]
_GUARDS: list[PublicationGuard] = []


def register_publication_guard(guard: PublicationGuard) -> None:
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def _owner_subject(unit: OrgUnit | None) -> authority.Subject:
    # No unit: the installation-wide book, inside nobody's subtree but a superuser's.
    return authority.Subject(unit=unit)


def _check_owner(unit: OrgUnit | None) -> None:
    if unit is not None and unit.kind not in OWNER_KINDS:
        raise RuleBookError([f"评定标准由省公司或市局(分局)制定，{unit.path} 执行其上级单位的标准"])


def _locked(book: RuleBook) -> RuleBook:
    # Only the book's row: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join
    # that fetches its unit (none for the installation-wide books).
    return RuleBook.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=book.pk)


def rulebook_validate(*, kind: str, document: dict) -> None:
    """Raise RuleBookError (Chinese message) if the document is not a valid rule book of `kind`."""
    if kind not in PARSERS:
        raise RuleBookError([f"未知的标准类别: {kind}"])
    PARSERS[kind](document)


@transaction.atomic
def rulebook_create_draft(
    *, kind: str, document: dict, effective_from: date, note: str = "", actor=None, org_unit: OrgUnit | None = None
) -> RuleBook:
    """A new draft version of `kind` for `org_unit` (default: the actor's own unit)."""
    if actor is not None and org_unit is None and not actor.is_superuser:
        org_unit = actor.org_unit
    _check_owner(org_unit)
    if actor is not None:
        authority.require(actor, "rulebooks.edit", _owner_subject(org_unit))
    rulebook_validate(kind=kind, document=document)
    last = RuleBook.objects.select_for_update().filter(kind=kind).order_by("-version").first()
    return RuleBook.objects.create(
        kind=kind,
        org_unit=org_unit,
        version=(last.version + 1) if last else 1,
        effective_from=effective_from,
        document=document,
        note=note,
        created_by=actor,
    )


@transaction.atomic
def rulebook_update_draft(
    *, book: RuleBook, document: dict, effective_from: date, note: str = "", actor=None
) -> RuleBook:
    book = _locked(book)
    if actor is not None:
        authority.require(actor, "rulebooks.edit", _owner_subject(book.org_unit))
    if book.status != BookStatus.DRAFT:
        raise RuleBookError(["已发布的标准不能修改，请另存为新版本"])
    rulebook_validate(kind=book.kind, document=document)
    book.document, book.effective_from, book.note = document, effective_from, note
    book.save(update_fields=["document", "effective_from", "note"])
    return book


@transaction.atomic
def rulebook_publish(*, book: RuleBook, actor=None) -> RuleBook:
    book = _locked(book)
    if actor is not None:
        authority.require(actor, "rulebooks.publish", _owner_subject(book.org_unit))
    if book.status != BookStatus.DRAFT:
        raise RuleBookError(["该版本已发布"])
    rulebook_validate(kind=book.kind, document=book.document)
    refusals = [r for r in (guard(book) for guard in _GUARDS) if r]
    if refusals:
        raise RuleBookError(refusals)
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
                note="默认评定标准",
                published_at=timezone.now(),
            )
        )
    return created
