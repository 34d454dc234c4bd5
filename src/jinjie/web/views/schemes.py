"""考核方案 (SPEC 5): the schemes in force per track for everyone; drafts and publication for HR.
Items are edited one a line: 名称|满分|说明."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.assessments.models import AssessmentScheme, SchemeStatus
from jinjie.assessments.schemes import (
    SCHEME_TRACKS,
    scheme_create_draft,
    scheme_in_force,
    scheme_publish,
    scheme_update_draft,
)
from jinjie.core.errors import DomainError
from jinjie.rules.scheme import SchemeError, parse_scheme

from ..access import may, requires
from ..refusals import shows_refusals
from .common import go


def items_text(items) -> str:
    return "\n".join(f"{i.get('name', '')}|{i.get('max', '')}|{i.get('note', '')}" for i in items or [])


def parse_items(text: str) -> list[dict]:
    out = []
    for line in (text or "").splitlines()[:60]:
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        out.append({"name": parts[0], "max": parts[1] if len(parts) > 1 else "", "note": parts[2] if len(parts) > 2 else ""})
    return out


def _visible(user):
    qs = AssessmentScheme.objects.select_related("created_by", "published_by")
    if not may(user, "schemes.edit"):
        qs = qs.filter(status=SchemeStatus.PUBLISHED)
    return qs.order_by("track", "-version")


@requires("schemes.read")
@require_GET
def schemes(request):
    today = timezone.localdate()
    shown = []
    for track in SCHEME_TRACKS:
        scheme = scheme_in_force(track=track, on=today)
        shown.append({"track": track, "scheme": scheme, "items": parse_scheme(track, scheme.items).items if scheme else ()})
    return render(request, "web/development/schemes.html", {
        "shown": shown, "versions": _visible(request.user), "may_edit": may(request.user, "schemes.edit"),
    })


def _get(request, pk):
    scheme = _visible(request.user).filter(pk=pk).first()
    if scheme is None:
        raise Http404(gettext("没有找到该考核方案"))
    return scheme


@requires("schemes.read")
@require_GET
def scheme(request, pk: int):
    s = _get(request, pk)
    try:
        items, problems = parse_scheme(s.track, s.items).items, []
    except SchemeError as e:
        items, problems = (), list(e.errors)
    return render(request, "web/development/scheme.html", {"s": s, "items": items, "problems": problems, "may_edit": may(request.user, "schemes.edit")})


def _back_new(request, track, *args, **kwargs):
    return reverse("web:scheme_new", args=[track]) if track in SCHEME_TRACKS else reverse("web:schemes")


@requires("schemes.edit")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back_new)
def scheme_new(request, track: str):
    if track not in SCHEME_TRACKS:
        raise Http404(gettext("没有该岗位序列的考核方案"))
    if request.method == "POST":
        s = scheme_create_draft(
            track=track, items=parse_items(request.POST.get("items", "")), effective_from=_day(request),
            note=request.POST.get("note", ""), actor=request.user,
        )
        return go(request, reverse("web:scheme", args=[s.pk]))
    current = scheme_in_force(track=track, on=timezone.localdate())
    return render(request, "web/development/scheme_edit.html", {
        "track": track, "s": None, "items_text": items_text(current.items if current else []), "today": timezone.localdate(),
    })


def _day(request):
    raw = request.POST.get("effective_from", "")
    try:
        from datetime import date

        return date.fromisoformat(raw)
    except ValueError:
        raise DomainError(gettext("生效日期格式应为 YYYY-MM-DD")) from None


def _back(request, pk, *args, **kwargs):
    return reverse("web:scheme", args=[pk])


@requires("schemes.edit")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back)
def scheme_edit(request, pk: int):
    s = _get(request, pk)
    if request.method == "POST":
        scheme_update_draft(
            scheme=s, items=parse_items(request.POST.get("items", "")), effective_from=_day(request),
            note=request.POST.get("note", ""), actor=request.user,
        )
        return go(request, reverse("web:scheme", args=[pk]))
    return render(request, "web/development/scheme_edit.html", {
        "track": s.track, "s": s, "items_text": items_text(s.items), "today": s.effective_from,
    })


@requires("schemes.edit")
@require_POST
@shows_refusals(_back)
def scheme_publish_view(request, pk: int):
    scheme_publish(scheme=_get(request, pk), actor=request.user)
    return go(request, reverse("web:scheme", args=[pk]))
