"""职业规划谈话: recorded by HR or a unit leader, acknowledged by the employee; agreed actions can go
into the plan. The 保密 note is written to its own table (TalkNote)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from jinjie.core.errors import DomainError
from jinjie.org import authority
from jinjie.people.models import Employee

from ..models import ActionStatus, CareerTalk, TalkNote
from ._text import a_date, optional_text, required_text
from .plans import _latest, _plan, _save, clean_actions

MAX_AGREED = 20


def _agreed(actions) -> list[str]:
    if isinstance(actions, str):
        actions = [line for line in actions.splitlines()]
    if not isinstance(actions, list):
        raise DomainError("商定的行动应为列表")
    out = [optional_text(a, "商定的行动", 300) for a in actions]
    out = [a for a in out if a]
    if len(out) > MAX_AGREED:
        raise DomainError(f"商定的行动最多 {MAX_AGREED} 项")
    return out


@transaction.atomic
def talk_record(
    *, employee: Employee, actor, date: date | str, participants: str, topics: str, agreed_actions=(),
    follow_up: date | str | None = None, confidential_note: str = "",
) -> CareerTalk:
    authority.require(actor, "talks.record", employee)
    day = a_date(date, "谈话日期")
    follow = a_date(follow_up, "跟进日期", required=False)
    if follow is not None and follow < day:
        raise DomainError("跟进日期不能早于谈话日期")
    talk = CareerTalk.objects.create(
        employee=employee, date=day, participants=required_text(participants, "参加人员", 300),
        topics=required_text(topics, "谈话内容", 5000), agreed_actions=_agreed(list(agreed_actions or [])),
        follow_up=follow, recorded_by=actor,
    )
    note = optional_text(confidential_note, "保密记录", 5000)
    if note and not authority.allows(actor, "talks.read_confidential", employee):
        # A note its own writer could not read back would be a note nobody answers for.
        raise DomainError("只有人事劳资可以填写保密记录")
    if note:
        TalkNote.objects.create(talk=talk, text=note)
    return talk


@transaction.atomic
def talk_acknowledge(*, talk: CareerTalk, actor) -> CareerTalk:
    """已阅: the employee concerned, once."""
    talk = CareerTalk.objects.select_for_update().select_related("employee__org_unit").get(pk=talk.pk)
    authority.require(actor, "talks.acknowledge", talk.employee)
    if talk.acknowledged_at is not None:
        raise DomainError("该谈话记录已确认")
    talk.acknowledged_at = timezone.now()
    talk.save(update_fields=["acknowledged_at"])
    return talk


@transaction.atomic
def talk_actions_to_plan(*, talk: CareerTalk, actor):
    """The talk's agreed actions go into the employee's plan (new version); those already there stay once."""
    talk = CareerTalk.objects.select_related("employee__org_unit").get(pk=talk.pk)
    authority.require(actor, "plans.edit", talk.employee)
    plan = _plan(talk.employee)
    last = _latest(plan)
    actions = list(last.actions) if last else []
    have = {a.get("source") for a in actions}
    new = [
        {"text": text, "due": talk.follow_up.isoformat() if talk.follow_up else "", "status": ActionStatus.TODO,
         "evidence": "", "source": f"talk:{talk.pk}:{i}"}
        for i, text in enumerate(talk.agreed_actions)
        if f"talk:{talk.pk}:{i}" not in have
    ]
    if not new:
        raise DomainError("这次谈话商定的行动都已在计划中")
    return _save(
        plan, actor=actor, target_rank=last.target_rank if last else "", target_date=last.target_date if last else None,
        goals=last.goals if last else "", actions=clean_actions(actions + new),
        note=f"加入 {talk.date.isoformat()} 谈话商定的 {len(new)} 项行动",
    )
