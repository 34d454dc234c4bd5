"""评定标准: the published standard as tables for everyone; drafts, validation and publication for HR."""

import copy
import json

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
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
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK, DEFAULT_MONOPOLY_BOOK

from ..access import may, requires
from ..forms import RulebookDraftForm
from ..refusals import shows_refusals
from ..rulebook_diff import book_diff
from ..rulebook_editor import DraftMetaForm, editor_for, error_lines
from ..rulebook_tables import ladder_tables, monopoly_tables
from .common import go, refused

DEFAULTS = {BookKind.LADDER: DEFAULT_LADDER_BOOK, BookKind.MONOPOLY: DEFAULT_MONOPOLY_BOOK}


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
        raise Http404(gettext("没有找到该版本的评定标准"))
    try:
        tables = _tables(book)
        problems = []
    except RuleBookError as e:
        tables, problems = {}, error_lines(e)
    may_edit = may(request.user, "rulebooks.edit")
    return render(
        request,
        "web/rulebook_detail.html",
        {
            "book": book, "problems": problems, "may_edit": may_edit, "may_whatif": may(request.user, "reports.whatif"),
            **tables, **_comparison(book, may_edit),
        },
    )


def _comparison(book: RuleBook, may_edit: bool) -> dict:
    """A draft against the book it would replace: the one in force for its unit on its effective date."""
    if book.status != BookStatus.DRAFT or not may_edit:
        return {}
    try:
        base = rulebook_in_force(kind=book.kind, on=book.effective_from, unit=book.org_unit)
    except NoRuleBookError:
        return {"compared": True, "base": None, "changes": []}
    return {"compared": True, "base": base, "changes": book_diff(book.kind, base.document, book.document)}


def _start_document(kind: str, user) -> dict:
    """A new draft starts from the book in force for the user's unit, or from the defaults."""
    try:
        return rulebook_in_force(kind=kind, on=timezone.localdate(), unit=_own_unit(user)).document
    except NoRuleBookError:
        return copy.deepcopy(DEFAULTS[kind])


def _editor_page(request, *, kind, book, meta, editor=None, json_form=None, check_ok=False):
    """The draft page: the forms (default) or the JSON editor (高级：JSON)."""
    return render(
        request,
        "web/rulebook_edit.html",
        {
            "book": book, "kind": kind, "kind_label": BookKind(kind).label, "meta": meta, "editor": editor,
            "json_form": json_form, "mode": "json" if json_form is not None else "form", "check_ok": check_ok,
        },
    )


def _meta_form(request, book, data=None, initial=None):
    kwargs = {} if book is not None else {"user": request.user}
    if data is not None:
        return DraftMetaForm(data, **kwargs)
    return DraftMetaForm(initial=initial, **kwargs)


def _json_form(request, book, data=None, initial=None):
    kwargs = {} if book is not None else {"user": request.user}
    if data is not None:
        return RulebookDraftForm(data, **kwargs)
    return RulebookDraftForm(initial=initial, **kwargs)


def _get_draft_page(request, *, kind, book, document, initial):
    if request.GET.get("mode") == "json":
        text = json.dumps(document, ensure_ascii=False, indent=2)
        return _editor_page(request, kind=kind, book=book, meta=None, json_form=_json_form(request, book, initial={**initial, "document": text}))
    editor = editor_for(kind)(document=document)
    return _editor_page(request, kind=kind, book=book, meta=_meta_form(request, book, initial=initial), editor=editor)


def _save(request, *, kind, book, document, meta_data) -> RuleBook:
    if book is None:
        return rulebook_create_draft(
            kind=kind, document=document, effective_from=meta_data["effective_from"], note=meta_data["note"],
            actor=request.user, org_unit=meta_data.get("org_unit"),
        )
    return rulebook_update_draft(
        book=book, document=document, effective_from=meta_data["effective_from"], note=meta_data["note"], actor=request.user
    )


def _saved(request, book, created: bool):
    if created:
        messages.success(request, gettext("已保存草稿 v%(version)s。请核对与现行标准的差异后发布。") % {"version": book.version})
    else:
        messages.success(request, gettext("草稿 v%(version)s 已更新。") % {"version": book.version})
    return go(request, reverse("web:rulebook", args=[book.pk]))


