"""Public notices (公示) and objections (异议) (SPEC 2.4).

A published notice and its items are never changed afterwards. During the notice any employee of
the unit may object; an open objection holds the proposal until the committee rules: upheld →
rejected, dismissed → back on notice (or approved if the notice has ended meanwhile). The filer's
identity is recorded but never written to the proposal's log, which the employee concerned reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction

from jinjie.evaluations.models import Proposal, ProposalState
from jinjie.org import authority
from jinjie.org.models import OrgUnit, User
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force

from .. import clock
from ..channels import channel_of
from ..checks import check_publish
from ..models import (
    ApprovalStep,
    Decision,
    Notice,
    NoticeItem,
    Objection,
    ObjectionResolution,
    ProposalTransition,
)
from ..noticedays import NoticeDaysError, notice_window
from ..workflow import (
    OBJECTABLE_STATES,
    BatchWorkflowError,
    WorkflowError,
    current_step,
    state_label,
    step_label,
    transition,
)
from ._rows import clean_text, ids_of, lock, next_sequences, pk_of, save, who

S = ProposalState


def objection_subject(p: Proposal, objection: Objection) -> authority.Subject:
    """An objection is about the proposal's employee; its filer is a party too (回避)."""
    employee = p.employee
    return authority.Subject(
        unit=employee.org_unit, employee_id=employee.pk, track=employee.track, parties=frozenset({objection.filer_id})
    )


def _book_today(kind: str, today: date, unit: OrgUnit | None):
    try:
        return parsed_rulebook(rulebook_in_force(kind=kind, on=today, unit=unit))
    except NoRuleBookError as e:
        raise WorkflowError(str(e)) from None


def notice_settings(kind: str, today: date, unit: OrgUnit | None = None) -> tuple[int, str]:
    """(days, counting) of a notice of `kind`'s proposals published `today` for `unit`: the channel's
    own rule book's notice settings if it sets them (a 专卖管理员 book may), else the ladder book's —
    each the book in force for the unit."""
    channel = channel_of(kind)
    if channel.notice_book is not None:
        own = _book_today(channel.notice_book, today, unit)
        if getattr(own, "notice_days", None) is not None:
            return own.notice_days, own.notice_counting
    ladder = _book_today(BookKind.LADDER, today, unit)
    return ladder.notice_days, ladder.notice_counting


def _default_title(locked: list[Proposal]) -> str:
    first = locked[0].employee.name
    what = channel_of(locked[0].kind).notice_subject
    return f"关于{first}{'等' if len(locked) > 1 else ''}同志{what}的公示"


def _one_channel(locked: list[Proposal]):
    kinds = {p.kind for p in locked}
    if len(kinds) > 1:
        raise WorkflowError("一份公示只能包含同一类事项（职级晋升、专卖管理员等级、竞聘任职须分别公示）")
    return channel_of(kinds.pop())


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
    """Publish a public notice (公示) of proposals whose current step is `notice`: by whoever holds
    the publish right of their channel (approvals.channels; the committee for promotions).

    The notice starts the day after publication and runs `days` days counted as `day_kind`
    ("calendar" or "working", on the Chinese calendar); both default to `notice_settings`: the
    channel's own rule book's if it sets them, else the ladder rule book's in force today (SPEC 2.4:
    7 calendar days). Every proposal must be waiting
    for its notice and its employee inside `org_unit`'s subtree; all or nothing (BatchWorkflowError).
    The proposals go `on_notice`; the notice and its items are never changed afterwards.
    """
    ids = ids_of(proposals)
    locked = lock(ids)
    channel = _one_channel(locked)
    check_publish(actor, org_unit, channel.kind)
    today = clock.today()
    if days is None or day_kind is None:
        default_days, default_kind = notice_settings(channel.kind, today, org_unit)
        days = default_days if days is None else days
        day_kind = default_kind if day_kind is None else day_kind
    try:
        start, end = notice_window(published_on=today, days=days, day_kind=day_kind)
    except NoticeDaysError as e:
        raise WorkflowError(str(e)) from None
    title = clean_text(title, "公示标题", required=False)
    if len(title) > 200:
        raise WorkflowError("公示标题不能超过 200 字")
    published = dict(
        NoticeItem.objects.filter(proposal_id__in=ids).values_list("proposal_id", "notice__title")
    )
    errors: list[tuple[int, str]] = []
    for p in locked:
        if p.pk in published:
            errors.append((p.pk, f"{who(p)} 已在公示“{published[p.pk]}”中"))
        elif p.state != S.IN_REVIEW or current_step(p) != "notice":
            where = f"当前环节为“{step_label(current_step(p))}”" if p.state == S.IN_REVIEW else ""
            errors.append((p.pk, f"{who(p)} 当前状态为“{state_label(p.state)}”{where}，不是待公示"))
        elif not org_unit.contains(p.employee.org_unit):
            errors.append((p.pk, f"{who(p)} 不属于{org_unit.path}"))
        elif refusal := authority.explain(actor, channel.publish_right, p.employee):
            errors.append((p.pk, f"{who(p)}：{refusal}"))
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
    save(locked, ["state"])
    ProposalTransition.objects.bulk_create(log)
    return notice


def close_notice(p: Proposal, *, effective: date, sequence: int, note: str):
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
    text = clean_text(text, "异议内容", required=True)
    item_pk = pk_of(notice_item, "公示事项")
    try:
        item = NoticeItem.objects.select_related("notice", "notice__org_unit").get(pk=item_pk)
    except NoticeItem.DoesNotExist:
        raise WorkflowError("公示事项不存在") from None
    (p,) = lock([item.proposal_id])
    notice = item.notice
    authority.require(filer, "objections.file", notice.org_unit)
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
    save([p], ["state"])
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
    reason = clean_text(reason, "处理意见", required=True)
    pk = pk_of(objection, "异议")
    try:
        obj = Objection.objects.select_related("notice_item__notice").get(pk=pk)
    except Objection.DoesNotExist:
        raise WorkflowError("异议不存在") from None
    (p,) = lock([obj.proposal_id])
    # 回避: the committee member concerned, and the filer, stand aside.
    authority.require(actor, channel_of(p.kind).resolve_right, objection_subject(p, obj))
    if ObjectionResolution.objects.filter(objection=obj).exists():
        raise WorkflowError(f"异议 #{obj.pk} 已经处理")
    resolution = ObjectionResolution.objects.create(objection=obj, upheld=upheld, reason=reason, actor=actor)
    if p.state != S.HELD:
        return resolution  # already rejected by another upheld objection: the ruling is recorded only
    today = clock.today()
    notice = obj.notice_item.notice
    sequence = next_sequences([p.pk])[p.pk]
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
            row, entry = close_notice(
                p, effective=max(notice.end_date, today) + timedelta(days=1),
                sequence=sequence, note=f"公示期（{notice.start_date} 至 {notice.end_date}）已满，异议已处理",
            )
            rows.append(row)
            log.append(entry)
    else:
        log.append(transition(p, "object", actor=actor, note=f"异议 #{obj.pk} 不成立，尚有其他异议待处理"))
    save([p], ["state", "step_index", "effective_date"])
    ApprovalStep.objects.bulk_create(rows)
    ProposalTransition.objects.bulk_create(log)
    return resolution
