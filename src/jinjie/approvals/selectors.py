"""Reads of the approval workflow: objections (with the filer hidden), work queues, notices,
reassignment cases. Every read is scoped through org.scoping (SPEC 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from jinjie.evaluations.models import Proposal, ProposalState
from jinjie.org import authority
from jinjie.org.models import OrgUnit, Role, User
from jinjie.org.scoping import scope_employees, scope_is_everyone
from jinjie.people.models import Employee, RankChange
from jinjie.rules.book import MAX_ROUTE_STEPS

from .checks import publishable_kinds
from .models import ApprovalStep, Notice, NoticeItem, Objection, ProposalTransition, ReassignmentClosure
from .workflow import OBJECTABLE_STATES, STEP_ACTIONS, current_step, step_label

__all__ = [
    "FILER_HIDDEN",
    "OBJECTION_STATUSES",
    "ObjectionView",
    "ProposalHistory",
    "ReassignmentCase",
    "decision_queue",
    "notice_candidates",
    "notice_candidates_first",
    "notices_for",
    "objections_for",
    "proposal_history",
    "reassignment_cases",
]

S = ProposalState
FILER_HIDDEN = "（不公开）"
OBJECTION_STATUSES = ("open", "upheld", "dismissed")


@dataclass(frozen=True)
class ObjectionView:
    """An objection as one user may see it. `filer_name`/`filer_id` are None when hidden."""

    id: int
    proposal_id: int
    notice_item_id: int
    text: str
    filed_at: datetime
    filer_visible: bool
    filer_id: int | None
    filer_name: str | None
    status: str  # "open", "upheld", "dismissed"
    status_label: str
    resolution_reason: str = ""
    resolved_at: datetime | None = None
    resolver_name: str = ""

    @property
    def filer_display(self) -> str:
        return self.filer_name if self.filer_visible and self.filer_name else FILER_HIDDEN


def _filer_visible(user: User, objection: Objection) -> bool:
    """Who may know who filed an objection (SPEC 2.4): the filer, and the holders of
    objections.read_filer in whose scope the employee is — never the employee concerned."""
    if objection.filer_id == user.pk:
        return True
    if user.employee_id is not None and user.employee_id == objection.proposal.employee_id:
        return False  # the employee concerned never learns who objected, whatever their role
    return authority.allows(user, "objections.read_filer", objection.proposal.employee)


def _display_name(user: User) -> str:
    return user.get_full_name() or user.username


def _resolver_name(resolution, objection: Objection, filer_visible: bool) -> str:
    if resolution is None:
        return ""
    if resolution.actor_id == objection.filer_id and not filer_visible:
        return FILER_HIDDEN  # naming the resolver would name the filer
    return _display_name(resolution.actor)


def _id(value) -> int | None:
    pk = value if isinstance(value, int) else getattr(value, "pk", None)
    return pk if isinstance(pk, int) and 0 < pk < 2**63 else None


def objections_for(
    *,
    user: User,
    proposal: Proposal | int | None = None,
    notice: Notice | int | None = None,
    objection: int | None = None,
    status: str | Iterable[str] | None = None,
    filed_by_me: bool = False,
    newest_first: bool = False,
) -> list[ObjectionView]:
    """The objections `user` may read, oldest first (or newest first), filer hidden unless `user`
    is the filer, or holds objections.read_filer over the proposal's employee — and never when
    `user` is the employee concerned. The resolver's name is hidden with the filer's when they are
    the same person (an old record from before the filer was kept from ruling).

    Readable: objections on proposals of employees the user may read objections of (the employee
    concerned sees those about themself), plus the objections the user filed.
    Filters: one `proposal`, one `notice`, one `objection` id, `status` ("open", "upheld",
    "dismissed", or several), only those the user filed (我的异议).
    """
    if not user.is_authenticated or not user.is_active:
        return []
    mine = Q(filer=user)
    if filed_by_me or not authority.allows(user, "objections.read"):
        qs = Objection.objects.filter(mine)
    elif scope_is_everyone(user):
        qs = Objection.objects.all()  # the subquery below would be every proposal (1 s on PostgreSQL at 100,000)
    else:
        visible_proposals = scope_employees(user, Proposal.objects.all(), prefix="employee__").values("pk")
        qs = Objection.objects.filter(Q(proposal__in=visible_proposals) | mine)
    for value, field_name in ((proposal, "proposal_id"), (notice, "notice_item__notice_id"), (objection, "pk")):
        if value is not None:
            pk = _id(value)
            if pk is None:
                return []  # no row can have that id
            qs = qs.filter(**{field_name: pk})
    if status is not None:
        wanted = {status} if isinstance(status, str) else set(status)
        q = Q(pk__in=[])
        if "open" in wanted:
            q |= Q(resolution__isnull=True)
        if "upheld" in wanted:
            q |= Q(resolution__upheld=True)
        if "dismissed" in wanted:
            q |= Q(resolution__upheld=False)
        qs = qs.filter(q)
    qs = qs.select_related(
        "filer", "proposal", "proposal__employee", "proposal__employee__org_unit", "resolution", "resolution__actor"
    ).order_by(*(("-filed_at", "-pk") if newest_first else ("filed_at", "pk")))
    out = []
    for o in qs:
        visible = _filer_visible(user, o)
        resolution = getattr(o, "resolution", None)
        if resolution is None:
            status, label = "open", "待处理"
        elif resolution.upheld:
            status, label = "upheld", "异议成立"
        else:
            status, label = "dismissed", "异议不成立"
        out.append(
            ObjectionView(
                id=o.pk,
                proposal_id=o.proposal_id,
                notice_item_id=o.notice_item_id,
                text=o.text,
                filed_at=o.filed_at,
                filer_visible=visible,
                filer_id=o.filer_id if visible else None,
                filer_name=_display_name(o.filer) if visible else None,
                status=status,
                status_label=label,
                resolution_reason=resolution.reason if resolution else "",
                resolved_at=resolution.resolved_at if resolution else None,
                resolver_name=_resolver_name(resolution, o, visible),
            )
        )
    return out


def current_step_in(steps) -> Q:
    """Proposals whose current step (route[step_index]) is one of `steps`, as a filter in SQL.

    Routes are at most MAX_ROUTE_STEPS long (the rule book refuses longer ones), so "route at the
    current index" is a short OR of JSON index lookups that both SQLite and PostgreSQL evaluate.
    """
    q = Q(pk__in=[])
    for index in range(MAX_ROUTE_STEPS):
        for step in steps:
            # step_index first: SQL stops at the false comparison, so a row's route is read as JSON
            # once (at its own index), not once per index (22,000 rows in review at 100,000 employees).
            q |= Q(step_index=index) & Q(**{f"route__{index}": step})
    return q


def _queue_rows(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    # The lists show names and ranks; the reasons (about 1 KB each) are read on the proposal page.
    return qs.select_related("employee", "employee__org_unit").defer("reasons")


def decision_queue(*, user: User) -> QuerySet[Proposal]:
    """Proposals whose current step `user` decides (role, track, scope), oldest first."""
    role_steps = sorted(step for step, action in STEP_ACTIONS.items() if authority.allows(user, action))
    if not role_steps or not user.is_active:
        return Proposal.objects.none()
    qs = scope_employees(user, Proposal.objects.filter(state=S.IN_REVIEW), prefix="employee__")
    if user.role == Role.TRACK_REVIEWER:
        qs = qs.filter(employee__track__in=authority.REVIEWED_TRACKS.get(user.track or "", ()))
    if user.employee_id is not None:
        qs = qs.exclude(employee_id=user.employee_id)  # 回避: never one's own
    return _queue_rows(qs.filter(current_step_in(role_steps))).order_by("created_at", "pk")


def objectable_proposals(*, user: User, notice: Notice, items, today) -> list[Proposal]:
    """The proposals of `items` (the notice's items, proposals loaded) that `user` may object to
    today: an employee of the notice's unit, during the notice, on items still on notice or held.
    The same conditions objection_file enforces; this is what the page offers."""
    if not (user.is_active and user.employee_id and notice.start_date <= today <= notice.end_date):
        return []
    if not notice.org_unit.contains(user.employee.org_unit):
        return []
    return [i.proposal for i in items if i.proposal.state in OBJECTABLE_STATES]


def notice_candidates(*, user: User, org_unit: OrgUnit | None = None) -> QuerySet[Proposal]:
    """Proposals waiting for a public notice (current step `notice`) that `user` may publish."""
    kinds = publishable_kinds(user)
    if not kinds:
        return Proposal.objects.none()
    qs = scope_employees(user, Proposal.objects.filter(state=S.IN_REVIEW, kind__in=kinds), prefix="employee__")
    if org_unit is not None:
        qs = qs.filter(org_unit.subtree_filter(prefix="employee__org_unit__"))
    qs = qs.filter(notice_item__isnull=True).filter(current_step_in(["notice"]))
    if user.employee_id is not None:
        qs = qs.exclude(employee_id=user.employee_id)  # 回避
    # The ids are found in the index of the current step (proposal_queue_step), the rows read for
    # them alone: asked for the rows at once, SQLite reads every proposal in review to test its step.
    return _queue_rows(Proposal.objects.filter(pk__in=qs.values("pk"))).order_by(
        "employee__org_unit__path", "employee__employee_no"
    )


def notice_candidates_first(*, user: User, first: int = 8) -> tuple[int, list[Proposal]]:
    """How many proposals wait for a notice `user` may publish, and the first `first` of them in
    notice_candidates' order (the committee's home page).

    The candidates are found once: their ids, in order, in one pass over the index of the current
    step, then the rows of the first few by id. Asked as a count and then a slice, the same pass
    over every proposal in review ran twice (14 ms each at 100,000 employees).
    """
    ids = list(notice_candidates(user=user).values_list("pk", flat=True))
    rows = _queue_rows(Proposal.objects.filter(pk__in=ids[:first])).order_by(
        "employee__org_unit__path", "employee__employee_no"
    )
    return len(ids), list(rows) if ids else []


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def notices_for(*, user: User) -> QuerySet[Notice]:
    """Notices a user may read, newest first: those of their own unit or any unit above it (the
    notices they may object to), and for staff also those published inside their subtree."""
    if not user.is_authenticated or not user.is_active:
        return Notice.objects.none()
    qs = Notice.objects.select_related("org_unit").order_by("-published_on", "-pk")
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    if user.employee_id is not None:
        own = Employee.objects.select_related("org_unit").get(pk=user.employee_id).org_unit
        q |= Q(org_unit__path__in=_ancestor_paths(own.path))
    if user.role != Role.EMPLOYEE and user.org_unit_id is not None:
        q |= user.org_unit.subtree_filter(prefix="org_unit__") | Q(org_unit__path__in=_ancestor_paths(user.org_unit.path))
    return qs.filter(q)


@dataclass
class ReassignmentCase:
    """A proposal flagged `reassign` (连续两次降级, SPEC 2.3) with the employee's rank history and,
    once HR closed it, their decision (`closure`)."""

    proposal: Proposal
    employee: Employee
    rank_history: list[RankChange] = field(default_factory=list)
    closure: ReassignmentClosure | None = None

    @property
    def applied(self) -> bool:
        return self.proposal.state == S.APPLIED

    @property
    def closed(self) -> bool:
        return self.closure is not None


REASSIGN_STATES = (S.DRAFT, S.IN_REVIEW, S.ON_NOTICE, S.HELD, S.APPROVED, S.APPLIED)


def reassignment_cases(*, user: User, closed: bool | None = None) -> list[ReassignmentCase]:
    """Proposals flagged for reassignment, pending or applied, in `user`'s scope (for HR), newest
    first, each with the employee's whole rank history and HR's closing decision, if any.
    `closed`: True → the closed cases only, False → the open ones, None → all. Three queries
    whatever the number."""
    qs = Proposal.objects.filter(reassign=True, state__in=REASSIGN_STATES)
    qs = scope_employees(user, qs, prefix="employee__")
    if closed is not None:
        qs = qs.filter(reassignment_closure__isnull=not closed)
    qs = qs.select_related(
        "employee", "employee__org_unit", "reassignment_closure", "reassignment_closure__actor"
    ).prefetch_related(
        Prefetch("employee__rank_changes", queryset=RankChange.objects.order_by("effective_date", "pk"))
    )
    return [
        ReassignmentCase(
            proposal=p, employee=p.employee, rank_history=list(p.employee.rank_changes.all()),
            closure=getattr(p, "reassignment_closure", None),
        )
        for p in qs.order_by("-created_at", "-pk")
    ]



# --- one proposal's record, as web and API show it -------------------------------------------------


@dataclass(frozen=True)
class RouteStep:
    """One step of a route with its decisions so far: done, current, ahead or rejected."""

    step: str
    label: str
    status: str
    decisions: tuple[ApprovalStep, ...]


@dataclass(frozen=True)
class ProposalHistory:
    """Everything a proposal's page and its API detail show besides the proposal itself."""

    steps: tuple[ApprovalStep, ...]  # every decided step, in order
    route: tuple[RouteStep, ...]
    transitions: tuple[ProposalTransition, ...]
    notice_item: NoticeItem | None
    current_step: str | None


