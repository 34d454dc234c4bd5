"""Excel exports from the pages (the command line's exports, with the page's filters): the filtered
proposal list and the employee list. The files are written by interchange (the proposals in the
columns of `jinjie export proposals`; the employees in the import format, ID numbers masked) into a
spooled temporary file and sent as an attachment."""

import tempfile
from datetime import datetime

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from jinjie.interchange.exports import export_proposal_list
from jinjie.interchange.services import export_kind

from ..access import may, requires
from .employee_filters import employee_filters

SPOOL_BYTES = 8 * 1024 * 1024  # kept in memory up to this, then on disk
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_link(request, url_name: str, right: str) -> dict:
    """The export URL of a list page with its current filters (not its page number), if allowed."""
    if not may(request.user, right):
        return {"export_url": None}
    query = request.GET.copy()
    query.pop("page", None)
    return {"export_url": reverse(url_name) + (f"?{query.urlencode()}" if query else "")}


def _stamp() -> str:
    return datetime.strftime(timezone.localtime(), "%Y%m%d-%H%M")


def xlsx_response(write, filename: str) -> FileResponse:
    """`write(file)` fills a binary file with an XLSX workbook; the file is sent as an attachment."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    write(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)


def proposals_xlsx(proposals, filename: str) -> FileResponse:
    return xlsx_response(lambda out: export_proposal_list(proposals=proposals, path=out, fmt="xlsx"), filename)


@requires("export.employees")
@require_GET
def employees_export(request):
    """The employees of the list's filters, in the import format (身份证号 masked)."""
    f = employee_filters(request)
    return xlsx_response(
        lambda out: export_kind(kind="employees", path=out, fmt="xlsx", actor=request.user, employees=f.employees),
        gettext("员工档案-%(stamp)s.xlsx") % {"stamp": _stamp()},
    )
