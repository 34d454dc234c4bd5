"""Submit and decide: a proposal enters its route and each step is approved or rejected (SPEC 2.4).

Batches (submit, decide) are all or nothing: if any item is refused, BatchWorkflowError lists
every refused item with its reason and nothing is written. A committee approving 40 grade-ups
wants to know that all 40 went through, not to hunt for the three that did not. Each decision is
an append-only ApprovalStep whose (proposal, sequence) is unique, so a double-clicked "approve" is
stored once even where row locks are not real (SQLite serialises writers instead).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction

from jinjie.core.errors import DomainError
from jinjie.evaluations.facts import load_ladder_facts
from jinjie.evaluations.models import Move, Proposal, ProposalKind, ProposalState
from jinjie.org import authority
from jinjie.org.models import OrgUnit, User
from jinjie.rulebooks.selectors import parsed_rulebook
from jinjie.rules.calendar import Period
from jinjie.rules.evaluate import evaluate
from jinjie.rules.ladder import MOVE_LABELS, rank_step

from .. import clock
from ..checks import check_decide, check_submit
from ..meetings import MeetingRecord, meeting_for_steps
from ..models import ApprovalStep, Decision, ProposalTransition, SkipFallback
from ..workflow import BatchWorkflowError, WorkflowError, step_label, transition
from ._rows import clean_text, ids_of, lock, next_sequences, pk_of, save

S = ProposalState
SKIP_MOVES = frozenset({Move.SKIP_GRADE, Move.SKIP_LEVEL})


@dataclass
class DecisionResult:
    """One decided step: the proposal as it now stands, the step recorded, and, when a rejected
    skip fell back to the one-step move, the new proposal (already submitted)."""

    proposal: Proposal
    step: ApprovalStep
    fallback: Proposal | None = None


@dataclass
class BatchDecision:
    results: list[DecisionResult]

    @property
    def proposals(self) -> list[Proposal]:
        return [r.proposal for r in self.results]

    @property
    def fallbacks(self) -> list[Proposal]:
        return [r.fallback for r in self.results if r.fallback is not None]

    def __len__(self) -> int:
        return len(self.results)


# --- submit ------------------------------------------------------------------------------------


def enter_route(p: Proposal, actor: User, today: date, note: str = "") -> ProposalTransition:
    """A checked draft enters its route: in review at its first step, or — the empty route of an
    automatic move (自动晋档) — approved at once, effective the day after (SPEC 2.4: "the day after
    its last step"; submitting is the last step here). In memory; the caller saves."""
    if not p.route:
        p.effective_date = today + timedelta(days=1)
        why = "评定标准规定晋档无需审批"
        return transition(p, "automatic", actor=actor, note=f"{note}{why}，{p.effective_date} 生效")
    return transition(p, "submit", actor=actor, note=f"{note}首个环节：{step_label(p.route[0])}")


def _submit_locked(locked: list[Proposal], actor: User) -> list[ProposalTransition]:
    errors: list[tuple[int, str]] = []
    log: list[ProposalTransition] = []
    today = clock.today()
    for p in locked:
        try:
            check_submit(actor, p)
            log.append(enter_route(p, actor, today))
        except DomainError as e:
            errors.append((p.pk, str(e)))
    if errors:
        raise BatchWorkflowError(errors)
    return log


@transaction.atomic
def proposal_submit(*, proposals: Iterable[Proposal | int], actor: User) -> list[Proposal]:
    """Submit draft proposals for approval (draft → in_review at route[0]). Committee only.

    A proposal whose route is empty (自动晋档, rules.book.AUTOMATIC_MOVES) is approved at once,
    effective tomorrow, its log entry saying so; apply_due then applies it.
    All or nothing: raises BatchWorkflowError listing every proposal that cannot be submitted.
    """
    locked = lock(ids_of(proposals))
    log = _submit_locked(locked, actor)
    save(locked, ["state", "effective_date"])
    ProposalTransition.objects.bulk_create(log)
    return locked


@transaction.atomic
def period_submit(*, period: Period, org_unit: OrgUnit, actor: User) -> list[Proposal]:
    """Submit every draft of `period` in `org_unit`'s subtree (the committee's "提交本期结果")."""
    authority.require(actor, "proposals.submit", org_unit)
    key = str(period)
    ids = list(
        Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=key, state=S.DRAFT)
        .filter(org_unit.subtree_filter(prefix="employee__org_unit__"))
        .values_list("pk", flat=True)
    )
    if not ids:
        raise WorkflowError(f"{org_unit.path} 在 {key} 没有待提交的建议")
    locked = lock(sorted(ids))
    # Re-read under the lock: a concurrent submit may have taken some; those are simply done.
    locked = [p for p in locked if p.state == S.DRAFT]
    log = _submit_locked(locked, actor)
    save(locked, ["state", "effective_date"])
    ProposalTransition.objects.bulk_create(log)
    return locked


