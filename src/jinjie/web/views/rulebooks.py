"""评定标准: the published standard as tables for everyone; drafts, validation and publication for HR."""

import json

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rulebooks.services import (
    rulebook_create_draft,
    rulebook_publish,
    rulebook_update_draft,
    rulebook_validate,
)
from jinjie.rules.book import RuleBookError

from ..access import may, requires
from ..forms import RulebookDraftForm
from ..refusals import shows_refusals
from ..rulebook_tables import ladder_tables, monopoly_tables
from .common import go, refused


def error_lines(e: RuleBookError) -> list[str]:
    # A RuleBookError built from one message string holds its characters one by one.
    if e.errors and all(len(x) <= 1 for x in e.errors):
        return ["".join(e.errors)]
    return list(e.errors) or [str(e)]


def _tables(book: RuleBook) -> dict:
    parsed = parsed_rulebook(book)
    if book.kind == BookKind.LADDER:
        return {"ladder": ladder_tables(parsed)}
    return {"monopoly": monopoly_tables(parsed)}


def _applying_paths(unit) -> list[str]:
    if unit is None:
        return []
    parts = unit.path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _visible_books(user):
    """Published books that apply to the user's unit (installation-wide or an enclosing unit's) and
    those of units inside their subtree; drafts only for editors, of units they may edit."""
    books = RuleBook.objects.select_related("created_by", "published_by", "org_unit")
    if user.is_superuser:
        return books.order_by("kind", "-version")
    unit = user.org_unit if user.org_unit_id else (user.employee.org_unit if user.employee_id else None)
    applying = Q(org_unit__isnull=True) | Q(org_unit__path__in=_applying_paths(unit))
    inside = unit.subtree_filter(prefix="org_unit__") if unit is not None and user.org_unit_id else Q(pk__in=[])
    published = Q(status=BookStatus.PUBLISHED) & (applying | inside)
    drafts = Q(status=BookStatus.DRAFT) & inside if may(user, "rulebooks.edit") else Q(pk__in=[])
    return books.filter(published | drafts).order_by("kind", "-version")


def _own_unit(user):
    if user.org_unit_id:
        return user.org_unit
    return user.employee.org_unit if user.employee_id else None


@requires("rulebooks.read")
@require_GET
def rulebooks(request):
    today = timezone.localdate()
    shown = []
    for kind in BookKind:
        try:
            book = rulebook_in_force(kind=kind, on=today, unit=_own_unit(request.user))
        except NoRuleBookError:
            shown.append({"kind": kind, "label": kind.label, "book": None})
            continue
        shown.append({"kind": kind, "label": kind.label, "book": book, **_tables(book)})
    return render(
        request,
        "web/rulebooks.html",
        {"shown": shown, "versions": _visible_books(request.user), "may_edit": may(request.user, "rulebooks.edit")},
    )


@requires("rulebooks.read")
@require_GET
def rulebook_detail(request, pk: int):
    book = _visible_books(request.user).filter(pk=pk).first()
    if book is None:
        raise Http404("没有找到该版本的评定标准")
    try:
        tables = _tables(book)
        problems = []
    except RuleBookError as e:
        tables, problems = {}, error_lines(e)
    return render(
        request,
        "web/rulebook_detail.html",
        {"book": book, "problems": problems, "may_edit": may(request.user, "rulebooks.edit"), **tables},
    )


def _draft_response(request, form, book, kind):
    return render(request, "web/rulebook_edit.html", {"form": form, "book": book, "kind": kind, "kind_label": BookKind(kind).label})


@requires("rulebooks.edit")
@require_http_methods(["GET", "POST"])
def rulebook_new(request, kind: str):
    if kind not in BookKind.values:
        raise Http404("未知的标准类别")
    if request.method == "GET":
        try:
            base = rulebook_in_force(kind=kind, on=timezone.localdate(), unit=_own_unit(request.user))
            document = base.document
        except NoRuleBookError:
            document = {}
        initial = {
            "document": json.dumps(document, ensure_ascii=False, indent=2),
            "effective_from": timezone.localdate(),
            "org_unit": request.user.org_unit_id,
        }
        return _draft_response(request, RulebookDraftForm(initial=initial, user=request.user), None, kind)
    form = RulebookDraftForm(request.POST, user=request.user)
    if form.is_valid():
        f = form.cleaned_data
        try:
            book = rulebook_create_draft(
                kind=kind, document=f["document"], effective_from=f["effective_from"], note=f["note"],
                actor=request.user, org_unit=f.get("org_unit"),
            )
        except RuleBookError as e:
            for line in error_lines(e):
                form.add_error(None, line)
        else:
            messages.success(request, f"已保存草稿 v{book.version}。核对无误后请发布。")
            return go(request, reverse("web:rulebook", args=[book.pk]))
    return _draft_response(request, form, None, kind)


@requires("rulebooks.edit")
@require_http_methods(["GET", "POST"])
@shows_refusals(lambda request, pk: reverse("web:rulebook", args=[pk]))
def rulebook_edit(request, pk: int):
    book = _visible_books(request.user).filter(pk=pk).first()
    if book is None:
        raise Http404("没有找到该版本的评定标准")
    if book.status != BookStatus.DRAFT:
        return refused(request, "已发布的标准不能修改，请另存为新版本", reverse("web:rulebook", args=[pk]))
    if request.method == "GET":
        initial = {
            "document": json.dumps(book.document, ensure_ascii=False, indent=2),
            "effective_from": book.effective_from,
            "note": book.note,
        }
        return _draft_response(request, RulebookDraftForm(initial=initial), book, book.kind)
    form = RulebookDraftForm(request.POST)
    if form.is_valid():
        f = form.cleaned_data
        try:
            rulebook_update_draft(
                book=book, document=f["document"], effective_from=f["effective_from"], note=f["note"], actor=request.user
            )
        except RuleBookError as e:
            for line in error_lines(e):
                form.add_error(None, line)
        else:
            messages.success(request, f"草稿 v{book.version} 已更新。")
            return go(request, reverse("web:rulebook", args=[book.pk]))
    return _draft_response(request, form, book, book.kind)


@requires("rulebooks.edit")
@require_POST
def rulebook_check(request, kind: str):
    """htmx: validate the textarea's document without saving (rulebook_validate)."""
    if kind not in BookKind.values:
        raise Http404("未知的标准类别")
    form = RulebookDraftForm(request.POST)
    errors: list[str] = []
    form.is_valid()
    if "document" in form.errors:
        errors = list(form.errors["document"])
    elif "document" in form.cleaned_data:
        try:
            rulebook_validate(kind=kind, document=form.cleaned_data["document"])
        except RuleBookError as e:
            errors = error_lines(e)
    html = render(request, "web/_rulebook_check.html", {"errors": errors}).content
    return HttpResponse(html)


@requires("rulebooks.publish")
@require_POST
@shows_refusals(lambda request, pk: reverse("web:rulebook", args=[pk]))
def rulebook_publish_view(request, pk: int):
    book = _visible_books(request.user).filter(pk=pk).first()
    if book is None:
        raise Http404("没有找到该版本的评定标准")
    url = reverse("web:rulebook", args=[pk])
    try:
        rulebook_publish(book=book, actor=request.user)
    except RuleBookError as e:
        return refused(request, "；".join(error_lines(e)), url)
    messages.success(request, f"已发布 {book.get_kind_display()} v{book.version}，自 {book.effective_from:%Y-%m-%d} 起生效。")
    return go(request, url)
