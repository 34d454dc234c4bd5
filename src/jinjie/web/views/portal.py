"""职业发展中心 (SPEC 5): pages HR writes in Markdown (sanitised with nh3), their versions, and the
generated pages — the position standards in force, open selections and application rounds."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from jinjie.assessments.schemes import SCHEME_TRACKS, scheme_in_force
from jinjie.development.portal_sources import generated_sections
from jinjie.development.selectors.portal import (
    home_unit,
    page_get,
    page_history,
    page_revision,
    visible_pages,
)
from jinjie.development.services import portal_page_save
from jinjie.org.scoping import visible_org_units
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.scheme import parse_scheme

from ..access import may, requires
from ..refusals import shows_refusals
from ..rulebook_tables import ladder_tables, monopoly_tables
from .common import go


@requires("portal.read")
@require_GET
def portal(request):
    pages = list(visible_pages(user=request.user).order_by("position", "slug"))
    return render(request, "web/development/portal.html", {
        "pages": pages, "generated": generated_sections(request.user), "may_edit": may(request.user, "portal.edit"),
    })


def _number(request) -> int | None:
    raw = request.GET.get("v", "")
    return int(raw) if raw.isdigit() and len(raw) < 9 else None


@requires("portal.read")
@require_GET
def portal_page(request, slug: str):
    page = page_get(user=request.user, slug=slug)
    if page is None:
        raise Http404(gettext("没有找到该页面"))
    number = _number(request)
    revision = page_revision(page=page, number=number)
    if revision is None:
        raise Http404(gettext("没有找到该版本"))
    return render(request, "web/development/portal_page.html", {
        "page": page, "revision": revision, "history": page_history(page=page),
        "latest": page.revisions.order_by("-number").values_list("number", flat=True).first(),
        "may_edit": may(request.user, "portal.edit"),
    })


def _back_new(request, *args, **kwargs):
    return reverse("web:portal_new")


@requires("portal.edit")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back_new)
def portal_new(request):
    units = visible_org_units(request.user).order_by("path")
    if request.method == "POST":
        unit = units.filter(pk=request.POST.get("org_unit")).first() if request.POST.get("org_unit", "").isdigit() else None
        revision = portal_page_save(
            actor=request.user, slug=request.POST.get("slug", ""), title=request.POST.get("title", ""),
            body=request.POST.get("body", ""), effective_from=request.POST.get("effective_from", ""), org_unit=unit,
            position=request.POST.get("position") if (request.POST.get("position") or "").isdigit() else 0,
        )
        return go(request, reverse("web:portal_page", args=[revision.page.slug]))
    return render(request, "web/development/portal_edit.html", {
        "units": units, "today": timezone.localdate(), "revision": None, "page": None,
    })


def _back_edit(request, slug, *args, **kwargs):
    return reverse("web:portal_edit", args=[slug])


@requires("portal.edit")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back_edit)
def portal_edit(request, slug: str):
    page = page_get(user=request.user, slug=slug)
    if page is None:
        raise Http404(gettext("没有找到该页面"))
    if request.method == "POST":
        portal_page_save(
            actor=request.user, page=page, title=request.POST.get("title", ""), body=request.POST.get("body", ""),
            effective_from=request.POST.get("effective_from", ""),
        )
        return go(request, reverse("web:portal_page", args=[page.slug]))
    return render(request, "web/development/portal_edit.html", {
        "page": page, "revision": page_revision(page=page), "today": timezone.localdate(),
    })


@requires("portal.read")
@require_GET
def portal_standards(request):
    """The position standards in force: the rule books and the assessment schemes, rendered."""
    today = timezone.localdate()
    books = []
    for kind in BookKind:
        try:
            book = rulebook_in_force(kind=kind, on=today, unit=home_unit(request.user))
        except NoRuleBookError:
            continue
        parsed = parsed_rulebook(book)
        tables = {"ladder": ladder_tables(parsed)} if kind == BookKind.LADDER else {"monopoly": monopoly_tables(parsed)}
        books.append({"label": kind.label, "book": book, **tables})
    schemes = []
    for track in SCHEME_TRACKS:
        scheme = scheme_in_force(track=track, on=today)
        if scheme is not None:
            schemes.append({"scheme": scheme, "items": parse_scheme(track, scheme.items).items})
    return render(request, "web/development/portal_standards.html", {"books": books, "schemes": schemes})

