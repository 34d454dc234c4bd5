"""Writes of the approval workflow (SPEC 2.4): submit, decide, publish notices, objections, apply.

Every public function is keyword-only and runs in ONE transaction. Each one locks the proposal
rows it will change first (SELECT … FOR UPDATE, in id order so that two batches cannot deadlock),
then re-reads their state and checks everything before writing anything: a refused action raises
WorkflowError (Chinese message) and writes nothing. Each state change goes through
workflow.transition() and is logged (ProposalTransition) in the same transaction; each decision is
an append-only ApprovalStep whose (proposal, sequence) is unique, so a double-clicked "approve" is
stored once even where row locks are not real (SQLite serialises writers instead).

Batches (submit, decide, publish) are all or nothing: if any item is refused, BatchWorkflowError
lists every refused item with its reason and nothing is written. A committee approving 40
grade-ups wants to know that all 40 went through, not to hunt for the three that did not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from jinjie.evaluations.facts import load_ladder_facts
from jinjie.evaluations.models import Move, Proposal, ProposalKind, ProposalState
from jinjie.org.models import OrgUnit, User
from jinjie.people.models import Employee, Qualification, RankChange, RankChangeSource, Violation
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.calendar import Period
from jinjie.rules.evaluate import evaluate
from jinjie.rules.ladder import LADDER_TRACKS, MONOPOLY_LEVELS, MOVE_LABELS, RANKS, move_between, rank_step

from . import clock
from .models import (
    ApprovalStep,
    Decision,
    DemotionLevel,
    ImmediateDemotion,
    Notice,
    NoticeItem,
    Objection,
    ObjectionResolution,
    ProposalTransition,
    SkipFallback,
)
from .noticedays import NoticeDaysError, notice_window
from .workflow import (
    OBJECTABLE_STATES,
    STEP_ROLES,
    BatchWorkflowError,
    WorkflowError,
    WorkflowPermissionError,
    current_step,
    refuse_unless_committee,
    refuse_unless_may_decide,
    state_label,
    step_label,
    transition,
)

__all__ = [
    "ApplyResult",
    "BatchDecision",
    "DecisionResult",
    "apply_due",
    "immediate_demotion",
    "notice_publish",
    "objection_file",
    "objection_resolve",
    "period_submit",
    "proposal_decide",
    "proposal_submit",
    "proposals_decide_batch",
]

S = ProposalState
SKIP_MOVES = frozenset({Move.SKIP_GRADE, Move.SKIP_LEVEL})
MAX_TEXT = 2000
_CHUNK = 900  # ids per IN (…): under SQLite's oldest limit of 999 bound parameters
_RANK_SOURCE = {
    ProposalKind.EVALUATION: RankChangeSource.PROPOSAL,
    ProposalKind.IMMEDIATE: RankChangeSource.IMMEDIATE,
    ProposalKind.MONOPOLY: RankChangeSource.GRANT,
}


# --- results -----------------------------------------------------------------------------------


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


# --- shared helpers ----------------------------------------------------------------------------


_MAX_PK = 2**63 - 1  # a bigint: anything larger cannot name a row (and overflows SQLite's INTEGER)


def _pk(obj, what: str) -> int:
    """The primary key of a model instance or of an id given as an int; refused if no row can have it."""
    pk = obj if isinstance(obj, int) and not isinstance(obj, bool) else getattr(obj, "pk", None)
    if not isinstance(pk, int) or not 0 < pk <= _MAX_PK:
        raise WorkflowError(f"{what}不存在：{obj!r}")
    return pk


def _ids(proposals: Iterable[Proposal | int]) -> list[int]:
    ids = sorted({_pk(p, "建议") for p in proposals})
    if not ids:
        raise WorkflowError("没有选择任何建议")
    return ids


def _lock(ids: list[int]) -> list[Proposal]:
    """Lock the proposals in id order and read them afresh (their state may have moved on)."""
    locked = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("employee", "employee__org_unit", "rulebook")
        .order_by("pk")
    )
    missing = sorted(set(ids) - {p.pk for p in locked})
    if missing:
        raise WorkflowError(f"建议不存在：{'、'.join(f'#{pk}' for pk in missing)}")
    return locked


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _next_sequences(ids: list[int]) -> dict[int, int]:
    last: dict[int, int] = {}
    for chunk in _chunks(ids):
        last.update(
            ApprovalStep.objects.filter(proposal_id__in=chunk)
            .values("proposal_id")
            .annotate(m=Max("sequence"))
            .values_list("proposal_id", "m")
        )
    return {pk: (last.get(pk) or 0) + 1 for pk in ids}


def _update_grouped(model, objects: list, fields: list[str]) -> None:
    """Write `fields` of `objects` with one UPDATE per distinct combination of values.

    A batch moves many rows to the same state (and rank, and date), so this is a handful of
    statements; Django's bulk_update would build a CASE per row, which is slow in Python.
    """
    groups: dict[tuple, list[int]] = {}
    for obj in objects:
        groups.setdefault(tuple(getattr(obj, f) for f in fields), []).append(obj.pk)
    for values, pks in groups.items():
        for chunk in _chunks(pks):
            model.objects.filter(pk__in=chunk).update(**dict(zip(fields, values, strict=True)))


def _save(proposals: list[Proposal], fields: list[str]) -> None:
    now = timezone.now()
    for p in proposals:
        p.updated_at = now
    _update_grouped(Proposal, proposals, [*fields, "updated_at"])


def _clean_text(text: str | None, what: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise WorkflowError(f"请填写{what}")
    if len(text) > MAX_TEXT:
        raise WorkflowError(f"{what}不能超过 {MAX_TEXT} 字")
    return text


def _who(p: Proposal) -> str:
    return f"{p.employee.name}（{p.from_rank}→{p.to_rank}）"


def _ladder_book_today(today: date):
    try:
        return parsed_rulebook(rulebook_in_force(kind=BookKind.LADDER, on=today))
    except NoRuleBookError as e:
        raise WorkflowError(str(e)) from None


# --- submit ------------------------------------------------------------------------------------


def _submit_locked(locked: list[Proposal], actor: User) -> list[ProposalTransition]:
    errors: list[tuple[int, str]] = []
    log: list[ProposalTransition] = []
    for p in locked:
        try:
            refuse_unless_committee(actor, p.employee, "提交审批")
            if p.state != S.DRAFT:
                raise WorkflowError(f"{_who(p)} 当前状态为“{state_label(p.state)}”，只有待提交的建议可以提交")
            if not p.route:
                raise WorkflowError(f"{_who(p)} 没有审批路径")
            log.append(transition(p, "submit", actor=actor, note=f"首个环节：{step_label(p.route[0])}"))
        except WorkflowError as e:
            errors.append((p.pk, str(e)))
    if errors:
        raise BatchWorkflowError(errors)
    return log


@transaction.atomic
def proposal_submit(*, proposals: Iterable[Proposal | int], actor: User) -> list[Proposal]:
    """Submit draft proposals for approval (draft → in_review at route[0]). Committee only.

    All or nothing: raises BatchWorkflowError listing every proposal that cannot be submitted.
    """
    locked = _lock(_ids(proposals))
    log = _submit_locked(locked, actor)
    _save(locked, ["state"])
    ProposalTransition.objects.bulk_create(log)
    return locked


@transaction.atomic
def period_submit(*, period: Period | str, org_unit: OrgUnit, actor: User) -> list[Proposal]:
    """Submit every draft of `period` in `org_unit`'s subtree (the committee's "提交本期结果")."""
    refuse_unless_committee(actor, org_unit, "提交测评结果")
    try:
        key = str(Period.parse(period))
    except ValueError as e:
        raise WorkflowError(str(e)) from None
    ids = list(
        Proposal.objects.filter(kind=ProposalKind.EVALUATION, period=key, state=S.DRAFT)
        .filter(org_unit.subtree_filter(prefix="employee__org_unit__"))
        .values_list("pk", flat=True)
    )
    if not ids:
        raise WorkflowError(f"{org_unit.path} 在 {key} 没有待提交的建议")
    locked = _lock(sorted(ids))
    # Re-read under the lock: a concurrent submit may have taken some; those are simply done.
    locked = [p for p in locked if p.state == S.DRAFT]
    log = _submit_locked(locked, actor)
    _save(locked, ["state"])
    ProposalTransition.objects.bulk_create(log)
    return locked


# --- decide ------------------------------------------------------------------------------------


def _check_decision(decision: str, comment: str | None) -> str:
    if decision not in Decision.values:
        raise WorkflowError("审批意见应为 approve（同意）或 reject（不同意）")
    return _clean_text(comment, "不同意的理由" if decision == Decision.REJECT else "审批意见",
                       required=decision == Decision.REJECT)


def _decide_locked(
    p: Proposal, *, actor: User, decision: str, comment: str, today: date, sequence: int,
    step_index: int | None = None,
) -> tuple[ApprovalStep, ProposalTransition]:
    """Check and apply one decision on a locked proposal (in memory; the caller writes)."""
    if p.state != S.IN_REVIEW:
        raise WorkflowError(f"{_who(p)} 当前状态为“{state_label(p.state)}”，不能审批")
    step = current_step(p)
    if step is None:
        raise WorkflowError(f"{_who(p)} 的审批路径已走完")
    if step_index is not None and step_index != p.step_index:
        raise WorkflowError(f"{_who(p)} 的该环节已经处理，当前环节为“{step_label(step)}”，请刷新后再看")
    if step == "notice":
        raise WorkflowError(f"{_who(p)} 当前环节为公示：由考评委员会发布公示，公示期满无异议即通过")
    if actor.role != STEP_ROLES[step]:
        decided = [s for s in p.route[: p.step_index] if STEP_ROLES.get(s) == actor.role]
        if decided:
            raise WorkflowError(f"{_who(p)} 的“{step_label(decided[-1])}”环节已审批，当前环节为“{step_label(step)}”")
    refuse_unless_may_decide(actor, step, p.employee)
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
    ids: list[int], *, actor: User, decision: str, comment: str, step_index: int | None = None
) -> list[DecisionResult]:
    comment = _check_decision(decision, comment)
    today = clock.today()
    locked = _lock(ids)
    sequences = _next_sequences(ids)
    rows: list[ApprovalStep] = []
    log: list[ProposalTransition] = []
    errors: list[tuple[int, WorkflowError]] = []
    for p in locked:
        try:
            row, entry = _decide_locked(
                p, actor=actor, decision=decision, comment=comment, today=today, sequence=sequences[p.pk],
                step_index=step_index,
            )
        except WorkflowError as e:
            errors.append((p.pk, e))
            continue
        rows.append(row)
        log.append(entry)
    if errors:
        if len(ids) == 1:
            # A single decision raises the item's own error (a permission error stays a 403).
            raise errors[0][1]
        raise BatchWorkflowError([(pk, str(e)) for pk, e in errors])
    _save(locked, ["state", "step_index", "effective_date"])
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
    *, proposal: Proposal | int, actor: User, decision: str, comment: str = "", step_index: int | None = None
) -> DecisionResult:
    """Decide the proposal's current step: `decision` is "approve" or "reject" (a reason is required).

    Who may decide (SPEC 1): track_review → a track reviewer of the employee's track; committee,
    leader, director → that role; always with the employee inside the actor's org subtree.
    Approving a step moves to the next one; the step before a `notice` leaves the proposal
    waiting for notice_publish; approving the last step makes it `approved`, effective tomorrow.
    Rejecting makes it `rejected` (rank unchanged); a rejected skip (跳档/跳级) falls back to the
    one-step move when the employee qualifies for it (see DecisionResult.fallback).

    `step_index`: the step the actor was shown; if the proposal has moved on since, refused.
    Raises WorkflowPermissionError (role, track, scope) or WorkflowError (state); writes nothing then.
    """
    pk = _pk(proposal, "建议")
    (result,) = _decide_many([pk], actor=actor, decision=decision, comment=comment, step_index=step_index)
    return result


@transaction.atomic
def proposals_decide_batch(
    *, proposals: Iterable[Proposal | int], actor: User, decision: str, comment: str = ""
) -> BatchDecision:
    """Decide the current step of many proposals at once (e.g. approve the 40 grade-ups).

    All or nothing: if any proposal cannot be decided by `actor`, raises BatchWorkflowError whose
    `errors` lists (proposal id, reason) for each of them, and nothing is written.
    """
    return BatchDecision(_decide_many(_ids(proposals), actor=actor, decision=decision, comment=comment))


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
    _save([skip], ["state"])
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
    submitted = transition(fallback, "submit", actor=actor, note=f"由建议 #{skip.pk}（{skip.get_move_display()}）改按一步晋升")
    _save([fallback], ["state"])
    submitted.save()
    return fallback


def _note(p: Proposal, actor: User, note: str) -> None:
    """Add a note to the log without a state change (why a rejected skip did not fall back)."""
    ProposalTransition.objects.create(
        proposal=p, event="note", from_state=p.state, to_state=p.state, step_index=p.step_index, actor=actor, note=note
    )


# --- public notices (公示) -----------------------------------------------------------------------


def _within(unit: OrgUnit, root: OrgUnit) -> bool:
    return root.contains(unit)


def _default_title(locked: list[Proposal]) -> str:
    first = locked[0].employee.name
    what = "专卖管理员等级晋升" if all(p.kind == ProposalKind.MONOPOLY for p in locked) else "职级晋升"
    return f"关于{first}{'等' if len(locked) > 1 else ''}同志{what}的公示"


@transaction.atomic
def notice_publish(
    *,
    org_unit: OrgUnit,
    proposals: Iterable[Proposal | int],
    actor: User,
    days: int | None = None,
    day_kind: str | None = None,
    title: str | None = None,
) -> Notice:
    """Publish a public notice (公示) of proposals whose current step is `notice`. Committee only.

    The notice starts the day after publication and runs `days` days counted as `day_kind`
    ("calendar" or "working", on the Chinese calendar); both default to the notice settings of the
    ladder rule book in force today (SPEC 2.4: 7 calendar days). Every proposal must be waiting
    for its notice and its employee inside `org_unit`'s subtree; all or nothing (BatchWorkflowError).
    The proposals go `on_notice`; the notice and its items are never changed afterwards.
    """
    refuse_unless_committee(actor, org_unit, "发布公示")
    today = clock.today()
    if days is None or day_kind is None:
        book = _ladder_book_today(today)
        days = book.notice_days if days is None else days
        day_kind = book.notice_counting if day_kind is None else day_kind
    try:
        start, end = notice_window(published_on=today, days=days, day_kind=day_kind)
    except NoticeDaysError as e:
        raise WorkflowError(str(e)) from None
    title = _clean_text(title, "公示标题", required=False)
    if len(title) > 200:
        raise WorkflowError("公示标题不能超过 200 字")
    ids = _ids(proposals)
    locked = _lock(ids)
    published = dict(
        NoticeItem.objects.filter(proposal_id__in=ids).values_list("proposal_id", "notice__title")
    )
    errors: list[tuple[int, str]] = []
    for p in locked:
        if p.pk in published:
            errors.append((p.pk, f"{_who(p)} 已在公示“{published[p.pk]}”中"))
        elif p.state != S.IN_REVIEW or current_step(p) != "notice":
            where = f"当前环节为“{step_label(current_step(p))}”" if p.state == S.IN_REVIEW else ""
            errors.append((p.pk, f"{_who(p)} 当前状态为“{state_label(p.state)}”{where}，不是待公示"))
        elif not _within(p.employee.org_unit, org_unit):
            errors.append((p.pk, f"{_who(p)} 不属于{org_unit.path}"))
    if errors:
        raise BatchWorkflowError(errors)
    locked.sort(key=lambda p: (p.employee.org_unit.path, p.employee.employee_no, p.pk))
    notice = Notice.objects.create(
        org_unit=org_unit,
        title=title or _default_title(locked),
        published_on=today,
        start_date=start,
        end_date=end,
        days=days,
        day_kind=day_kind,
        published_by=actor,
    )
    items, log = [], []
    for position, p in enumerate(locked, start=1):
        items.append(
            NoticeItem(
                notice=notice, proposal=p, position=position, name=p.employee.name,
                unit_name=p.employee.org_unit.name, from_rank=p.from_rank, to_rank=p.to_rank,
                move_label=p.get_move_display(),
            )
        )
        log.append(transition(p, "publish", actor=actor, note=f"{notice.title}：{start} 至 {end}"))
    NoticeItem.objects.bulk_create(items)
    _save(locked, ["state"])
    ProposalTransition.objects.bulk_create(log)
    return notice


def _close_notice(p: Proposal, *, effective: date, sequence: int, note: str):
    """The notice of a proposal is over with no objection standing: its `notice` step is done."""
    row = ApprovalStep(
        proposal=p, step="notice", sequence=sequence, decision=Decision.APPROVE, actor=None, actor_role="",
        comment=note,
    )
    following = p.step_index + 1
    if following < len(p.route):
        entry = transition(p, "close_continue", note=f"{note}；下一环节：{step_label(p.route[following])}")
        p.step_index = following
    else:
        entry = transition(p, "close", note=f"{note}；{effective} 生效")
        p.effective_date = effective
    return row, entry


# --- objections (异议) ---------------------------------------------------------------------------


@transaction.atomic
def objection_file(*, notice_item: NoticeItem | int, filer: User, text: str) -> Objection:
    """File an objection to one item of a notice, during the notice only. Holds the proposal.

    Any employee of the notice's unit may file: the filer's login must be tied to an employee
    whose unit is inside the notice's unit subtree. The filer's identity is recorded but never
    written to the proposal's log (the employee concerned reads that log).
    """
    text = _clean_text(text, "异议内容", required=True)
    item_pk = _pk(notice_item, "公示事项")
    try:
        item = NoticeItem.objects.select_related("notice", "notice__org_unit").get(pk=item_pk)
    except NoticeItem.DoesNotExist:
        raise WorkflowError("公示事项不存在") from None
    (p,) = _lock([item.proposal_id])
    notice = item.notice
    if not filer.is_active or filer.employee_id is None:
        raise WorkflowPermissionError("只有本单位员工可以提出异议（您的账号未关联员工）")
    employee = Employee.objects.select_related("org_unit").get(pk=filer.employee_id)
    if not _within(employee.org_unit, notice.org_unit):
        raise WorkflowPermissionError(f"您不是{notice.org_unit.name}的员工，不能对该公示提出异议")
    today = clock.today()
    if today < notice.start_date:
        raise WorkflowError(f"公示期自 {notice.start_date} 开始，届时方可提出异议")
    if today > notice.end_date:
        raise WorkflowError(f"公示期已于 {notice.end_date} 结束，不能再提出异议")
    if p.state not in OBJECTABLE_STATES:
        raise WorkflowError(f"{item.name}的公示事项当前状态为“{state_label(p.state)}”，不能提出异议")
    objection = Objection.objects.create(notice_item=item, proposal=p, filer=filer, text=text)
    # No actor on this log row: the log is shown to the employee concerned.
    entry = transition(p, "object", note=f"收到异议 #{objection.pk}")
    _save([p], ["state"])
    entry.save()
    return objection


@transaction.atomic
def objection_resolve(
    *, objection: Objection | int, actor: User, upheld: bool, reason: str
) -> ObjectionResolution:
    """The committee rules on an objection (the discipline officer may only read).

    Upheld → the proposal is rejected (rank unchanged; a skip does not fall back here: the
    objection was against the promotion itself). Dismissed → once no other objection is open, the
    proposal is back on notice, or, if the notice has ended meanwhile, approved with effect from
    the day after this ruling (the ruling is then its last step; never backdated).
    """
    if not isinstance(upheld, bool):
        raise WorkflowError("请选择异议是否成立")
    reason = _clean_text(reason, "处理意见", required=True)
    pk = _pk(objection, "异议")
    try:
        obj = Objection.objects.select_related("notice_item__notice").get(pk=pk)
    except Objection.DoesNotExist:
        raise WorkflowError("异议不存在") from None
    (p,) = _lock([obj.proposal_id])
    refuse_unless_committee(actor, p.employee, "异议处理")
    if ObjectionResolution.objects.filter(objection=obj).exists():
        raise WorkflowError(f"异议 #{obj.pk} 已经处理")
    resolution = ObjectionResolution.objects.create(objection=obj, upheld=upheld, reason=reason, actor=actor)
    if p.state != S.HELD:
        return resolution  # already rejected by another upheld objection: the ruling is recorded only
    today = clock.today()
    notice = obj.notice_item.notice
    sequence = _next_sequences([p.pk])[p.pk]
    rows: list[ApprovalStep] = []
    log: list[ProposalTransition] = []
    if upheld:
        rows.append(
            ApprovalStep(
                proposal=p, step="notice", sequence=sequence, decision=Decision.REJECT, actor=actor,
                actor_role=actor.role, comment=f"异议成立：{reason}",
            )
        )
        log.append(transition(p, "uphold", actor=actor, note=f"异议 #{obj.pk} 成立"))
    elif not Objection.objects.filter(proposal=p, resolution__isnull=True).exists():
        log.append(transition(p, "dismiss", actor=actor, note=f"异议 #{obj.pk} 不成立"))
        if today > notice.end_date:
            row, entry = _close_notice(
                p, effective=max(notice.end_date, today) + timedelta(days=1),
                sequence=sequence, note=f"公示期（{notice.start_date} 至 {notice.end_date}）已满，异议已处理",
            )
            rows.append(row)
            log.append(entry)
    else:
        log.append(transition(p, "object", actor=actor, note=f"异议 #{obj.pk} 不成立，尚有其他异议待处理"))
    _save([p], ["state", "step_index", "effective_date"])
    ApprovalStep.objects.bulk_create(rows)
    ProposalTransition.objects.bulk_create(log)
    return resolution


# --- taking effect -------------------------------------------------------------------------------


def _close_ended_notices(today: date) -> int:
    ended = list(
        Proposal.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(state=S.ON_NOTICE, notice_item__notice__end_date__lt=today)
        .annotate(notice_start=F("notice_item__notice__start_date"), notice_end=F("notice_item__notice__end_date"))
        .order_by("pk")
    )
    if not ended:
        return 0
    sequences = _next_sequences([p.pk for p in ended])
    rows, log = [], []
    for p in ended:
        row, entry = _close_notice(
            p, effective=p.notice_end + timedelta(days=1), sequence=sequences[p.pk],
            note=f"公示期（{p.notice_start} 至 {p.notice_end}）已满，无异议",
        )
        rows.append(row)
        log.append(entry)
    _save(ended, ["state", "step_index", "effective_date"])
    ApprovalStep.objects.bulk_create(rows)
    ProposalTransition.objects.bulk_create(log)
    return len(ended)


def _rank_reason(p: Proposal) -> str:
    what = MOVE_LABELS.get(p.move, p.move)
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
    employee_ids = sorted({p.employee_id for p in due})
    dates = sorted({p.effective_date for p in due})
    employees: dict[int, Employee] = {}
    taken: set[tuple[int, date]] = set()
    for chunk in _chunks(employee_ids):
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
    log: list[ProposalTransition] = []
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
                reason=_rank_reason(p), source=_RANK_SOURCE.get(p.kind, RankChangeSource.PROPOSAL),
                source_ref=f"proposal:{p.pk}", recorded_at=now,
            )
        )
        if p.kind == ProposalKind.MONOPOLY and p.to_rank in MONOPOLY_LEVELS:
            grants.append(Qualification(employee=employee, level=p.to_rank, granted_date=p.effective_date))
        taken.add((employee.pk, p.effective_date))
        employee.current_rank, employee.rank_since, employee.updated_at = p.to_rank, p.effective_date, now
        changed[employee.pk] = employee
        log.append(transition(p, "apply", note=f"{p.effective_date} 生效：{p.from_rank} → {p.to_rank}"))
        result.applied_ids.append(p.pk)
    RankChange.objects.bulk_create(changes)
    if grants:
        Qualification.objects.bulk_create(grants, ignore_conflicts=True)
    _update_grouped(Employee, list(changed.values()), ["current_rank", "rank_since", "updated_at"])
    _save(due, ["state"])
    ProposalTransition.objects.bulk_create(log)
    result.applied = len(result.applied_ids)
    return result


# --- immediate demotion (即时降档/降级) ----------------------------------------------------------


def _previous_change_was_demotion(employee: Employee) -> bool:
    last = RankChange.objects.filter(employee=employee).order_by("-effective_date", "-id").first()
    if last is None:
        return False
    try:
        return rank_step(last.to_rank) < rank_step(last.from_rank or "见习")
    except ValueError:
        return False  # a monopoly level: not a move on the ladder


@transaction.atomic
def immediate_demotion(
    *, employee: Employee | int, violation: Violation | int, to_level: str, actor: User, comment: str = ""
) -> Proposal:
    """The committee demotes an employee at once for a recorded violation (SPEC 2.4).

    `to_level` "grade" → down one step (降档, r−1); "level" → the same grade one level lower (降级,
    max(0, r−3), 初级 falls to 见习). Creates a Proposal of kind "immediate" with the rule book's
    route for immediate demotions (default ["committee"]) and decides its first step with this
    same committee decision: with the default route it is approved at once, effective tomorrow,
    and apply_due makes it take effect. Flagged `reassign` when it ends at 见习 and the previous
    rank change was also a demotion (SPEC 2.3). One demotion per violation.
    """
    employee = (
        Employee.objects.select_for_update(of=("self",)).select_related("org_unit").filter(pk=_pk(employee, "员工")).first()
    )
    if employee is None:
        raise WorkflowError("员工不存在")
    refuse_unless_committee(actor, employee, "即时降档/降级")
    if to_level not in DemotionLevel.values:
        raise WorkflowError("降档/降级应为 grade（降档）或 level（降级）")
    comment = _clean_text(comment, "审批意见", required=False)
    violation = Violation.objects.filter(pk=_pk(violation, "违规记录")).first()
    if violation is None or violation.employee_id != employee.pk:
        raise WorkflowError(f"该违规记录不是{employee.name}的")
    if ImmediateDemotion.objects.filter(violation=violation).exists():
        raise WorkflowError(f"{violation.date} 的违规记录已用于即时降档/降级")
    if employee.track not in LADDER_TRACKS:
        raise WorkflowError(f"即时降档/降级只适用于{'、'.join(LADDER_TRACKS)}")
    if Proposal.objects.filter(
        employee=employee, kind=ProposalKind.IMMEDIATE, state__in=(S.DRAFT, S.IN_REVIEW, S.APPROVED)
    ).exists():
        raise WorkflowError(f"{employee.name} 已有尚未生效的即时降档/降级")
    try:
        r = rank_step(employee.current_rank)
    except ValueError as e:
        raise WorkflowError(str(e)) from None
    if r == 0:
        raise WorkflowError(f"{employee.name} 现为见习，不能再降")
    to = r - 1 if to_level == DemotionLevel.GRADE else max(0, r - 3)
    move = move_between(r, to)
    today = clock.today()
    try:
        book_row = rulebook_in_force(kind=BookKind.LADDER, on=today)
    except NoRuleBookError as e:
        raise WorkflowError(str(e)) from None
    route = list(parsed_rulebook(book_row).route_for("immediate_demotion"))
    if STEP_ROLES.get(route[0]) != actor.role:
        raise WorkflowError(f"评定标准中即时降档/降级的首个环节为“{step_label(route[0])}”，考评委员会不能直接决定")
    reassign = to == 0 and _previous_change_was_demotion(employee)
    what = f"{violation.date} {violation.severity}" + (f"：{violation.description}" if violation.description else "")
    summary = f"即时{MOVE_LABELS[move]}：{RANKS[r]} → {RANKS[to]}（违规 {what}）"
    if reassign:
        summary += "；连续两次降级，建议调整岗位"
    p = Proposal.objects.create(
        kind=ProposalKind.IMMEDIATE,
        period=str(Period.containing(today)),
        employee=employee,
        from_rank=RANKS[r],
        to_rank=RANKS[to],
        move=move,
        route=route,
        reassign=reassign,
        reasons=[
            {"code": "violation", "label": "违规记录", "required": "无", "actual": what, "passed": False,
             "text": f"违规记录 {what} ✗"}
        ],
        summary=summary[:500],
        rulebook=book_row,
        state=S.DRAFT,
    )
    ImmediateDemotion.objects.create(proposal=p, violation=violation, to_level=to_level)
    log = [transition(p, "submit", actor=actor, note="考评委员会决定即时降档/降级")]
    row, entry = _decide_locked(p, actor=actor, decision=Decision.APPROVE, comment=comment, today=today, sequence=1)
    log.append(entry)
    _save([p], ["state", "step_index", "effective_date"])
    row.save()
    ProposalTransition.objects.bulk_create(log)
    return p
