"""Reads of the management channel, each scoped (SPEC 1):

- `selections_for(user)`: the selections a user may see listed — everyone the published ones of
  the units above and including their own, plus those they judge or applied to; the dossier
  readers (HR, leader, director, 纪检监察) besides every one of their subtree (`dossiers_for`);
- `dossier_selection(user, pk)`: a selection whose dossier (纪实) the user may read, else None;
- `dossier(selection)`: everything the dossier page, its PDF and its Excel show;
- `judge_sheet(selection, judge)`: a judge's own sheet — their marks only, never another judge's;
- `applicant_view(user, selection)`: the posting, the check at the deadline and one's application;
- `open_selections_for(user)`: what an employee may apply for now (home / career page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from jinjie.approvals import clock
from jinjie.approvals.models import Objection
from jinjie.approvals.selectors import objections_for
from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import Proposal
from jinjie.org import authority
from jinjie.org.models import PATH_SEP, User
from jinjie.org.scoping import visible_org_units
from jinjie.rules.selection import Eligibility, Standing

from .eligibility import check_employee, check_employees
from .models import (
    Application,
    ApplicationEvent,
    Appointee,
    Attachment,
    Decision,
    ExceptionalAdmission,
    Judge,
    Recusal,
    Review,
    ScoreEntry,
    Selection,
    SelectionState,
    SelectionTransition,
    Stage,
)
from .scoring import Scoreboard, applications_of, marks_sealed, scoreboard

S = SelectionState

__all__ = [
    "Dossier",
    "JudgeSheet",
    "applicant_view",
    "attachment_for",
    "dossier",
    "dossier_selection",
    "dossiers_for",
    "judge_sheet",
    "judged_by",
    "open_selections_for",
    "selections_for",
]


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split(PATH_SEP)
    return [PATH_SEP.join(parts[: i + 1]) for i in range(len(parts))]


def _own_unit(user: User):
    if user.employee_id:
        return user.employee.org_unit
    return user.org_unit


def _dossiers_q(user: User) -> Q | None:
    """The selections whose dossier `user` reads (selections.read over their subtree; drafts only
    for those who manage them), as a filter; None for a user who reads none."""
    if not authority.allows(user, "selections.read"):
        return None
    q = Q(org_unit__in=visible_org_units(user))
    if not authority.allows(user, "selections.manage"):
        q &= ~Q(state=S.DRAFT)
    return q


def dossiers_for(user: User) -> QuerySet[Selection]:
    """The selections whose dossier (纪实) `user` may read, newest first: a reader's work list."""
    if not user.is_authenticated or not user.is_active:
        return Selection.objects.none()
    q = _dossiers_q(user)
    if q is None:
        return Selection.objects.none()
    return Selection.objects.select_related("org_unit").filter(q).order_by("-created_at", "-id")


def selections_for(user: User) -> QuerySet[Selection]:
    """The selections `user` may see listed, newest first: the postings every user reads
    (selections.browse: the published ones of their own unit and the units above it, those they
    judge or applied to) and, for a dossier reader, every one of their subtree besides."""
    if not user.is_authenticated or not user.is_active:
        return Selection.objects.none()
    base = Selection.objects.select_related("org_unit")
    q = Q(pk__in=Judge.objects.filter(user=user).values("selection_id"))
    if user.employee_id:
        q |= Q(pk__in=Application.objects.filter(employee_id=user.employee_id).values("selection_id"))
    unit = _own_unit(user)
    if unit is not None:
        q |= Q(org_unit__path__in=_ancestor_paths(unit.path)) & ~Q(state=S.DRAFT)
    dossiers = _dossiers_q(user)
    if dossiers is not None:
        q |= dossiers
    return base.filter(q).order_by("-created_at", "-id")


def dossier_selection(user: User, pk) -> Selection | None:
    """The selection if `user` may read its dossier (selections.read over its unit), else None:
    another unit's selection is simply not there."""
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        return None
    selection = Selection.objects.select_related("org_unit", "created_by", "notice").filter(pk=pk).first()
    if selection is None or not authority.allows(user, "selections.read", selection.org_unit):
        return None
    if selection.state == S.DRAFT and not authority.allows(user, "selections.manage", selection.org_unit):
        return None
    return selection


def visible_selection(user: User, pk) -> Selection | None:
    """A selection `user` may see listed (its posting), else None."""
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        return None
    return selections_for(user).filter(pk=pk).first()