def _post_forms(request, *, kind, book):
    """The forms' post: check, save, or carry the edits over to the JSON editor."""
    meta = _meta_form(request, book, data=request.POST)
    editor = editor_for(kind)(request.POST)
    action = request.POST.get("action")
    if action == "to_json":
        if editor.is_valid():
            data = request.POST.copy()
            data["document"] = json.dumps(editor.document(), ensure_ascii=False, indent=2)
            return _editor_page(request, kind=kind, book=book, meta=None, json_form=_json_form(request, book, data=data))
        return _editor_page(request, kind=kind, book=book, meta=meta, editor=editor)
    meta_ok = meta.is_valid()
    document = editor.check()
    if not meta_ok or document is None:
        return _editor_page(request, kind=kind, book=book, meta=meta, editor=editor)
    if action == "check":
        return _editor_page(request, kind=kind, book=book, meta=meta, editor=editor, check_ok=True)
    try:
        saved = _save(request, kind=kind, book=book, document=document, meta_data=meta.cleaned_data)
    except RuleBookError as e:
        editor.add_errors(error_lines(e))
        return _editor_page(request, kind=kind, book=book, meta=meta, editor=editor)
    return _saved(request, saved, created=book is None)


def _post_json(request, *, kind, book):
    """The JSON editor's post: save, or go over to the forms with the document as typed."""
    form = _json_form(request, book, data=request.POST)
    valid = form.is_valid()
    if request.POST.get("action") == "to_form" and "document" in form.cleaned_data:
        editor = editor_for(kind)(document=form.cleaned_data["document"])
        meta = _meta_form(request, book, data=request.POST)
        return _editor_page(request, kind=kind, book=book, meta=meta, editor=editor)
    if valid:
        try:
            saved = _save(request, kind=kind, book=book, document=form.cleaned_data["document"], meta_data=form.cleaned_data)
        except RuleBookError as e:
            for line in error_lines(e):
                form.add_error(None, line)
        else:
            return _saved(request, saved, created=book is None)
    return _editor_page(request, kind=kind, book=book, meta=None, json_form=form)


def _post_draft(request, *, kind, book):
    if request.POST.get("editor") == "form":
        return _post_forms(request, kind=kind, book=book)
    return _post_json(request, kind=kind, book=book)


@requires("rulebooks.edit")
@require_http_methods(["GET", "POST"])
def rulebook_new(request, kind: str):
    if kind not in BookKind.values:
        raise Http404(gettext("未知的标准类别"))
    if request.method == "GET":
        initial = {"effective_from": timezone.localdate(), "org_unit": request.user.org_unit_id}
        return _get_draft_page(request, kind=kind, book=None, document=_start_document(kind, request.user), initial=initial)
    return _post_draft(request, kind=kind, book=None)


@requires("rulebooks.edit")
@require_http_methods(["GET", "POST"])
@shows_refusals(lambda request, pk: reverse("web:rulebook", args=[pk]))
def rulebook_edit(request, pk: int):
    book = _visible_books(request.user).filter(pk=pk).first()
    if book is None:
        raise Http404(gettext("没有找到该版本的评定标准"))
    if book.status != BookStatus.DRAFT:
        return refused(request, gettext("已发布的标准不能修改，请另存为新版本"), reverse("web:rulebook", args=[pk]))
    if request.method == "GET":
        initial = {"effective_from": book.effective_from, "note": book.note}
        return _get_draft_page(request, kind=book.kind, book=book, document=book.document, initial=initial)
    return _post_draft(request, kind=book.kind, book=book)


@requires("rulebooks.edit")
@require_POST
def rulebook_check(request, kind: str):
    """htmx: validate the textarea's document without saving (rulebook_validate)."""
    if kind not in BookKind.values:
        raise Http404(gettext("未知的标准类别"))
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
        raise Http404(gettext("没有找到该版本的评定标准"))
    url = reverse("web:rulebook", args=[pk])
    try:
        rulebook_publish(book=book, actor=request.user)
    except RuleBookError as e:
        return refused(request, "；".join(error_lines(e)), url)
    messages.success(request, gettext("已发布 %(kind)s v%(version)s，自 %(day)s 起生效。") % {"kind": gettext(book.get_kind_display()), "version": book.version, "day": f"{book.effective_from:%Y-%m-%d}"})
    return go(request, url)
