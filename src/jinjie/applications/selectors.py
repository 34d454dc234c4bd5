"""Reads of 申报 (SPEC 3.1): rounds a user may see, applications in scope, where each one stands.

An application's own state ends at the review; after it, where it stands is its proposal's:
`status_of` (one application) and `status_q` (a filter in SQL) derive it, so the two can never
disagree. Every read is scoped through org.scoping: another unit's application is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from jinjie.evaluations.models import ProposalState
from jinjie.org import authority
from jinjie.org.models import Role, User
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee
from jinjie.rules.ladder import ROUTE_STEP_LABELS

from .eligibility import Assessment, assess
from .models import (
    Application,
    ApplicationRound,
    ApplicationState,
    ApplicationTransition,
    QualifiedCandidate,
    QualifiedSnapshot,
)

__all__ = [
    "STATUSES",
    "STATUS_LABELS",
    "application_get",
    "application_history",
    "applications_for",
    "career_rounds",
    "employee_applications",
    "open_rounds_for",
    "qualified_candidates",
    "qualified_for_round",
    "qualified_listing",
    "review_queue",
    "round_counts",
    "round_get",
    "round_status",
    "status_detail",
    "status_of",
    "standing_applications",
    "standing_q",
    "status_q",
    "visible_rounds",
]

S = ApplicationState
P = ProposalState

# The statuses of SPEC 3.1, in order: the application's own states, then its proposal's.
STATUS_LABELS: dict[str, str] = {
    "submitted": "已申报",
    "withdrawn": "已撤回",
    "checked": "资格审查通过",
    "ineligible": "资格审查未通过",
    "reviewed": "审核通过",
    "in_route": "审批中",
    "rejected": "未通过",
    "granted": "已取得",
}
STATUSES = tuple(STATUS_LABELS)


def _status(state: str, proposal_state: str | None, step_index: int | None) -> str:
    if state != S.REVIEWED or proposal_state is None:
        return state
    if proposal_state == P.APPLIED:
        return "granted"
    if proposal_state == P.REJECTED:
        return "rejected"
    if proposal_state in (P.DRAFT, P.IN_REVIEW) and not step_index:
        return "reviewed"  # waiting for the route's first step
    return "in_route"


def status_of(application: Application) -> str:
    """Where an application stands (a key of STATUS_LABELS); reads its proposal when reviewed."""
    p = application.proposal if application.proposal_id else None
    return _status(application.state, p.state if p else None, p.step_index if p else None)


def status_detail(application: Application) -> str:
    """The status in words, with the step or notice of a proposal in the route."""
    status = status_of(application)
    label = STATUS_LABELS[status]
    p = application.proposal if application.proposal_id else None
    if p is None or status not in ("reviewed", "in_route"):
        return label
    if p.state == P.IN_REVIEW and 0 <= p.step_index < len(p.route or ()):
        step = p.route[p.step_index]
        return f"{label}（{ROUTE_STEP_LABELS.get(step, step)}）"
    return f"{label}（{p.get_state_display()}）"


def status_q(status: str) -> Q:
    """Applications with this status, as a filter (the same rules as status_of)."""
    waiting = Q(proposal__state__in=[P.DRAFT, P.IN_REVIEW], proposal__step_index=0)
    reviewed = Q(state=S.REVIEWED, proposal__isnull=False)
    if status == "rejected":
        return Q(state=S.REJECTED) | (reviewed & Q(proposal__state=P.REJECTED))
    if status == "granted":
        return reviewed & Q(proposal__state=P.APPLIED)
    if status == "reviewed":
        return reviewed & waiting
    if status == "in_route":
        return reviewed & ~Q(proposal__state__in=[P.REJECTED, P.APPLIED]) & ~waiting
    if status in S.values:
        return Q(state=status)
    return Q(pk__in=[])


# --- rounds ----------------------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def visible_rounds(*, user: User) -> QuerySet[ApplicationRound]:
    """Rounds a user may see, newest first: those covering their unit (a round of the province
    covers a county's staff), and for staff also those opened inside their subtree."""
    qs = ApplicationRound.objects.select_related("org_unit").order_by("-opens", "-pk")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    if user.role == Role.EMPLOYEE:
        if user.employee_id is not None:
            own = Employee.objects.select_related("org_unit").get(pk=user.employee_id).org_unit
            q |= Q(org_unit__path__in=_ancestor_paths(own.path))
    elif user.org_unit_id is not None:
        q |= user.org_unit.subtree_filter(prefix="org_unit__") | Q(org_unit__path__in=_ancestor_paths(user.org_unit.path))
    return qs.filter(q)


def round_get(*, pk: int, user: User) -> ApplicationRound:
    """One round the user may see; ApplicationRound.DoesNotExist otherwise."""
    return visible_rounds(user=user).get(pk=pk)


def round_status(round: ApplicationRound, today: date) -> tuple[str, str]:
    """(code, label): upcoming 未开始, open 申报中, due 已截止·待资格审查, closed 资格审查已完成."""
    if round.closed_at is not None:
        early = round.closed_on is not None and round.closed_on <= round.closes
        return "closed", "已提前截止，资格审查已完成" if early else "已截止，资格审查已完成"
    if today < round.opens:
        return "upcoming", "未开始"
    if today <= round.closes:
        return "open", "申报中"
    return "due", "已截止，待资格审查"


def round_counts(round_ids: list[int], *, user: User | None = None) -> dict[int, dict[str, int]]:
    """{round id: {status: number}} for every status (zeros included), in one query."""
    counts = {pk: dict.fromkeys(STATUSES, 0) for pk in round_ids}
    if not round_ids:
        return counts
    qs = Application.objects.filter(round_id__in=round_ids)
    if user is not None:
        qs = scope_employees(user, qs, prefix="employee__")
    rows = qs.order_by().values_list("round_id", "state", "proposal__state", "proposal__step_index").annotate(
        n=Count("id")
    )
    for round_id, state, p_state, step, n in rows:
        counts[round_id][_status(state, p_state, step)] += n
    return counts


def open_rounds_for(*, employee: Employee, today: date) -> list[ApplicationRound]:
    """The rounds an employee may apply in today: open, not closed, covering their unit."""
    return list(
        ApplicationRound.objects.filter(
            org_unit__path__in=_ancestor_paths(employee.org_unit.path), opens__lte=today, closes__gte=today,
            closed_at__isnull=True,
        ).select_related("org_unit").order_by("closes", "pk")
    )


# --- applications ----------------------------------------------------------------------------------


def applications_for(
    *, user: User, round: ApplicationRound | None = None, status: str | None = None
) -> QuerySet[Application]:
    """The applications `user` may read (an employee: their own), with employee, round and proposal."""
    qs = scope_employees(user, Application.objects.all(), prefix="employee__")
    if round is not None:
        qs = qs.filter(round=round)
    if status:
        qs = qs.filter(status_q(status))
    return qs.select_related("employee", "employee__org_unit", "round", "proposal").order_by(
        "round_id", "employee__employee_no", "pk"
    )


def application_get(*, pk: int, user: User) -> Application:
    """One application in the user's scope; Application.DoesNotExist otherwise."""
    return applications_for(user=user).select_related("rulebook", "reviewed_by", "applied_by", "round__org_unit").get(pk=pk)


def application_history(*, application: Application) -> list[ApplicationTransition]:
    return list(ApplicationTransition.objects.filter(application=application).select_related("actor").order_by("pk"))


# A reviewed application still stands for its level while its proposal is on the way.
LIVE_PROPOSAL_STATES = (P.DRAFT, P.IN_REVIEW, P.ON_NOTICE, P.HELD, P.APPROVED)
_CHUNK = 900


def standing_applications(employee_ids: list[int], round: ApplicationRound) -> dict[int, str]:
    """{employee id: why} for employees with an application that still stands — in `round` (one per
    round), or for a level elsewhere (a second one would compete with it). A couple of queries."""
    out: dict[int, str] = {}
    for start in range(0, len(employee_ids), _CHUNK):
        live = (
            Application.objects.filter(employee_id__in=employee_ids[start : start + _CHUNK])
            .exclude(state__in=[S.WITHDRAWN, S.INELIGIBLE, S.REJECTED])
            .select_related("round", "proposal")
            .only("employee_id", "round_id", "level", "state", "round__title", "proposal__state")
            .order_by("pk")
        )
        for a in live:
            if a.state == S.REVIEWED and (a.proposal is None or a.proposal.state not in LIVE_PROPOSAL_STATES):
                continue
            if a.round_id == round.pk:
                out[a.employee_id] = f"已在“{round.title}”中申报{a.level}（一个批次只能申报一次）"
            else:
                out.setdefault(a.employee_id, f"已在“{a.round.title}”中申报{a.level}，尚未办结")
    return out


def standing_q() -> Q:
    """Applications that still stand, as a filter: the same rule as standing_applications (not
    withdrawn, ineligible or rejected; a reviewed one only while its proposal is on the way)."""
    return ~Q(state__in=[S.WITHDRAWN, S.INELIGIBLE, S.REJECTED]) & (
        ~Q(state=S.REVIEWED) | Q(proposal__state__in=LIVE_PROPOSAL_STATES)
    )


def review_queue(*, user: User) -> QuerySet[Application]:
    """Applications waiting for `user`'s review: checked, of the tracks they review, in scope, not their own."""
    if not authority.allows(user, "applications.review"):
        return Application.objects.none()
    qs = applications_for(user=user, status=S.CHECKED)
    if not user.is_superuser:
        qs = qs.filter(employee__track__in=authority.REVIEWED_TRACKS.get(user.track or "", ()))
    if user.employee_id is not None:
        qs = qs.exclude(employee_id=user.employee_id)  # 回避
    return qs


@dataclass(frozen=True)
class QualifiedList:
    """The round's qualified list for HR: who may apply (next level open, every automatic
    condition met at the check date) and has no application standing (here or elsewhere), and
    how many were left out for what.

    `qualified` holds items with `.employee` and `.level`: Assessments when checked live, else the
    rows of the round's last snapshot, computed at `computed_at` (None when live, and when a big
    round has no snapshot yet: then `qualified` is empty and the page offers to compute it)."""

    qualified: tuple
    applied: int
    not_qualified: int
    live: bool = True
    computed_at: datetime | None = None
    computed_by: User | None = None
    candidates: int = 0


def qualified_candidates(round: ApplicationRound) -> QuerySet[Employee]:
    """Whom the qualified list assesses: every active 专卖管理员 of the round's subtree."""
    return (
        Employee.objects.filter(round.org_unit.subtree_filter(prefix="org_unit__"))
        .filter(track="专卖管理员", status="在岗")
        .select_related("org_unit")
    )


def qualified_for_round(*, round: ApplicationRound, user: User) -> QualifiedList:
    """Every active 专卖管理员 of the round's subtree in `user`'s scope, assessed live in bulk."""
    employees = list(scope_employees(user, qualified_candidates(round)).order_by("employee_no"))
    taken = standing_applications([e.pk for e in employees], round)
    pending = [e for e in employees if e.pk not in taken]
    found = assess(round, pending, gated_checks=False)
    qualified = tuple(found[e.pk] for e in pending if found[e.pk].ok)
    return QualifiedList(
        qualified, applied=len(employees) - len(pending), not_qualified=len(pending) - len(qualified),
        candidates=len(employees),
    )


def qualified_listing(*, round: ApplicationRound, user: User) -> QualifiedList:
    """What the 合格人员名单 page shows. Up to JINJIE_QUALIFIED_LIVE_MAX candidates in the user's
    scope are assessed live (well under a page's time); a bigger round reads its last snapshot
    (applications.services.qualified_compute, run as a job) in a few queries whatever its size,
    with who has an application standing read live and the people who since left the subtree,
    the track or active service not offered."""
    in_scope = scope_employees(user, qualified_candidates(round))
    if in_scope.count() <= settings.JINJIE_QUALIFIED_LIVE_MAX:
        return qualified_for_round(round=round, user=user)
    snapshot = QualifiedSnapshot.objects.filter(round=round).select_related("computed_by").first()
    if snapshot is None:
        return QualifiedList((), applied=0, not_qualified=0, live=False)
    # One pass over the standing applications, hashed (not a subquery per candidate).
    standing = Q(employee_id__in=Application.objects.filter(standing_q()).values("employee_id"))
    rows = scope_employees(user, QualifiedCandidate.objects.filter(snapshot=snapshot), prefix="employee__")
    # The counts are the snapshot's people (those of the subtree then), with who applied read live:
    # no look-up of every employee. Who is offered is checked again: still an active 专卖管理员 of
    # the subtree (applying would refuse anyone else anyway).
    counts = rows.aggregate(
        applied=Count("pk", filter=standing), short=Count("pk", filter=~standing & Q(ok=False)), total=Count("pk")
    )
    # The employees by their keys, and checked here rather than in SQL: a join or a filter on the
    # employee's columns makes the planner read every employee of the bureau to find the few offered.
    offered = rows.filter(ok=True).exclude(standing).prefetch_related(
        Prefetch("employee", queryset=Employee.objects.select_related("org_unit"))
    )
    qualified = tuple(sorted(
        (c for c in offered if c.employee.track == "专卖管理员" and c.employee.status == "在岗"
         and round.org_unit.contains(c.employee.org_unit)),
        key=lambda c: c.employee.employee_no,
    ))
    return QualifiedList(
        qualified, applied=counts["applied"], not_qualified=counts["short"], live=False,
        computed_at=snapshot.computed_at, computed_by=snapshot.computed_by, candidates=counts["total"],
    )


@dataclass(frozen=True)
class OpenRound:
    """A round an employee may apply in now, with their assessment at its check date and their
    application in it (if any, not withdrawn) — what 我的职业发展 shows."""

    round: ApplicationRound
    assessment: Assessment | None
    application: Application | None


def career_rounds(*, employee: Employee, today: date) -> list[OpenRound]:
    rounds = open_rounds_for(employee=employee, today=today)
    if not rounds:
        return []
    mine = {
        a.round_id: a
        for a in Application.objects.filter(employee=employee, round__in=rounds).exclude(state=S.WITHDRAWN)
        .select_related("proposal")
    }
    out = []
    for r in rounds:
        application = mine.get(r.pk)
        assessment = None if application is not None else assess(r, [employee]).get(employee.pk)
        out.append(OpenRound(r, assessment, application))
    return out


def employee_applications(*, employee: Employee) -> list[Application]:
    """An employee's applications, newest first (for 我的职业发展)."""
    return list(
        Application.objects.filter(employee=employee).select_related("round", "proposal").order_by("-applied_at", "-pk")[:10]
    )