def judged_by(user: User) -> QuerySet[Selection]:
    return Selection.objects.filter(judges__user=user).select_related("org_unit").order_by("-created_at")


# --- a judge's own sheet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    application: Application
    mark: Decimal | None
    entries: int  # how many marks the judge entered for them (corrections included)
    recused: bool


@dataclass(frozen=True)
class JudgeSheet:
    selection: Selection
    judge: User
    rows: list[SheetRow]
    mode: str  # "open", "correction", or "closed" (nothing may be entered)
    message: str = ""


def judge_sheet(*, selection: Selection, judge: User) -> JudgeSheet:
    """The candidates a judge scores (passed the review and the 笔试) with the judge's own latest
    marks — never anyone else's. NotPermitted for a user who is not a judge of the selection."""
    from .workflow import SelectionError, entry_mode

    if not Judge.objects.filter(selection=selection, user=judge).exists():
        raise NotPermitted(f"您不是竞聘“{selection.code}”的评委")
    board = scoreboard(selection)
    own: dict[int, list[ScoreEntry]] = {}
    for entry in ScoreEntry.objects.filter(application__selection=selection, stage=Stage.SPEECH, judge=judge).order_by("id"):
        own.setdefault(entry.application_id, []).append(entry)
    recused = set(Recusal.objects.filter(selection=selection, judge=judge).values_list("application_id", flat=True))
    rows = [
        SheetRow(
            application=app,
            mark=own[app.pk][-1].score if app.pk in own else None,
            entries=len(own.get(app.pk, ())),
            recused=app.pk in recused or (judge.employee_id is not None and judge.employee_id == app.employee_id),
        )
        for app in board.applications
        if app.review == Review.CONFIRMED and board.passed_written(app.pk) and app.pk not in board.speech_final
    ]
    try:
        mode, message = entry_mode(selection, "speech"), ""
    except SelectionError as e:
        mode, message = "closed", str(e)
    return JudgeSheet(selection, judge, rows, mode, message)


# --- the dossier -----------------------------------------------------------------------------------


@dataclass
class CandidateRow:
    application: Application
    standing: Standing | None
    speech_marks: list[ScoreEntry]  # the latest mark of each judge
    ballots: object | None
    inspection: object | None


@dataclass
class Dossier:
    selection: Selection
    board: Scoreboard
    transitions: list[SelectionTransition]
    applications: list[Application]  # every one, withdrawn included
    events: dict[int, list[ApplicationEvent]]  # only with_events (the exports)
    exceptions: list[ExceptionalAdmission]
    attachments: list[Attachment]
    judges: list[Judge]
    recusals: list[Recusal]
    decision: Decision | None
    appointees: list[Appointee]
    proposals: list[Proposal]
    objections: list = field(default_factory=list)  # those the reader may read (approvals' rules)
    objection_counts: dict = field(default_factory=dict)  # every objection, counted: 提出 / 待处理 / 成立 / 不成立
    sheets_visible: bool = False  # the judges' individual marks: shown once the speech is complete

    @property
    def rows(self) -> list[CandidateRow]:
        apps = {a.pk: a for a in self.board.applications}
        return [
            CandidateRow(
                apps[s.key], s, list(self.board.marks.get(s.key, {}).values()), self.board.ballots.get(s.key),
                self.board.inspections.get(s.key),
            )
            for s in self.board.standings
        ]

    @property
    def corrections(self) -> list:
        out = [e for e in self.board.entries if e.correction]
        out += [b for b in self.board.ballot_entries if b.correction]
        out += [i for i in self.board.inspection_entries if i.correction]
        return out


def sheets_visible(selection: Selection) -> bool:
    """HR and the readers see the judges' individual marks (and what is computed from them) only
    once the speech stage is complete: while it runs, no sheet is shown to anyone but its judge."""
    return not marks_sealed(selection)


