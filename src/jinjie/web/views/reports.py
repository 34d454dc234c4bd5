"""统计分析 (SPEC 9): the report pages with their charts and tables, each chart's Excel export, and the
rule-book what-if. The figures are the selectors' (jinjie.reports); the file is interchange's
writer (reports/ sits below interchange and writes no file itself)."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from jinjie.interchange.writers import write_table
from jinjie.reports.charts import Chart, Report
from jinjie.reports.registry import REPORTS, Filters, build, default_month, default_period
from jinjie.reports.whatif import (
    DIFFERENCE_COLUMNS,
    WhatIfError,
    WhatIfTooLarge,
    difference_rows,
    whatif_chart,
    whatif_run,
)
from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook

from ..access import may, requires
from ..forms import ReportFilterForm, WhatIfForm, default_unit
from .common import refused
from .jobs import start

SHOWN_DIFFERENCES = 500  # rows of the what-if's table on the page; the export has them all


@requires("reports.read")
@require_GET
def index(request):
    return render(
        request, "web/reports/index.html",
        {"reports": list(REPORTS.values()), "may_whatif": may(request.user, "reports.whatif")},
    )


def _with_defaults(request, spec):
    """The query with the filters left out filled in, so that the form shows what the report used."""
    data = request.GET.copy()
    defaults = {
        "period": lambda: str(default_period()),
        "date": lambda: timezone.localdate().isoformat(),
        "month": default_month,
    }
    for name, default in defaults.items():
        if name in spec.filters and not data.get(name):
            data[name] = default()
    if not data.get("unit") and (unit := default_unit(request.user)) is not None:
        data["unit"] = str(unit.pk)
    return data


def _report(request, name: str) -> tuple:
    spec = REPORTS.get(name)
    if spec is None:
        raise Http404(gettext("没有这个统计报表"))
    form = ReportFilterForm(_with_defaults(request, spec), user=request.user, spec=spec)
    report = None
    if form.is_valid() and form.cleaned_data["unit"] is not None:
        f = form.cleaned_data
        filters = Filters(
            unit=f["unit"], period=f.get("period"), on=f.get("date"), month=f.get("month"),
            track=f.get("track") or None, target=f.get("target") or None, periods=f.get("periods") or 8,
        )
        report = build(name, user=request.user, filters=filters)
    return spec, form, report


def _query(report: Report, unit_id: int) -> str:
    """The filters applied, as a query string: the page's own URL and its exports keep them."""
    return urlencode({"unit": unit_id, **{k: v for k, v in report.filters.items() if v not in ("", None)}})


def chart_items(charts: list[Chart]) -> list[dict]:
    """What the template needs per chart: the chart, its script element's id and what the script draws."""
    return [
        {"chart": c, "data_id": f"chart-{c.key}-data", "spec": {"kind": c.kind, "title": c.title, "data": c.data}}
        for c in charts
    ]


@requires("reports.read")
@require_GET
def report_page(request, name: str):
    spec, form, report = _report(request, name)
    context = {"spec": spec, "form": form, "report": report, "reports": list(REPORTS.values())}
    if report is not None:
        query = _query(report, form.cleaned_data["unit"].pk)
        context.update(
            charts=chart_items(list(report.charts)),
            query=query,
            page_url=reverse("web:report", args=[name]) + "?" + query,
            export_url=reverse("web:report_export", args=[name]) + "?" + query,
        )
    return render(request, "web/reports/report.html", context)


def _xlsx(columns, rows, name: str, sheet: str) -> FileResponse:
    buffer = io.BytesIO()
    write_table(buffer, columns, rows, fmt="xlsx", sheet_title=sheet)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@requires("reports.read")
