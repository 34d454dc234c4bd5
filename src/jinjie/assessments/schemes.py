"""Assessment schemes (考核方案, SPEC 5): drafts, publication, the defaults `jinjie init` loads, and
which version is in force for a track on a date.

The pure checks live in jinjie.rules.scheme; this module stores the documents. A published scheme
never changes: HR edits a new draft version with its own effective date, as with the rule books.
"""

from __future__ import annotations

import bisect
from datetime import date

from django.db import transaction
from django.utils import timezone

from jinjie.core.errors import DomainError
from jinjie.org import authority
from jinjie.rules.ladder import LADDER_TRACKS
from jinjie.rules.scheme import DEFAULT_SCHEMES, Scheme, SchemeError, parse_scheme

from .models import AssessmentScheme, SchemeStatus

DEFAULT_EFFECTIVE_FROM = date(2000, 1, 1)
SCHEME_TRACKS = LADDER_TRACKS
# 专卖管理员 do monopoly field work too: they are assessed on the market administrators' scheme.
SCHEME_OF_TRACK = {"客户经理": "客户经理", "市场管理员": "市场管理员", "专卖管理员": "市场管理员"}


def scheme_track(track: str) -> str:
    """The track whose scheme assesses `track`."""
    return SCHEME_OF_TRACK.get(track, track)


def _track(track: str) -> str:
    if track not in SCHEME_TRACKS:
        raise SchemeError([f"未知的岗位序列「{track}」，考核方案适用于：{'、'.join(SCHEME_TRACKS)}"])
    return track


@transaction.atomic
def scheme_create_draft(*, track: str, items: list, effective_from: date, note: str = "", actor) -> AssessmentScheme:
    authority.require(actor, "schemes.edit")
    parse_scheme(_track(track), items)
    last = AssessmentScheme.objects.select_for_update().filter(track=track).order_by("-version").first()
    return AssessmentScheme.objects.create(
        track=track, version=(last.version + 1) if last else 1, effective_from=effective_from, items=items,
        note=note[:300], created_by=actor,
    )


@transaction.atomic
def scheme_update_draft(*, scheme: AssessmentScheme, items: list, effective_from: date, note: str = "", actor) -> AssessmentScheme:
    authority.require(actor, "schemes.edit")
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != SchemeStatus.DRAFT:
        raise DomainError("已发布的考核方案不能修改，请另存为新版本")
    parse_scheme(scheme.track, items)
    scheme.items, scheme.effective_from, scheme.note = items, effective_from, note[:300]
    scheme.save(update_fields=["items", "effective_from", "note"])
    return scheme


@transaction.atomic
def scheme_publish(*, scheme: AssessmentScheme, actor) -> AssessmentScheme:
    authority.require(actor, "schemes.edit")
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != SchemeStatus.DRAFT:
        raise DomainError("该版本已发布")
    parse_scheme(scheme.track, scheme.items)
    scheme.status, scheme.published_at, scheme.published_by = SchemeStatus.PUBLISHED, timezone.now(), actor
    scheme.save(update_fields=["status", "published_at", "published_by"])
    return scheme


@transaction.atomic
def schemes_load_defaults() -> list[AssessmentScheme]:
    """Publish SPEC 5's default scheme of each ladder track that has none yet (idempotent)."""
    created = []
    for track, items in DEFAULT_SCHEMES.items():
        if AssessmentScheme.objects.filter(track=track).exists():
            continue
        parse_scheme(track, items)
        created.append(
            AssessmentScheme.objects.create(
                track=track, version=1, effective_from=DEFAULT_EFFECTIVE_FROM, items=items,
                status=SchemeStatus.PUBLISHED, note="默认考核方案(SPEC 5)", published_at=timezone.now(),
            )
        )
    return created


def scheme_in_force(*, track: str, on: date) -> AssessmentScheme | None:
    return (
        AssessmentScheme.objects.filter(track=track, status=SchemeStatus.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )


class SchemesInForce:
    """Every published scheme, loaded and parsed once (one query), answering "which scheme is in
    force for this track in this month" from memory — for the scores import's thousands of rows."""

    def __init__(self) -> None:
        rows = AssessmentScheme.objects.filter(status=SchemeStatus.PUBLISHED).order_by(
            "track", "effective_from", "version"
        ).values_list("track", "effective_from", "items")
        self._by_track: dict[str, tuple[list[date], list[Scheme]]] = {}
        for track, effective, items in rows:
            days, schemes = self._by_track.setdefault(track, ([], []))
            try:
                scheme = parse_scheme(track, items)
            except SchemeError:
                continue  # a published scheme was valid when published; nothing edits it since
            if days and days[-1] == effective:
                schemes[-1] = scheme  # the higher version of the same day wins
            else:
                days.append(effective)
                schemes.append(scheme)

    def on(self, track: str, day: date) -> Scheme | None:
        found = self._by_track.get(track)
        if not found:
            return None
        days, schemes = found
        index = bisect.bisect_right(days, day) - 1
        return schemes[index] if index >= 0 else None
