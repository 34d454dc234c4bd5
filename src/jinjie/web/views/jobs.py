"""后台任务: the page of one background job — a progress bar polled by htmx, then its result.

Only the user who asked for the job (or a superuser) sees it: another's job is "not found"
(core.jobs.job_for). The job itself runs in `jinjie worker`; this page only reads its row.
"""

import io
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from jinjie.core.jobs import job_for, job_view
from jinjie.core.models import Job, JobState
from jinjie.interchange.writers import write_table
from jinjie.reports.whatif import whatif_chart_of

from ..access import requires

RESULTS = {
    "evaluation_run": "web/jobs/result_evaluation.html",
    "period_submit": "web/jobs/result_period_submit.html",
    "import_file": "web/jobs/result_import.html",
    "whatif_run": "web/jobs/result_whatif.html",
    "approval_forms_pdf": "web/jobs/result_file.html",
    "qualified_list": "web/jobs/result_qualified.html",
}
SHOWN_ROWS = 200  # difference rows of a what-if shown on its job's page; all are in the export
_FILE_NAME = re.compile(r"[0-9a-f]{32}\.pdf")


def _job(request, pk: int) -> Job:
    try:
        return job_for(pk=pk, user=request.user)
    except Job.DoesNotExist:
        raise Http404(gettext("没有找到该任务，或不是您提交的任务")) from None


def _context(request, job: Job) -> dict:
    context = {"jv": job_view(job), "result_template": RESULTS.get(job.kind, "web/jobs/result_generic.html")}
    result = job.result or {}
    if job.kind in ("evaluation_run", "period_submit") and result.get("period"):
        query = {"period": result["period"], **({"unit": result["org_unit_id"]} if result.get("org_unit_id") else {})}
        context["period_url"] = reverse("web:periods") + "?" + urlencode(query)
    if job.kind == "qualified_list" and result.get("round_id"):
        context["qualified_url"] = reverse("web:round_qualified", args=[result["round_id"]])
    if job.kind == "evaluation_run" and result.get("counts"):
        context["moves"] = [(move, n) for move, n in result["counts"].items() if n]
    if job.kind == "whatif_run" and job.state == JobState.SUCCEEDED and result.get("counts_current"):
        context["chart"] = whatif_chart_of(result)
        context["rows"] = result["rows"][:SHOWN_ROWS]
        context["shown"] = SHOWN_ROWS
    if job.kind == "import_file" and job.state == JobState.SUCCEEDED and job.args.get("dry_run"):
        # The preview of a big file: its confirmation, for the file still waiting under its token.
        token = Path(job.args.get("path", "")).stem
        pending = request.session.get("jinjie_imports", {})
        if token in pending:
            context["confirm_token"] = token
    return context


@requires()
def job_page(request, pk: int):
    job = _job(request, pk)
    return render(request, "web/jobs/job.html", _context(request, job))


@requires()
def job_progress(request, pk: int):
    """The fragment htmx polls every second while the job is queued or running."""
    job = _job(request, pk)
    return render(request, "web/jobs/_progress.html", _context(request, job))


def start(request, *, kind: str, args: dict, dedupe_key: str, back: str):
    """Queue a job for the request's user and show its page. A double click (same key while the
    first is queued or running) lands on the same job; one asked for by a colleague is said so."""
    from django.contrib import messages

    from jinjie.core.jobs import job_enqueue

    from .common import go

    job = job_enqueue(kind=kind, args=args, actor=request.user, dedupe_key=dedupe_key)
    if job.created_by_id not in (None, request.user.pk) and not request.user.is_superuser:
        name = job.created_by.get_full_name() or job.created_by.username
        messages.info(request, gettext("%(name)s 已提交了同样的任务（%(label)s），正在进行，请稍后查看结果。") % {"name": name, "label": job.label})
        return go(request, back)
    return go(request, reverse("web:job", args=[job.pk]))


def _finished(request, pk: int, kind: str) -> Job:
    job = _job(request, pk)
    if job.kind != kind or job.state != JobState.SUCCEEDED or not job.result:
        raise Http404(gettext("该任务没有可下载的结果"))
    return job


@requires()
def job_file(request, pk: int):
    """The file a job made (a PDF batch), for the user who asked for it."""
    job = _finished(request, pk, "approval_forms_pdf")
    name = job.result.get("file", "")
    path = Path(settings.JINJIE_JOB_FILES_DIR) / name
    if not _FILE_NAME.fullmatch(name) or not path.is_file():
        # Removed by the operator (the folder is for short-lived files): back to the job, said why.
        from .common import refused

        return refused(request, gettext("文件已不存在（可能已被清理），请重新生成"), reverse("web:job", args=[job.pk]))
    return FileResponse(path.open("rb"), content_type="application/pdf",
                        filename=job.result.get("filename") or "jinjie.pdf")


@requires()
def job_export(request, pk: int):
    """A what-if job's differences as Excel, from the rows the job kept."""
    job = _finished(request, pk, "whatif_run")
    result = job.result
    buffer = io.BytesIO()
    write_table(buffer, result["columns"], result["rows"], fmt="xlsx", sheet_title=gettext("试算结果不同的员工"))
    buffer.seek(0)
    name = gettext("试算-v%(version)s-%(period)s-%(unit)s.xlsx") % {
        "version": result["book_version"], "period": result["period"], "unit": result["org_unit"].rsplit("/", 1)[-1],
    }
    return FileResponse(buffer, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
