"""Taking effect (`jinjie apply-due`, daily): ended notices close, due proposals are applied.

Rows are locked with SKIP LOCKED and filtered by state, so two runs at once apply each proposal
once. A constant number of queries whatever the number of proposals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
from jinjie.people.models import Employee, Qualification, RankChange
from jinjie.rules.ladder import MONOPOLY_LEVELS, MOVE_LABELS

from .. import clock
from ..channels import channel_of
from ..models import ApprovalStep, ProposalTransition
from ..workflow import transition
from ._rows import chunks, next_sequences, save, update_grouped
from .notices import close_notice

S = ProposalState


@dataclass
class ApplyResult:
    """What one apply_due run did. `voided` lists (proposal id, Chinese reason)."""

    today: date
    notices_closed: int = 0
    applied: int = 0
    applied_ids: list[int] = field(default_factory=list)
    voided: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.today}：公示期满 {self.notices_closed} 项，生效 {self.applied} 项"
        if self.voided:
            text += f"，作废 {len(self.voided)} 项"
        return text


def _close_ended_notices(today: date) -> int:
    ended = list(
        Proposal.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(state=S.ON_NOTICE, notice_item__notice__end_date__lt=today)
        .annotate(notice_start=F("notice_item__notice__start_date"), notice_end=F("notice_item__notice__end_date"))
        .order_by("pk")
    )
    if not ended:
        return 0
    sequences = next_sequences([p.pk for p in ended])
    rows, log = [], []
    for p in ended:
        row, entry = close_notice(
            p, effective=p.notice_end + timedelta(days=1), sequence=sequences[p.pk],
            note=f"公示期（{p.notice_start} 至 {p.notice_end}）已满，无异议",
        )
        rows.append(row)
        log.append(entry)
    save(ended, ["state", "step_index", "effective_date"])
    ApprovalStep.objects.bulk_create(rows)
    ProposalTransition.objects.bulk_create(log)
    return len(ended)


def _rank_reason(p: Proposal) -> str:
    # The channels' moves (取得等级, 任职) are not the ladder's: their label is the model's.
    what = MOVE_LABELS.get(p.move) or p.get_move_display()
    if p.kind == ProposalKind.EVALUATION:
        return f"{p.period} 测评{what}（建议 #{p.pk}）"
    return f"{p.get_kind_display()}：{what}（建议 #{p.pk}）"[:500]


@transaction.atomic
def apply_due(*, today: date | None = None) -> ApplyResult:
    """Make due proposals take effect; safe to run any number of times (cron: daily).

    1. Notices that ended before `today` with no objection open: their proposals are approved
       with effect from the day after the notice's end.
    2. Every approved proposal with effective_date ≤ today: a RankChange (source "proposal",
       source_ref "proposal:<id>") and the employee's current_rank / rank_since, in the same
       transaction; the proposal becomes `applied`. A proposal whose from_rank is no longer the
       employee's rank (another change took effect first), or whose employee already has a rank
       change on that date, is voided (→ rejected) and reported instead of applied.
       A channel whose subject is not a rank (approvals.channels: an appointment …) runs its own
       effect instead, in the same transaction.

    Rows are locked with SKIP LOCKED and filtered by state, so two runs at once apply each
    proposal once. A constant number of queries whatever the number of proposals.
    """
    today = today or clock.today()
    result = ApplyResult(today=today)
    result.notices_closed = _close_ended_notices(today)
    due = list(
        Proposal.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(state=S.APPROVED, effective_date__lte=today)
        .order_by("pk")
    )
    if not due:
        return result
    # In date order; on the same day an immediate demotion (a committee's ruling on a violation)
    # goes before an evaluation's promotion, which then no longer starts from the current rank.
    due.sort(key=lambda p: (p.effective_date, p.kind != ProposalKind.IMMEDIATE, p.pk))
    log: list[ProposalTransition] = []
    by_effect: dict[str, list[Proposal]] = {}
    for p in due:
        if channel_of(p.kind).rank_source is None:
            by_effect.setdefault(p.kind, []).append(p)
    if by_effect:
        _apply_effects(by_effect, today, log, result)
    ranked = [p for p in due if channel_of(p.kind).rank_source is not None]
    _apply_rank_changes(ranked, log, result)
    save(due, ["state"])
    ProposalTransition.objects.bulk_create(log)
    result.applied = len(result.applied_ids)
    return result


def _apply_effects(by_effect: dict[str, list[Proposal]], today: date, log: list, result: ApplyResult) -> None:
    """The channels whose subject is not a rank (an appointment …): their own effect, in the same
    transaction; the proposals it voids are rejected with its reason."""
    for kind, proposals in by_effect.items():
        voided = channel_of(kind).effect(proposals, today)
        for p in proposals:
            if p.pk in voided:
                log.append(transition(p, "void", note=voided[p.pk][:1000]))
                result.voided.append((p.pk, voided[p.pk]))
            else:
                log.append(transition(p, "apply", note=f"{p.effective_date} 生效：{p.to_rank}"))
                result.applied_ids.append(p.pk)


def _apply_rank_changes(due: list[Proposal], log: list, result: ApplyResult) -> None:
    """Rank and level changes: a RankChange and the employee's current rank, or void."""
    if not due:
        return
    employee_ids = sorted({p.employee_id for p in due})
    dates = sorted({p.effective_date for p in due})
    employees: dict[int, Employee] = {}
    taken: set[tuple[int, date]] = set()
    for chunk in chunks(employee_ids):
        employees.update((e.pk, e) for e in Employee.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
        taken.update(
            RankChange.objects.filter(employee_id__in=chunk, effective_date__in=dates).values_list(
                "employee_id", "effective_date"
            )
        )
    now = timezone.now()
    changes: list[RankChange] = []
    grants: list[Qualification] = []
    changed: dict[int, Employee] = {}
    for p in due:
        employee = employees[p.employee_id]
        if employee.current_rank != p.from_rank:
            why = f"员工现职级为{employee.current_rank}，不是建议的原职级{p.from_rank}，建议作废"
        elif (employee.pk, p.effective_date) in taken:
            why = f"该员工在 {p.effective_date} 已有职级变动记录，建议作废"
        else:
            why = ""
        if why:
            log.append(transition(p, "void", note=why))
            result.voided.append((p.pk, f"{employee.name}：{why}"))
            continue
        changes.append(
            RankChange(
                employee=employee, effective_date=p.effective_date, from_rank=p.from_rank, to_rank=p.to_rank,
                reason=_rank_reason(p), source=channel_of(p.kind).rank_source,
                source_ref=f"proposal:{p.pk}", recorded_at=now,
            )
        )
        if channel_of(p.kind).grants_level and p.to_rank in MONOPOLY_LEVELS:
            grants.append(
                Qualification(
                    employee=employee, level=p.to_rank, granted_date=p.effective_date, source_ref=f"proposal:{p.pk}",
                )
            )
        taken.add((employee.pk, p.effective_date))
        employee.current_rank, employee.rank_since, employee.updated_at = p.to_rank, p.effective_date, now
        changed[employee.pk] = employee
        log.append(transition(p, "apply", note=f"{p.effective_date} 生效：{p.from_rank} → {p.to_rank}"))
        result.applied_ids.append(p.pk)
    RankChange.objects.bulk_create(changes)
    if grants:
        Qualification.objects.bulk_create(grants, ignore_conflicts=True)
    update_grouped(Employee, list(changed.values()), ["current_rank", "rank_since", "updated_at"])
