"""导师制: HR pairs a mentor (中级 or above, or a leader) with a mentee for a period; the mentor records
meetings; at the end each side rates the pairing once (1–5 and a comment)."""

from datetime import date

from django.db import IntegrityError, transaction

from jinjie.approvals import clock
from jinjie.core.errors import DomainError, NotPermitted
from jinjie.org import authority
from jinjie.org.models import Role
from jinjie.people.models import Employee, Status
from jinjie.people.selectors import holds_management_post
from jinjie.rules.ladder import RANKS

from ..models import MentorMeeting, MentorRating, Mentorship, RatingSide
from ..selectors.mentors import active_q
from ._text import a_date, optional_text, required_text

MENTOR_FROM = RANKS.index("中级C")


def mentor_refusal(mentor: Employee, on: date) -> str | None:
    """SPEC 5: a mentor is 中级 or above, or a leader (a leader's login, or a management post)."""
    if mentor.status != Status.ACTIVE:
        return f"{mentor.name} 不在岗，不能担任导师"
    if mentor.current_rank in RANKS and RANKS.index(mentor.current_rank) >= MENTOR_FROM:
        return None
    if mentor.current_rank not in RANKS and mentor.current_rank != RANKS[0]:
        return None  # a 专卖管理员 level (初级专卖管理员 …): a qualified administrator may mentor
    user = getattr(mentor, "user", None)
    if (user is not None and user.role == Role.LEADER) or holds_management_post(employee_id=mentor.pk, on=on):
        return None
    return f"导师应为中级及以上职级或领导，{mentor.name} 现为{mentor.current_rank}"


@transaction.atomic
def mentorship_create(
    *, mentor: Employee, mentee: Employee, start_date: date | str, end_date: date | str, goals: str, actor
) -> Mentorship:
    authority.require(actor, "mentorships.manage", mentee)
    authority.require(actor, "mentorships.manage", mentor)
    start = a_date(start_date, "开始日期")
    end = a_date(end_date, "结束日期")
    if end < start:
        raise DomainError("结束日期不能早于开始日期")
    if mentor.pk == mentee.pk:
        raise DomainError("导师和学员不能是同一人")
    refusal = mentor_refusal(mentor, start)
    if refusal:
        raise DomainError(refusal)
    goals = required_text(goals, "带教目标", 2000)
    # Lock the two employees (id order) so that two HR clerks cannot pair them twice at once.
    list(Employee.objects.select_for_update().filter(pk__in=sorted({mentor.pk, mentee.pk})).order_by("pk"))
    overlap = Mentorship.objects.filter(mentor=mentor, mentee=mentee, start_date__lte=end, end_date__gte=start).exclude(
        ended_on__lt=start
    )
    if overlap.exists():
        raise DomainError(f"{mentor.name} 与 {mentee.name} 在该期间已有结对")
    return Mentorship.objects.create(
        mentor=mentor, mentee=mentee, start_date=start, end_date=end, goals=goals, created_by=actor
    )


@transaction.atomic
def mentorship_end(*, mentorship: Mentorship, actor, on: date | str | None = None) -> Mentorship:
    m = Mentorship.objects.select_for_update().select_related("mentee__org_unit").get(pk=mentorship.pk)
    authority.require(actor, "mentorships.manage", m.mentee)
    day = a_date(on, "结束日期", required=False) or clock.today()
    if m.ended_on is not None or m.end_date < day:
        raise DomainError("该结对已经结束")
    if day < m.start_date:
        raise DomainError("结束日期不能早于开始日期")
    m.ended_on = day
    m.save(update_fields=["ended_on"])
    return m


@transaction.atomic
def meeting_record(*, mentorship: Mentorship, actor, date: date | str, notes: str) -> MentorMeeting:
    """The mentor records a meeting, while the pairing is active."""
    authority.require(actor, "mentorships.mentor")
    m = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if actor.employee_id != m.mentor_id:
        raise NotPermitted("只有该结对的导师可以记录带教")
    today = clock.today()
    if not Mentorship.objects.filter(active_q(today), pk=m.pk).exists():
        raise DomainError("结对不在有效期内，不能记录带教")
    day = a_date(date, "日期")
    if day < m.start_date or day > today:
        raise DomainError("带教日期应在结对开始之后、今天之前")
    return MentorMeeting.objects.create(mentorship=m, date=day, notes=required_text(notes, "带教内容", 5000), recorded_by=actor)


@transaction.atomic
def rating_submit(*, mentorship: Mentorship, actor, score, comment: str = "") -> MentorRating:
    """At the end (from the pairing's last day on), the mentor and the mentee each rate it once."""
    authority.require(actor, "mentorships.mentor")
    m = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if actor.employee_id == m.mentor_id:
        side = RatingSide.MENTOR
    elif actor.employee_id == m.mentee_id:
        side = RatingSide.MENTEE
    else:
        raise NotPermitted("只有结对的导师和学员可以评价")
    if clock.today() < m.last_day:
        raise DomainError(f"结对 {m.last_day.isoformat()} 结束，届时才能评价")
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise DomainError("评分应为 1 到 5 的整数")
    try:
        with transaction.atomic():
            return MentorRating.objects.create(
                mentorship=m, side=side, score=value, comment=optional_text(comment, "评语", 1000)
            )
    except IntegrityError:
        raise DomainError("您已评价过该结对") from None
