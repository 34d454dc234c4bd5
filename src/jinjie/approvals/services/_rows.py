"""Row helpers shared by the workflow's acts: ids, row locks, grouped writes, text checks.

Every act locks the proposals it will change first (SELECT … FOR UPDATE, in id order so that two
batches cannot deadlock), then re-reads their state; these are the pieces each act uses for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max
from django.utils import timezone

from jinjie.evaluations.models import Proposal

from ..models import ApprovalStep
from ..workflow import WorkflowError

MAX_TEXT = 2000
_CHUNK = 900  # ids per IN (…): under SQLite's oldest limit of 999 bound parameters

_MAX_PK = 2**63 - 1  # a bigint: anything larger cannot name a row (and overflows SQLite's INTEGER)


def pk_of(obj, what: str) -> int:
    """The primary key of a model instance or of an id given as an int; refused if no row can have it."""
    pk = obj if isinstance(obj, int) and not isinstance(obj, bool) else getattr(obj, "pk", None)
    if not isinstance(pk, int) or not 0 < pk <= _MAX_PK:
        raise WorkflowError(f"{what}不存在：{obj!r}")
    return pk


def ids_of(proposals: Iterable[Proposal | int]) -> list[int]:
    ids = sorted({pk_of(p, "建议") for p in proposals})
    if not ids:
        raise WorkflowError("没有选择任何建议")
    return ids


def lock(ids: list[int]) -> list[Proposal]:
    """Lock the proposals in id order and read them afresh (their state may have moved on)."""
    locked = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("employee", "employee__org_unit", "rulebook")
        .order_by("pk")
    )
    missing = sorted(set(ids) - {p.pk for p in locked})
    if missing:
        raise WorkflowError(f"建议不存在：{'、'.join(f'#{pk}' for pk in missing)}")
    return locked


def chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def next_sequences(ids: list[int]) -> dict[int, int]:
    last: dict[int, int] = {}
    for chunk in chunks(ids):
        last.update(
            ApprovalStep.objects.filter(proposal_id__in=chunk)
            .values("proposal_id")
            .annotate(m=Max("sequence"))
            .values_list("proposal_id", "m")
        )
    return {pk: (last.get(pk) or 0) + 1 for pk in ids}


def update_grouped(model, objects: list, fields: list[str]) -> None:
    """Write `fields` of `objects` with one UPDATE per distinct combination of values.

    A batch moves many rows to the same state (and rank, and date), so this is a handful of
    statements; Django's bulk_update would build a CASE per row, which is slow in Python.
    """
    groups: dict[tuple, list[int]] = {}
    for obj in objects:
        groups.setdefault(tuple(getattr(obj, f) for f in fields), []).append(obj.pk)
    for values, pks in groups.items():
        for chunk in chunks(pks):
            model.objects.filter(pk__in=chunk).update(**dict(zip(fields, values, strict=True)))


def save(proposals: list[Proposal], fields: list[str]) -> None:
    now = timezone.now()
    for p in proposals:
        p.updated_at = now
    update_grouped(Proposal, proposals, [*fields, "updated_at"])


def clean_text(text: str | None, what: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise WorkflowError(f"请填写{what}")
    if len(text) > MAX_TEXT:
        raise WorkflowError(f"{what}不能超过 {MAX_TEXT} 字")
    return text


def who(p: Proposal) -> str:
    return f"{p.employee.name}（{p.from_rank}→{p.to_rank}）"