_ROUTE_SHOWN_STATES = (S.IN_REVIEW, S.ON_NOTICE, S.HELD)


def _route_rows(proposal: Proposal, decided: list[ApprovalStep]) -> tuple[RouteStep, ...]:
    by_step: dict[str, list[ApprovalStep]] = {}
    for s in decided:
        by_step.setdefault(s.step, []).append(s)
    current = current_step(proposal) if proposal.state in _ROUTE_SHOWN_STATES else None
    rows = []
    for i, step in enumerate(proposal.route or []):
        if proposal.state == S.REJECTED and by_step.get(step) and by_step[step][-1].decision == "reject":
            status = "rejected"
        elif i < proposal.step_index or proposal.state in (S.APPROVED, S.APPLIED):
            status = "done"
        elif i == proposal.step_index and current is not None:
            status = "current"
        else:
            status = "ahead"
        rows.append(RouteStep(step, step_label(step), status, tuple(by_step.get(step, ()))))
    return tuple(rows)


def proposal_history(*, proposal: Proposal) -> ProposalHistory:
    """The decided steps, the route with each step's status, the state log and the notice item.
    Three queries; the caller has already checked that the user may read the proposal."""
    decided = list(ApprovalStep.objects.filter(proposal=proposal).select_related("actor", "meeting").order_by("sequence"))
    log = ProposalTransition.objects.filter(proposal=proposal).select_related("actor").order_by("id")
    item = NoticeItem.objects.filter(proposal=proposal).select_related("notice").first()
    return ProposalHistory(
        steps=tuple(decided),
        route=_route_rows(proposal, decided),
        transitions=tuple(log),
        notice_item=item,
        current_step=current_step(proposal) if proposal.state == S.IN_REVIEW else None,
    )
