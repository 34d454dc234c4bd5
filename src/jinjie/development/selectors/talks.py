"""Reads of career talks. A 保密 note is attached only for a viewer who holds
talks.read_confidential over the employee (HR of their subtree, never about themselves): every page,
serializer and export reads talks through `talks_for`, so none of them can show it to anyone else."""

from dataclasses import dataclass

from jinjie.org import authority
from jinjie.org.scoping import scope_employees

from ..models import CareerTalk, TalkNote


@dataclass(frozen=True)
class TalkView:
    talk: CareerTalk
    note: str | None  # None: no note, or the viewer may not read it
    may_read_note: bool


def talks_for(*, user, employee_id: int | None = None, pk: int | None = None) -> list[TalkView]:
    if not authority.allows(user, "talks.read"):
        return []
    qs = scope_employees(user, CareerTalk.objects.select_related("employee__org_unit", "recorded_by"), prefix="employee__")
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    if pk is not None:
        qs = qs.filter(pk=pk)
    talks = list(qs.order_by("-date", "-id")[:500])
    cleared = {t.pk for t in talks if authority.allows(user, "talks.read_confidential", t.employee)}
    notes = dict(TalkNote.objects.filter(talk_id__in=sorted(cleared)).values_list("talk_id", "text")) if cleared else {}
    return [TalkView(t, notes.get(t.pk) if t.pk in cleared else None, t.pk in cleared) for t in talks]


def talk_get(*, user, pk: int) -> TalkView | None:
    found = talks_for(user=user, pk=pk)
    return found[0] if found else None
