"""The applications export (SPEC 7: `jinjie export applications --round ID -o FILE`), also the
Excel download of a round's page.

Columns, a contract other tools read: `employee_no, name, org_unit, level, state, failed, manual,
decided_at`. `state` is the status code of SPEC 3.1 (submitted, withdrawn, checked, ineligible,
reviewed, in_route, rejected, granted); `failed` the unmet conditions of the frozen check;
`manual` the reviewer's marks ("item：符合；…"); `decided_at` the time of the latest decision on it
(the check at closing, the review, a step of its route, taking effect), Asia/Shanghai.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO

from django.db.models import Max
from django.utils import timezone

from jinjie.applications.models import Application, ApplicationRound
from jinjie.applications.selectors import status_of
from jinjie.approvals.models import ApprovalStep, ProposalTransition
from jinjie.core.errors import DomainError
from jinjie.org import authority
from jinjie.org.scoping import scope_employees

from .writers import write_table

__all__ = ["APPLICATION_COLUMNS", "export_applications"]

APPLICATION_COLUMNS = ("employee_no", "name", "org_unit", "level", "state", "failed", "manual", "decided_at")
_CHUNK = 900


class UnknownRound(DomainError):
    pass


def _latest(model, field: str, proposal_ids: list[int], **filters) -> dict[int, datetime]:
    out: dict[int, datetime] = {}
    for start in range(0, len(proposal_ids), _CHUNK):
        chunk = proposal_ids[start : start + _CHUNK]
        rows = (
            model.objects.filter(proposal_id__in=chunk, **filters).values("proposal_id").annotate(m=Max(field))
            .values_list("proposal_id", "m")
        )
        out.update(rows)
    return out


def _when(moments: Iterable[datetime | None]) -> str:
    known = [m for m in moments if m is not None]
    return timezone.localtime(max(known)).strftime("%Y-%m-%d %H:%M") if known else ""


def _rows(applications: list[Application]) -> Iterable[tuple]:
    proposal_ids = sorted(a.proposal_id for a in applications if a.proposal_id)
    steps = _latest(ApprovalStep, "decided_at", proposal_ids)
    effects = _latest(ProposalTransition, "at", proposal_ids, event__in=["apply", "void"])
    for a in applications:
        failed = "；".join(c.get("text") or c.get("label", "") for c in a.checks if not c.get("ok")) if a.checked_at else ""
        manual = "；".join(f"{m['label']}：{'符合' if m['ok'] else '不符合'}" for m in a.marks)
        decided = _when([a.checked_at, a.reviewed_at, steps.get(a.proposal_id), effects.get(a.proposal_id)])
        e = a.employee
        yield (e.employee_no, e.name, e.org_unit.path, a.level, status_of(a), failed, manual, decided)


def export_applications(*, round: ApplicationRound | int, path: str | Path | IO[bytes], fmt: str | None = None,
                        actor=None) -> int:
    """Write a round's applications (those in the actor's scope, if given) to a CSV/XLSX file; returns
    the number of rows. Raises a DomainError (Chinese) for an unknown round or file type."""
    pk = round.pk if isinstance(round, ApplicationRound) else round
    if not isinstance(pk, int) or isinstance(pk, bool) or not ApplicationRound.objects.filter(pk=pk).exists():
        raise UnknownRound(f"申报批次不存在：{round}")
    qs = Application.objects.filter(round_id=pk).select_related("employee", "employee__org_unit", "proposal")
    if actor is not None:
        authority.require(actor, "applications.export", ApplicationRound.objects.select_related("org_unit").get(pk=pk).org_unit)
        qs = scope_employees(actor, qs, prefix="employee__")
    applications = list(qs.order_by("employee__employee_no", "pk"))
    return write_table(path, APPLICATION_COLUMNS, _rows(applications), fmt=fmt, sheet_title="申报名单")