# --- decide ------------------------------------------------------------------------------------


def _check_decision(decision: str, comment: str | None) -> str:
    if decision not in Decision.values:
        raise WorkflowError("审批意见应为 approve（同意）或 reject（不同意）")
    return clean_text(comment, "不同意的理由" if decision == Decision.REJECT else "审批意见",
                      required=decision == Decision.REJECT)


def decide_locked(
    p: Proposal, *, actor: User, decision: str, comment: str, today: date, sequence: int,
    step_index: int | None = None,
) -> tuple[ApprovalStep, ProposalTransition]:
    """Check and apply one decision on a locked proposal (in memory; the caller writes)."""
    step = check_decide(actor, p, step_index=step_index)
    row = ApprovalStep(
        proposal=p, step=step, sequence=sequence, decision=decision, actor=actor, actor_role=actor.role,
        comment=comment,
    )
    if decision == Decision.REJECT:
        return row, transition(p, "reject", actor=actor, note=f"{step_label(step)}：{comment}")
    following = p.step_index + 1
    if following >= len(p.route):
        log = transition(p, "complete", actor=actor, note=f"{step_label(step)}审批通过，{today + timedelta(days=1)} 生效")
        p.effective_date = today + timedelta(days=1)
        return row, log
    log = transition(p, "advance", actor=actor, note=f"下一环节：{step_label(p.route[following])}")
    p.step_index = following
    return row, log


def _decide_many(
    ids: list[int], *, actor: User, decision: str, comment: str, step_index: int | None = None,
    meeting: MeetingRecord | None = None,
) -> list[DecisionResult]:
    comment = _check_decision(decision, comment)
    today = clock.today()
    locked = lock(ids)
    sequences = next_sequences(ids)
    rows: list[ApprovalStep] = []
    log: list[ProposalTransition] = []
    errors: list[tuple[int, DomainError]] = []
    for p in locked:
        try:
            row, entry = decide_locked(
                p, actor=actor, decision=decision, comment=comment, today=today, sequence=sequences[p.pk],
                step_index=step_index,
            )
        except DomainError as e:
            errors.append((p.pk, e))
            continue
        rows.append(row)
        log.append(entry)
    if errors:
        if len(ids) == 1:
            # A single decision raises the item's own error (a refusal for who the actor is stays a 403).
            raise errors[0][1]
        raise BatchWorkflowError([(pk, str(e)) for pk, e in errors])
    if meeting is not None:
        held = meeting_for_steps(meeting, steps=rows, actor=actor, today=today)
        for row in rows:
            row.meeting = held
    save(locked, ["state", "step_index", "effective_date"])
    try:
        with transaction.atomic():
            ApprovalStep.objects.bulk_create(rows)
    except IntegrityError:
        # Only possible if another writer slipped a step in without the lock: refuse, write nothing.
        raise WorkflowError("该环节刚刚已由他人处理，请刷新后再看") from None
    ProposalTransition.objects.bulk_create(log)
    results = [DecisionResult(proposal=p, step=row) for p, row in zip(locked, rows, strict=True)]
    if decision == Decision.REJECT:
        for result in results:
            if result.proposal.move in SKIP_MOVES and result.proposal.kind == ProposalKind.EVALUATION:
                result.fallback = _skip_fallback(result.proposal, actor)
    return results


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal | int, actor: User, decision: str, comment: str = "", step_index: int | None = None,
    meeting: MeetingRecord | None = None,
) -> DecisionResult:
    """Decide the proposal's current step: `decision` is "approve" or "reject" (a reason is required).

    Who may decide is the authority's (org.authority: the step's right, inside the actor's subtree,
    a track reviewer for their track, never about themselves); approvals.checks.check_decide adds
    the state and the current step. Approving a step moves to the next one; the step before a
    `notice` leaves the proposal waiting for notice_publish; approving the last step makes it
    `approved`, effective tomorrow. Rejecting makes it `rejected` (rank unchanged); a rejected skip
    (跳档/跳级) falls back to the one-step move when the employee qualifies for it (see
    DecisionResult.fallback).

    `step_index`: the step the actor was shown; if the proposal has moved on since, refused.
    `meeting`: the committee's meeting that took the decision (approvals.meetings; committee steps
    only), stored with the step and printed on the 晋级审批表.
    Raises NotPermitted (role, track, scope, 回避) or WorkflowError (state); writes nothing then.
    """
    pk = pk_of(proposal, "建议")
    (result,) = _decide_many(
        [pk], actor=actor, decision=decision, comment=comment, step_index=step_index, meeting=meeting
    )
    return result


