"""Who mentors whom, and what a mentor may read of a mentee: rank, gap and plan — nothing else."""

from dataclasses import dataclass

from django.db.models import Q

from jinjie.approvals import clock
from jinjie.core.errors import NotPermitted
from jinjie.org import authority
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee

from ..models import Mentorship


def active_q(on) -> Q:
    return Q(start_date__lte=on, end_date__gte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))


def active_pairing(*, mentor_id: int | None, mentee_id: int, on=None) -> Mentorship | None:
    """The pairing in force today in which `mentor_id` mentors `mentee_id` (None if none)."""
    if mentor_id is None:
        return None
    on = on or clock.today()
    return Mentorship.objects.filter(active_q(on), mentor_id=mentor_id, mentee_id=mentee_id).first()


def mentorships_for(*, user):
    """HR: the pairings of the mentees in their subtree; anyone else: the pairings they are in."""
    qs = Mentorship.objects.select_related("mentor__org_unit", "mentee__org_unit")
    if authority.allows(user, "mentorships.manage"):
        return scope_employees(user, qs, prefix="mentee__")
    if user.employee_id is None:
        return qs.none()
    return qs.filter(Q(mentor_id=user.employee_id) | Q(mentee_id=user.employee_id))


def mentorship_get(*, user, pk: int) -> Mentorship | None:
    return mentorships_for(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class MenteeView:
    """What a mentor reads of a mentee (SPEC 5): rank, gap and plan."""

    mentorship: Mentorship
    employee: Employee
    gap: object
    monopoly_gap: object
    plan: object  # the current PlanVersion or None


def mentee_view(*, user, mentorship: Mentorship) -> MenteeView:
    """The mentee as their mentor sees them — only while the pairing is active."""
    from jinjie.evaluations.qualify import ladder_gap, monopoly_next_level
    from jinjie.evaluations.services import EvaluationError
    from jinjie.people.models import Track

    from .plans import current_version

    authority.require(user, "mentorships.mentor")
    if user.employee_id != mentorship.mentor_id or active_pairing(mentor_id=user.employee_id, mentee_id=mentorship.mentee_id) is None:
        raise NotPermitted("只有结对期内的导师可以查看学员的职级、差距和发展计划")
    mentee = mentorship.mentee
    gap = monopoly = None
    try:
        if mentee.track == Track.MONOPOLY_ADMINISTRATOR:
            monopoly = monopoly_next_level(employee=mentee)
        else:
            gap = ladder_gap(employee=mentee)
    except EvaluationError:
        pass
    return MenteeView(mentorship, mentee, gap, monopoly, current_version(employee=mentee))
