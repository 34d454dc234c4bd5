"""The kinds of background job (core.jobs) and the domain services behind them.

Registered when the ops app is ready (every process: web, worker, commands), so that a web view
can enqueue a kind by name without importing ops, and the worker finds the function to run.
Each adapter turns the job's JSON arguments back into the service's arguments, calls the
service (one transaction: all or nothing) as the user who asked, and returns what the job's
page shows. The services check the user's rights themselves, at run time.

A job that makes a file (a PDF batch) writes it under settings.JINJIE_JOB_FILES_DIR with a
random name, kept in its result; the job's page offers it to the user who asked (web.views.jobs).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings

from jinjie.applications.models import ApplicationRound
from jinjie.applications.services import qualified_compute
from jinjie.approvals.approval_form_pdf import MAX_FORMS_IN_A_JOB, approval_forms, render_approval_forms
from jinjie.approvals.services import period_submit
from jinjie.core.errors import DomainError
from jinjie.core.jobs import JobFailed, register
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run, parse_period
from jinjie.interchange.kinds import kind_named as import_kind
from jinjie.interchange.services import import_file
from jinjie.org import authority
from jinjie.org.models import OrgUnit
from jinjie.org.scoping import scope_employees
from jinjie.reports.whatif import whatif_run, whatif_summary
from jinjie.rulebooks.models import RuleBook

MAX_ERRORS_KEPT = 1000  # rows of an import's report kept on the job (the page shows them)
# Difference rows of a what-if kept on the job for its page and its Excel export: a province's
# what-if differs for a few thousand people; beyond this the page says how many were left out.
WHATIF_ROWS_KEPT = 20_000


def _unit(org_unit_id: int | None) -> OrgUnit | None:
    if org_unit_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=org_unit_id).first()
    if unit is None:
        raise DomainError("该单位已不存在，请重新选择")
    return unit


@register("evaluation_run", "季度测评")
def evaluation_job(*, actor, progress, period: str, org_unit_id: int | None = None) -> dict:
    unit = _unit(org_unit_id)
    run = evaluation_run(period=period, org_unit=unit, actor=actor, progress=progress)
    return {
        "period": run.period,
        "org_unit_id": run.org_unit_id,
        "org_unit": unit.path if unit else "全部单位",
        "run_id": run.pk,
        "counts": run.counts,
        "total": sum(run.counts.values()),
        "kept": run.kept,
        "problems": len(run.problems),
    }


@register("period_submit", "提交本期结果")
def period_submit_job(*, actor, progress, period: str, org_unit_id: int) -> dict:
    unit = _unit(org_unit_id)
    progress("提交审批", 0, None)
    done = period_submit(period=parse_period(period), org_unit=unit, actor=actor)
    progress("提交审批", len(done), len(done))
    return {"period": period, "org_unit_id": unit.pk, "org_unit": unit.path, "submitted": len(done)}


@register("qualified_list", "合格人员名单")
def qualified_job(*, actor, progress, round_id: int) -> dict:
    round_ = ApplicationRound.objects.filter(pk=round_id).first()
    if round_ is None:
        raise DomainError("该申报批次已不存在")
    snapshot = qualified_compute(actor=actor, round=round_, progress=progress)
    rows = snapshot.candidates.all()
    return {
        "round_id": round_.pk,
        "round": round_.title,
        "candidates": rows.count(),
        "ok": rows.filter(ok=True).count(),
        "computed_at": snapshot.computed_at.isoformat(),
    }


def import_result(result) -> dict:
    return {
        "kind": result.kind,
        "kind_label": import_kind(result.kind).label,
        "filename": result.filename,
        "dry_run": result.dry_run,
        "ok": result.ok,
        "summary": result.summary(),
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "error_count": len(result.errors),
        "errors": [[e.row, e.column, e.value, e.reason] for e in result.errors[:MAX_ERRORS_KEPT]],
    }


@register("import_file", "数据导入")
def import_job(*, actor, progress, kind: str, path: str, filename: str, dry_run: bool = False) -> dict:
    """A preview (dry_run) keeps the uploaded file for the confirmation; the import removes it."""
    file = Path(path)
    try:
        if not file.is_file():
            raise DomainError("上传的文件已不存在（已导入、已取消或已过期），请重新上传")
        result = import_file(
            kind=kind, path_or_fileobj=file, filename=filename, dry_run=dry_run, actor=actor, progress=progress
        )
    finally:
        if not dry_run:
            file.unlink(missing_ok=True)
    shown = import_result(result)
    if not result.ok:
        file.unlink(missing_ok=True)
        raise JobFailed(result.summary(), result=shown)
    return shown


@register("whatif_run", "标准试算")
def whatif_job(*, actor, progress, book_id: int, period: str, org_unit_id: int | None = None) -> dict:
    """A what-if over a scope too large for a request: no bound; its rights are checked as in one."""
    book = RuleBook.objects.filter(pk=book_id).first()
    if book is None:
        raise DomainError("要试算的标准已不存在，请重新选择")
    result = whatif_run(book=book, period=parse_period(period), org_unit=_unit(org_unit_id), actor=actor,
                        progress=progress, max_employees=None)
    return whatif_summary(result, rows_kept=WHATIF_ROWS_KEPT)


def job_files_dir() -> Path:
    return Path(settings.JINJIE_JOB_FILES_DIR)


@register("approval_forms_pdf", "打印晋级审批表")
def approval_forms_job(*, actor, progress, ids: list[int]) -> dict:
    """The 晋级审批表 of the selected proposals in one PDF, scoped to the user as on the list."""
    authority.require(actor, "proposals.print_form")
    if len(ids) > MAX_FORMS_IN_A_JOB:
        raise DomainError(f"一次最多打印 {MAX_FORMS_IN_A_JOB} 份晋级审批表，请分批打印")
    proposals: list[Proposal] = []
    wanted = sorted({int(pk) for pk in ids})
    for i in range(0, len(wanted), 900):  # SQLite's bound parameters
        proposals += scope_employees(actor, Proposal.objects.filter(pk__in=wanted[i : i + 900]), prefix="employee__") \
            .select_related("employee", "employee__org_unit", "rulebook")
    if not proposals:
        raise DomainError("所选建议不存在，或不在您的数据范围内")
    proposals.sort(key=lambda p: (p.employee.org_unit.path, p.employee.employee_no, p.pk))
    progress("生成晋级审批表", 0, len(proposals))
    content = render_approval_forms(approval_forms(proposals))
    progress("生成晋级审批表", len(proposals), len(proposals))
    folder = job_files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.pdf"
    partial = folder / (name + ".part")
    partial.write_bytes(content)
    os.replace(partial, folder / name)  # the file is whole or absent
    return {"file": name, "filename": "approval-forms.pdf", "count": len(proposals), "bytes": len(content)}