@transaction.atomic
def proposals_decide_batch(
    *, proposals: Iterable[Proposal | int], actor: User, decision: str, comment: str = "",
    meeting: MeetingRecord | None = None,
) -> BatchDecision:
    """Decide the current step of many proposals at once (e.g. approve the 40 grade-ups).

    All or nothing: if any proposal cannot be decided by `actor`, raises BatchWorkflowError whose
    `errors` lists (proposal id, reason) for each of them, and nothing is written. `meeting`: one
    committee meeting for all of them (as proposal_decide).
    """
    return BatchDecision(
        _decide_many(ids_of(proposals), actor=actor, decision=decision, comment=comment, meeting=meeting)
    )


# --- the rejected skip's fallback (SPEC 2.4) -----------------------------------------------------


def _skip_fallback(skip: Proposal, actor: User) -> Proposal | None:
    """After a skip was rejected: the ordinary one-step move, if the employee qualifies for it.

    The engine decides, with the facts reloaded now (a correction since the run counts): the
    evaluation is re-run with skipping switched off in the same rule book the skip was computed
    with, so the gates (rank held all period, no violation) and the r+1 criteria are exactly the
    engine's. A one-step promotion → the skip is superseded (its steps stay as its history) and a
    new draft is created and submitted. Anything else → the skip simply stays rejected; the
    transition log says why.
    """
    period = Period.parse(skip.period)
    book = parsed_rulebook(skip.rulebook)
    r = rank_step(skip.from_rank)
    facts = load_ladder_facts(period=period, employee_id=skip.employee_id).facts.get(skip.employee_id)
    if facts is None or facts.step != r:
        _note(skip, actor, "未改按一步晋升：员工已不在测评范围或职级已变动")
        return None
    no_skip = dataclasses.replace(book, skip_from=(False,) * len(book.skip_from))
    outcome = evaluate(facts, period, no_skip)
    if outcome.to_step != r + 1:
        _note(skip, actor, f"未改按一步晋升：{outcome.summary}"[:1000])
        return None
    entry = transition(skip, "supersede", actor=actor, note=f"改按{MOVE_LABELS[outcome.move]}至{outcome.to_rank}")
    save([skip], ["state"])
    entry.save()
    fallback = Proposal.objects.create(
        kind=ProposalKind.EVALUATION,
        run_id=skip.run_id,
        period=skip.period,
        employee=skip.employee,
        from_rank=skip.from_rank,
        to_rank=outcome.to_rank,
        move=outcome.move,
        route=list(outcome.route),
        reassign=False,
        reasons=[x._asdict() for x in outcome.reasons],
        summary=f"{outcome.summary}（{skip.get_move_display()}未通过，改按{MOVE_LABELS[outcome.move]}）"[:500],
        rulebook=skip.rulebook,
        state=S.DRAFT,
        step_index=0,
    )
    SkipFallback.objects.create(skip_proposal=skip, proposal=fallback)
    submitted = enter_route(
        fallback, actor, clock.today(), note=f"由建议 #{skip.pk}（{skip.get_move_display()}）改按一步晋升；"
    )
    save([fallback], ["state", "effective_date"])
    submitted.save()
    return fallback


def _note(p: Proposal, actor: User, note: str) -> None:
    """Add a note to the log without a state change (why a rejected skip did not fall back)."""
    ProposalTransition.objects.create(
        proposal=p, event="note", from_state=p.state, to_state=p.state, step_index=p.step_index, actor=actor, note=note
    )
