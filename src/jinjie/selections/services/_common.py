"""What the selection's acts share: the row lock, ids, text and score checks, the candidate as the
authority sees it (for 回避)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from jinjie.approvals import clock
from jinjie.core.text import to_halfwidth
from jinjie.org import authority
from jinjie.org.models import User

from ..models import Application, Recusal, Selection, SelectionTransition
from ..workflow import SelectionError, transition

MAX_TEXT = 2000
_MAX_PK = 2**63 - 1
_SCORE_LOW, _SCORE_HIGH = Decimal(0), Decimal(100)

__all__ = [
    "MAX_TEXT",
    "candidate_subject",
    "clean_text",
    "lock",
    "move",
    "parse_score",
    "pk_of",
    "today",
]


def today():
    return clock.today()


def pk_of(obj, what: str) -> int:
    """The primary key of an instance or of an id; refused if no row can have it."""
    pk = obj if isinstance(obj, int) and not isinstance(obj, bool) else getattr(obj, "pk", None)
    if isinstance(pk, str) and pk.isdigit():
        pk = int(pk)
    if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= _MAX_PK:
        raise SelectionError(f"{what}不存在：{obj!r}"[:200])
    return pk


def lock(selection: Selection | int) -> Selection:
    """Lock the selection's row and read it afresh: every act on a selection takes this lock first,
    so two acts on one selection take turns (a stage is completed once)."""
    pk = pk_of(selection, "竞聘")
    found = Selection.objects.select_for_update(of=("self",)).select_related("org_unit").filter(pk=pk).first()
    if found is None:
        raise SelectionError(f"竞聘不存在：#{pk}")
    return found


def move(selection: Selection, event: str, *, actor: User | None, note: str = "", fields: tuple[str, ...] = ()) -> SelectionTransition:
    """Change the state along `event` and write it with its log row (the caller holds the lock)."""
    entry = transition(selection, event, actor=actor, note=note)
    selection.save(update_fields=["state", "updated_at", *fields])
    entry.save()
    return entry


def clean_text(text, what: str, *, required: bool, max_length: int = MAX_TEXT) -> str:
    if text is not None and not isinstance(text, str):
        raise SelectionError(f"{what}应为文字")
    text = (text or "").strip()
    if required and not text:
        raise SelectionError(f"请填写{what}")
    if len(text) > max_length:
        raise SelectionError(f"{what}不能超过 {max_length} 字")
    if "\x00" in text:
        raise SelectionError(f"{what}含有不可见的控制字符")
    return text


def parse_score(value, what: str = "成绩") -> Decimal:
    """0–100 with at most 2 decimals (SPEC 4); text as typed (full-width digits too) or a number."""
    if isinstance(value, bool) or value is None:
        raise SelectionError(f"{what}应为 0–100 的数字")
    try:
        d = value if isinstance(value, Decimal) else Decimal(to_halfwidth(str(value).strip()))
    except (InvalidOperation, ValueError):
        raise SelectionError(f"{what}不是有效的数字：{str(value)[:20]}") from None
    if not d.is_finite() or not _SCORE_LOW <= d <= _SCORE_HIGH:
        raise SelectionError(f"{what}应在 0 到 100 之间，实为 {str(value)[:20]}")
    if d.as_tuple().exponent < -2 and d != d.quantize(Decimal("0.01")):
        raise SelectionError(f"{what}最多 2 位小数：{str(value)[:20]}")
    return d.quantize(Decimal("0.01"))


def recused_judges(application: Application) -> frozenset[int]:
    return frozenset(Recusal.objects.filter(application=application).values_list("judge_id", flat=True))


def candidate_subject(selection: Selection, application: Application, *, parties: frozenset[int] = frozenset()) -> authority.Subject:
    """An act about one candidate: the selection's unit, the candidate as the employee concerned
    (whoever they are stands aside), plus any other parties (a judge declared related)."""
    employee = application.employee
    return authority.Subject(unit=selection.org_unit, employee_id=employee.pk, track=employee.track, parties=parties)
