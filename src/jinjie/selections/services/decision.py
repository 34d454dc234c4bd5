"""From the ranking to the appointment (SPEC 4): 考察, the leader's decision, the 任前公示 and the end.

The decision goes through the one workflow (approvals/): each appointee becomes an
`evaluations.Proposal` of kind APPOINTMENT (from their ladder rank to the post, route ["notice"])
put in review at its notice step; HR publishes the notice for ≥ 5 working days (approvals'
notice_publish, objections and all); `apply-due` makes it take effect through this channel's
effect (channel.py: the post record). The selection ends appointed once every appointment is
settled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction

from jinjie.approvals.models import ProposalTransition
from jinjie.approvals.services import notice_publish
from jinjie.approvals.workflow import transition as proposal_transition
from jinjie.core.values import plain_decimal
from jinjie.evaluations.models import Move, Proposal, ProposalKind, ProposalState
from jinjie.org import authority
from jinjie.org.models import User
from jinjie.rules.selection import Standing

from ..models import (
    Appointee,
    Conclusion,
    Decision,
    Inspection,
    Selection,
    SelectionState,
)
from ..scoring import Scoreboard, scoreboard
from ..workflow import SelectionError, entry_mode
from ._common import candidate_subject, clean_text, lock, move, pk_of

S = SelectionState
FINAL = (ProposalState.APPLIED, ProposalState.REJECTED, ProposalState.SUPERSEDED)

__all__ = [
    "inspection_record",
    "inspection_start",
    "proposed_choice",
    "selection_decide",
    "selection_notice",
    "selection_settle",
]


def _fmt(value) -> str:
    return "—" if value is None else str(plain_decimal(value))


@transaction.atomic
def inspection_start(*, selection: Selection | int, actor: User) -> Selection:
    """HR confirms the ranking and the inspection list (考察人选: 1:2 and the minimum total)."""
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    board = scoreboard(sel)
    names = {a.pk: a.employee.name for a in board.applications}
    listed = [names[s.key] for s in board.standings if s.inspect]
    move(sel, "inspect", actor=actor, note=f"考察人选 {len(listed)} 人：{'、'.join(listed) or '无'}")
    return sel


def _parse_date(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise SelectionError("考察日期格式应为 YYYY-MM-DD") from None


@transaction.atomic
def inspection_record(
    *,
    selection: Selection | int,
    application: int,
    actor: User,
    inspectors: str,
    date: date | str,
    findings: str,
    conclusion: str,
    reason: str = "",
) -> Inspection:
    """考察 of one candidate on the inspection list: inspectors, date, findings, 合格/不合格.
    A later record is a new one (a correction after the decision is refused)."""
    sel = lock(selection)
    mode = entry_mode(sel, "inspection")
    board = scoreboard(sel)
    app = next((a for a in board.applications if a.pk == pk_of(application, "报名")), None)
    if app is None:
        raise SelectionError("不是本次竞聘的有效报名")
    authority.require(actor, "selections.score", candidate_subject(sel, app))
    if not board.inspected(app.pk):
        raise SelectionError(f"{app.employee.name} 不在考察人选之内")
    if conclusion not in Conclusion.values:
        raise SelectionError("考察结论应为“合格”或“不合格”")
    day = _parse_date(date)
    previous = board.inspections.get(app.pk)
    correction = previous is not None
    return Inspection.objects.create(
        application=app,
        inspectors=clean_text(inspectors, "考察组成员", required=True, max_length=300),
        date=day,
        findings=clean_text(findings, "考察情况", required=True, max_length=5000),
        conclusion=conclusion,
        correction=correction,
        reason=clean_text(reason, "更正理由", required=correction or mode == "correction", max_length=1000),
        recorded_by=actor,
    )


def _eligible_for_decision(board: Scoreboard) -> dict[int, list[Standing]]:
    """Per post: the inspected candidates found 合格, best position first."""
    out: dict[int, list[Standing]] = {p.pk: [] for p in board.posts}
    for s in board.standings:
        if s.inspect and board.conclusion(s.key) == Conclusion.PASS:
            out[s.post].append(s)
    for rows in out.values():
        rows.sort(key=lambda s: (s.position, s.key))
    return out


def proposed_choice(board: Scoreboard) -> dict[int, list[int]]:
    """The proposal put to the leader: per post, up to *n* of the best positions (SPEC 4)."""
    places = {p.pk: p.places for p in board.posts}
    return {post: [s.key for s in rows[: places[post]]] for post, rows in _eligible_for_decision(board).items()}


def _reasons(board: Scoreboard, s: Standing, post_places: int, proposed: bool, reason: str) -> list[dict]:
    scheme = board.scheme

    def row(code, label, required, actual, text, passed=True):
        return {"code": code, "label": label, "required": required, "actual": actual, "passed": passed, "text": text}

    written = _fmt(s.written)
    inspection = board.inspections.get(s.key)
    rows = [
        row("written", "笔试", f"≥ {_fmt(scheme.pass_line)}", written, f"笔试 {written} ≥ {_fmt(scheme.pass_line)} ✓"),
        row("speech", "演讲答辩", "", _fmt(s.speech), f"演讲答辩 {_fmt(s.speech)}"),
        row("democratic", "民主测评", "", _fmt(s.democratic), f"民主测评 {_fmt(s.democratic)}"),
        row(
            "total", "总成绩及名次", f"前 {scheme.inspect_ratio * post_places} 名且 ≥ {_fmt(scheme.inspect_min)}",
            f"{_fmt(s.total)}（第 {s.position} 名）", f"总成绩 {_fmt(s.total)}，第 {s.position} 名，列入考察 ✓",
        ),
        row(
            "inspection", "考察", "合格", inspection.conclusion if inspection else "—",
            f"考察（{inspection.date}，{inspection.inspectors}）：{inspection.conclusion} ✓" if inspection else "考察：—",
        ),
        row(
            "decision", "任用决定", "按名次推荐", "按名次推荐" if proposed else "未按名次",
            "按名次推荐人选" if proposed else f"未按名次推荐，理由：{reason}",
        ),
    ]
    return rows


@transaction.atomic
def selection_decide(
    *, selection: Selection | int, actor: User, choice: Mapping[int, Sequence[int]] | None = None, reason: str = ""
) -> Decision:
    """The leader appoints up to *n* inspected 合格 candidates per post (`choice`: post id → application
    ids; None takes the proposed, best positions). Any other choice needs `reason`. Each appointee's
    Proposal goes into review at its notice step."""
    sel = lock(selection)
    board = scoreboard(sel)
    applicant_users = frozenset(
        User.objects.filter(employee_id__in=[a.employee_id for a in board.applications]).values_list("pk", flat=True)
    )
    # Nobody decides a selection they compete in (回避), the leader of the unit decides (office).
    authority.require(actor, "selections.decide", authority.Subject(unit=sel.org_unit, parties=applicant_users))
    if sel.state != S.INSPECTION:
        move(sel, "decide", actor=actor)  # refused with the state's own sentence
    proposed = proposed_choice(board)
    eligible = {post: {s.key: s for s in rows} for post, rows in _eligible_for_decision(board).items()}
    places = {p.pk: p for p in board.posts}
    if choice is None:
        choice = proposed
    chosen: dict[int, list[int]] = {}
    for post_id, ids in choice.items():
        post_pk = pk_of(post_id, "职位")
        post = places.get(post_pk)
        if post is None:
            raise SelectionError("该竞聘没有这个职位")
        picked = sorted({pk_of(i, "报名") for i in ids})
        if len(picked) > post.places:
            raise SelectionError(f"“{post.title}”职数为 {post.places}，最多任用 {post.places} 人")
        for pk in picked:
            if pk not in eligible[post_pk]:
                raise SelectionError(f"所选人选不是“{post.title}”考察合格的人选")
        chosen[post_pk] = picked
    if not any(chosen.values()):
        raise SelectionError("请至少选择一名任用人选（无人可任用的，请终止竞聘并说明理由）")
    departs = any(sorted(chosen.get(p, [])) != sorted(proposed.get(p, [])) for p in places)
    reason = clean_text(reason, "未按名次推荐的理由", required=departs)
    names = {a.pk: a for a in board.applications}
    snapshot = [
        {
            "application": s.key, "post": places[s.post].title, "employee_no": names[s.key].employee.employee_no,
            "name": names[s.key].employee.name, "written": _fmt(s.written), "speech": _fmt(s.speech),
            "democratic": _fmt(s.democratic), "total": _fmt(s.total), "position": s.position, "inspect": s.inspect,
            "conclusion": board.conclusion(s.key) or "", "note": s.note,
        }
        for s in board.standings
    ]
    decision = Decision.objects.create(selection=sel, decided_by=actor, reason=reason, ranking=snapshot)
    standings = board.by_application
    log: list[ProposalTransition] = []
    appointed = []
    for post_pk, ids in chosen.items():
        post = places[post_pk]
        for pk in ids:
            app, s = names[pk], standings[pk]
            authority.require(actor, "selections.decide", candidate_subject(sel, app))
            by_rank = pk in proposed.get(post_pk, [])
            employee = app.employee
            proposal = Proposal.objects.create(
                kind=ProposalKind.APPOINTMENT,
                employee=employee,
                from_rank=employee.current_rank,
                to_rank=post.title,
                move=Move.APPOINT,
                route=["notice"],
                reasons=_reasons(board, s, post.places, by_rank, reason),
                summary=f"竞聘 {sel.code}：拟任{post.title}（总成绩 {_fmt(s.total)}，第 {s.position} 名，考察合格）"[:500],
                rulebook=None,
            )
            log.append(proposal_transition(proposal, "submit", actor=actor, note=f"竞聘 {sel.code} 任用决定"))
            proposal.save(update_fields=["state"])
            Appointee.objects.create(
                decision=decision, application=app, post=post, position=s.position, proposed=by_rank, proposal=proposal
            )
            appointed.append(f"{employee.name}（{post.title}）")
    ProposalTransition.objects.bulk_create(log)
    move(sel, "decide", actor=actor, note="拟任：" + "、".join(appointed) + (f"；未按名次推荐的理由：{reason}" if departs else ""))
    return decision


@transaction.atomic
def selection_notice(*, selection: Selection | int, actor: User, title: str | None = None):
    """HR publishes the 任前公示 of the appointees: the selection's working days (≥ 5), objections
    as for every notice."""
    sel = lock(selection)
    if sel.state != S.DECIDED:
        move(sel, "publish_notice", actor=actor)  # refused with the state's own sentence
    proposals = list(
        Proposal.objects.filter(appointee__decision__selection=sel).select_related("employee").order_by("pk")
    )
    names = [p.employee.name for p in proposals]
    default = f"关于{names[0]}{'等' if len(names) > 1 else ''}同志竞聘任职的任前公示" if names else None
    notice = notice_publish(
        org_unit=sel.org_unit, proposals=proposals, actor=actor, days=sel.notice_days, day_kind="working",
        title=title or default,
    )
    sel.notice = notice
    move(sel, "publish_notice", actor=actor, note=f"{notice.title}：{notice.start_date} 至 {notice.end_date}", fields=("notice",))
    return notice


def settle(sel: Selection, *, applied_now: set[int] = frozenset(), rejected_now: set[int] = frozenset(), actor=None) -> bool:
    """Once every appointment of a selection on notice is settled, it ends: appointed if anyone
    took up a post, else ended without appointment. The caller holds the selection's lock."""
    if sel.state != S.NOTICE:
        return False
    states = dict(Proposal.objects.filter(appointee__decision__selection=sel).values_list("pk", "state"))
    for pk in applied_now:
        if pk in states:
            states[pk] = ProposalState.APPLIED
    for pk in rejected_now:
        if pk in states:
            states[pk] = ProposalState.REJECTED
    if any(state not in FINAL for state in states.values()):
        return False
    appointed = sum(1 for state in states.values() if state == ProposalState.APPLIED)
    if appointed:
        move(sel, "appoint", actor=actor, note=f"{appointed} 人任职生效")
    else:
        move(sel, "end", actor=actor, note="任前公示后无人任职")
    return True


@transaction.atomic
def selection_settle(*, selection: Selection | int, actor: User) -> Selection:
    """HR ends a selection whose appointments are all settled (e.g. every one fell to an upheld
    objection); taking effect does this by itself for the others."""
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    if sel.state != S.NOTICE:
        raise SelectionError("只有任前公示阶段的竞聘可以办结")
    if not settle(sel, actor=actor):
        raise SelectionError("还有任职建议在公示或待生效，生效后自动办结")
    return sel
