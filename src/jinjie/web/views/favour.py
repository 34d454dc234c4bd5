"""评先 / 外派学习 / 推荐干部 lists (SPEC 2.6): HR draws, reads the ranked and excluded staff with
their reasons, freezes; the same export as `jinjie export favour`."""

import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from jinjie.core.errors import DomainError
from jinjie.development.selectors.favour import favour_entries, favour_list_get, favour_lists_for
from jinjie.development.services import favour_draw, favour_freeze
from jinjie.interchange.exports import export_favour_list
from jinjie.org import authority
from jinjie.org.scoping import visible_org_units
from jinjie.rules.favour import FAVOUR_KINDS

from ..access import may, requires
from ..refusals import shows_refusals
from .common import go, paginate
from .talks import XLSX


@requires("favour.read")
@require_GET
def favour(request):
    lists = favour_lists_for(user=request.user).order_by("-year", "kind", "org_unit__path")
    return render(request, "web/development/favour.html", {
        "page": paginate(request, lists), "may_draw": may(request.user, "favour.draw"), "kinds": FAVOUR_KINDS,
        "units": visible_org_units(request.user).order_by("path"), "year": timezone.localdate().year - 1,
    })


def _back_list(request, *args, **kwargs):
    return reverse("web:favour")


@requires("favour.draw")
@require_POST
@shows_refusals(_back_list)
def favour_draw_view(request):
    unit_id = request.POST.get("org_unit", "")
    unit = visible_org_units(request.user).filter(pk=unit_id).first() if unit_id.isdigit() and len(unit_id) < 12 else None
    if unit is None:
        raise DomainError(gettext("请选择单位"))
    drawn = favour_draw(year=request.POST.get("year"), kind=request.POST.get("kind", ""), org_unit=unit, actor=request.user)
    return go(request, reverse("web:favour_list", args=[drawn.pk]))


def _get(request, pk):
    found = favour_list_get(user=request.user, pk=pk)
    if found is None:
        raise Http404(gettext("没有找到该名单"))
    return found


@requires("favour.read")
@require_GET
def favour_list(request, pk: int):
    fl = _get(request, pk)
    entries = favour_entries(favour_list=fl)
    # A city's list holds thousands: a page of each part (the export holds everything).
    return render(request, "web/development/favour_list.html", {
        "fl": fl, "page": paginate(request, entries.filter(excluded="")),
        "excluded": paginate(_excluded_page(request), entries.exclude(excluded=""), per_page=50),
        "may_freeze": not fl.frozen and authority.allows(request.user, "favour.freeze", fl.org_unit),
        "may_redraw": not fl.frozen and authority.allows(request.user, "favour.draw", fl.org_unit),
    })


class _excluded_page:
    """The request as `paginate` reads it, with the excluded part's own page number (?xpage=)."""

    def __init__(self, request):
        self.GET = {"page": request.GET.get("xpage", "1")}


def _back(request, pk, *args, **kwargs):
    return reverse("web:favour_list", args=[pk])


@requires("favour.freeze")
@require_POST
@shows_refusals(_back)
def favour_freeze_view(request, pk: int):
    favour_freeze(favour_list=_get(request, pk), actor=request.user)
    return go(request, reverse("web:favour_list", args=[pk]))


@requires("favour.read")
@require_GET
def favour_export(request, pk: int):
    fl = _get(request, pk)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    buffer = io.BytesIO()
    export_favour_list(favour_list=fl, path=buffer, fmt=fmt)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX)
    response["Content-Disposition"] = f'attachment; filename="favour-{fl.year}-{fl.pk}.{fmt}"'
    return response