@require_GET
def report_export(request, name: str):
    spec, form, report = _report(request, name)
    if report is None:
        errors = "；".join(str(e) for errors in form.errors.values() for e in errors) or gettext("请先选择单位")
        return refused(request, gettext("未能导出：%(errors)s") % {"errors": errors}, reverse("web:report", args=[name]))
    chart = report.chart(request.GET.get("chart", "")) or report.charts[0]
    unit = form.cleaned_data["unit"]
    when = "-".join(str(v) for k, v in report.filters.items() if v and k in ("period", "date", "month"))
    filename = f"{spec.label}-{unit.name}-{when or 'all'}-{chart.key}.xlsx"
    return _xlsx(chart.columns, chart.rows, filename, spec.label)


# --- the rule-book what-if ---------------------------------------------------------------------------


def _ladder_books():
    # Drafts first (what HR is about to publish), newest first.
    return RuleBook.objects.filter(kind=BookKind.LADDER).order_by("status", "-version")


def _whatif(request):
    books = list(_ladder_books())
    # The form runs once a period is chosen; "?book=…" alone (the 试算 button of a draft) only
    # preselects the book.
    data = request.GET if "book" in request.GET and "period" in request.GET else None
    form = WhatIfForm(data, user=request.user, books=books)
    if data is None:
        wanted = request.GET.get("book", "")
        default = next((b for b in books if str(b.pk) == wanted), None) or next(
            (b for b in books if b.status == BookStatus.DRAFT), None
        )
        form.initial = {
            "book": default.pk if default else None,
            "period": str(default_period()),
            "unit": default_unit(request.user),
        }
    result = None
    form.too_large = False
    if form.is_bound and form.is_valid():
        f = form.cleaned_data
        book = next(b for b in books if b.pk == f["book"])
        try:
            result = whatif_run(book=book, period=f["period"], org_unit=f["unit"], actor=request.user)
        except WhatIfError as e:
            # Shown beside the form the user is filling in (too large a scope, no book in force …);
            # too large a scope is offered as a background job.
            form.add_error(None, str(e))
            form.too_large = isinstance(e, WhatIfTooLarge)
    return form, result


@requires("reports.whatif")
@require_GET
def whatif(request):
    form, result = _whatif(request)
    bound = f"{settings.JINJIE_WHATIF_MAX_EMPLOYEES:,}"
    context = {"form": form, "result": result, "shown": SHOWN_DIFFERENCES, "bound": bound}
    if result is not None:
        context.update(
            charts=chart_items([whatif_chart(result)]),
            differences=list(difference_rows(result))[:SHOWN_DIFFERENCES],
            columns=DIFFERENCE_COLUMNS,
            export_url=reverse("web:whatif_export") + "?" + request.GET.urlencode(),
        )
    return render(request, "web/reports/whatif.html", context)


@requires("reports.whatif")
@require_POST
def whatif_job(request):
    """The same what-if as a background job (no bound): its page shows the progress, then the result."""
    back = reverse("web:whatif")
    form = WhatIfForm(request.POST, user=request.user, books=list(_ladder_books()))
    if not form.is_valid():
        errors = "；".join(str(e) for errors in form.errors.values() for e in errors)
        return refused(request, gettext("未能开始试算：%(errors)s") % {"errors": errors}, back)
    f = form.cleaned_data
    args = {"book_id": f["book"], "period": str(f["period"]), "org_unit_id": f["unit"].pk}
    key = f"whatif:{request.user.pk}:{args['book_id']}:{args['period']}:{args['org_unit_id']}"
    return start(request, kind="whatif_run", args=args, dedupe_key=key, back=back)


@requires("reports.whatif")
@require_GET
def whatif_export(request):
    form, result = _whatif(request)
    if result is None:
        errors = "；".join(str(e) for errors in form.errors.values() for e in errors) or gettext("请选择要试算的标准")
        return refused(request, gettext("未能导出：%(errors)s") % {"errors": errors}, reverse("web:whatif"))
    name = gettext("试算-v%(version)s-%(period)s-%(unit)s.xlsx") % {
        "version": result.book.version, "period": result.period, "unit": form.cleaned_data["unit"].name,
    }
    return _xlsx(DIFFERENCE_COLUMNS, difference_rows(result), name, gettext("试算结果不同的员工"))