def dossier(selection: Selection, *, user: User | None = None, with_events: bool = False) -> Dossier:
    """Everything of one selection, for the page, the PDF and the Excel (a constant number of
    queries). `user` decides which objections (and whether their filers) are shown; the
    applications' event log (`with_events`) is the exports' (the page shows their outcome)."""
    visible = sheets_visible(selection)
    applications = applications_of(selection)
    board = scoreboard(selection, sealed=not visible, applications=applications)
    events: dict[int, list[ApplicationEvent]] = {}
    if with_events:
        for event in ApplicationEvent.objects.filter(application__selection=selection).select_related("actor").order_by("id"):
            events.setdefault(event.application_id, []).append(event)
    decision = Decision.objects.filter(selection=selection).select_related("decided_by").first()
    appointees = list(
        Appointee.objects.filter(decision__selection=selection).select_related("application__employee", "post", "proposal")
    )
    proposals = [a.proposal for a in appointees]
    objections = objections_for(user=user, notice=selection.notice_id) if user is not None and selection.notice_id else []
    # Every reader of the dossier learns how many objections there were and how they ended, even
    # one who may not read them (who filed them and what they say stay with the committee and 纪检监察).
    counts = {"提出": 0, "待处理": 0, "成立": 0, "不成立": 0}
    for upheld in Objection.objects.filter(proposal__in=proposals).values_list("resolution__upheld", flat=True):
        counts["提出"] += 1
        counts["待处理" if upheld is None else "成立" if upheld else "不成立"] += 1
    return Dossier(
        selection=selection,
        board=board,
        transitions=list(SelectionTransition.objects.filter(selection=selection).select_related("actor").order_by("id")),
        applications=applications,
        events=events,
        exceptions=list(
            ExceptionalAdmission.objects.filter(application__selection=selection).select_related(
                "application__employee", "attachment", "granted_by"
            )
        ),
        attachments=list(Attachment.objects.filter(selection=selection).select_related("uploaded_by").order_by("id")),
        judges=list(Judge.objects.filter(selection=selection).select_related("user", "named_by").order_by("id")),
        recusals=list(Recusal.objects.filter(selection=selection).select_related("judge", "application__employee")),
        decision=decision,
        appointees=appointees,
        proposals=proposals,
        objections=objections,
        objection_counts=counts,
        sheets_visible=visible,
    )


def attachment_for(user: User, selection: Selection, pk) -> Attachment | None:
    """An attachment of a selection whose dossier `user` may read, else None."""
    if dossier_selection(user, selection.pk) is None or not isinstance(pk, int) or not 0 < pk < 2**63:
        return None
    return Attachment.objects.filter(selection=selection, pk=pk).first()


# --- applicants ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantView:
    selection: Selection
    eligibility: Eligibility | None  # the check at the deadline, as of now (None: no employee)
    application: Application | None  # the active one
    history: list[Application]  # withdrawn ones too
    may_apply: bool
    may_withdraw: bool
    reason: str  # why not, when not


def applicant_view(user: User, selection: Selection) -> ApplicantView:
    employee = user.employee if user.employee_id else None
    history = list(
        Application.objects.filter(selection=selection, employee=employee).select_related("post").order_by("id")
    ) if employee else []
    active = next((a for a in history if a.withdrawn_at is None), None)
    eligibility = check_employee(selection, employee) if employee is not None else None
    open_now = selection.state == S.PUBLISHED and clock.today() <= selection.deadline
    reason = ""
    if employee is None:
        reason = "您的账号未关联员工，不能报名"
    elif not open_now:
        reason = f"当前不在报名期（报名截止 {selection.deadline}）"
    elif not authority.allows(user, "selections.apply", employee):
        reason = authority.explain(user, "selections.apply", employee) or ""
    elif not selection.org_unit.contains(employee.org_unit):
        reason = f"本次竞聘面向{selection.org_unit.name}的员工"
    elif active is not None:
        reason = f"您已报名“{active.post.title}”"
    elif eligibility is not None and not eligibility.passed:
        reason = "您不符合报名条件（见下表）"
    may_apply = not reason
    may_withdraw = active is not None and open_now
    return ApplicantView(selection, eligibility, active, history, may_apply, may_withdraw, reason)


def open_selections_for(user: User) -> list[tuple[Selection, Eligibility | None, Application | None]]:
    """Selections open for applications now that `user`'s employee may apply to (their unit or one
    above), each with the check at its deadline and their application if any."""
    if not user.is_authenticated or not user.employee_id:
        return []
    employee = user.employee
    today = clock.today()
    selections = list(
        Selection.objects.filter(
            state=S.PUBLISHED, deadline__gte=today, org_unit__path__in=_ancestor_paths(employee.org_unit.path)
        ).select_related("org_unit").order_by("deadline", "id")[:10]
    )
    mine = {
        a.selection_id: a
        for a in Application.objects.filter(employee=employee, withdrawn_at__isnull=True, selection__in=selections).select_related("post")
    }
    out = []
    for sel in selections:
        result = check_employees(sel, [employee.pk]).get(employee.pk)
        out.append((sel, result, mine.get(sel.pk)))
    return out
