"""Aggregates kept in the cache under a fingerprint of the rows they were computed from.

Some figures cannot be counted within a page's time at 100,000 employees: the criteria read the
JSON reasons of a whole quarter of proposals (1.7 s on SQLite), the score items the JSON items of a
month's scores (0.65 s), rates a quarter of proposals per period shown, the 专卖管理员 check the
records of every 专卖管理员 (0.6 s); the others take 0.1–0.25 s a query, which a busy server
turns into seconds. They are computed once and kept, keyed by the report, its
filters and a *fingerprint*: for each table read, its number of rows and its largest id (and
other cheap maxima), in one query of a few milliseconds.

Why that is enough: ids only grow (SQLite AUTOINCREMENT, PostgreSQL sequences), so any insert
changes the largest id and any delete the count; rows are edited in place only through the
imports and the admin, which both write a `RecordRevision` (whose largest id is in the
fingerprint), or — proposals — through the workflow, which logs every state change as a
`ProposalTransition` (idem). A re-run of an evaluation deletes and re-inserts its drafts (new ids).
The fingerprint is read *before* the computation, so a result is never older than its key.
Restoring an older database over the same cache directory is the one case it cannot tell:
clear `var/cache` then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models

from jinjie.approvals.models import ProposalTransition
from jinjie.assessments.models import MonthlyScore
from jinjie.evaluations.models import Proposal
from jinjie.people.models import (
    AnnualRating,
    Employee,
    Publication,
    Qualification,
    RankChange,
    RecordRevision,
    TrainingRecord,
)
from jinjie.rulebooks.models import RuleBook

__all__ = ["Rows", "fingerprint", "monopoly_rows", "proposal_rows", "rank_rows", "remember", "score_rows"]

T = TypeVar("T")
# Part of every key: change it whenever the shape of a cached value changes, so that an upgraded
# server never reads an entry written by the code before it.
FORMAT = "2"


@dataclass(frozen=True)
class Rows:
    """Rows of one table whose count and largest id (plus `extra` aggregates) are fingerprinted."""

    model: type[models.Model]
    where: str = ""  # an SQL condition on the table's own columns, with %s placeholders
    params: tuple = ()
    count: bool = True
    extra: tuple[str, ...] = ()  # further aggregates of the table's own columns, e.g. "MAX(published_at)"


def fingerprint(*tables: Rows) -> tuple:
    """One query: the count and largest id of each of `tables` (as the database has them now)."""
    qn = connection.ops.quote_name
    pieces: list[str] = []
    params: list = []
    for rows in tables:
        meta = rows.model._meta
        where = f" WHERE {rows.where}" if rows.where else ""
        aggregates = (*(("COUNT(*)",) if rows.count else ()), f"MAX({qn(meta.pk.column)})", *rows.extra)
        for aggregate in aggregates:
            pieces.append(f"(SELECT {aggregate} FROM {qn(meta.db_table)}{where})")
            params.extend(rows.params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(pieces), params)
        return tuple(str(v) for v in cursor.fetchone())


# The people (where they work, their track and status) and every edit of a record.
_PEOPLE = (Rows(Employee), Rows(RecordRevision, count=False))


def rank_rows() -> tuple[Rows, ...]:
    """What the rank reports read: the people and their rank history (taking effect writes a
    RankChange with the new current rank; an import of ranks writes revisions)."""
    return (Rows(RankChange), *_PEOPLE)


def proposal_rows() -> tuple[Rows, ...]:
    """What the proposal reports read: proposals, their state changes, and where people work."""
    return (Rows(Proposal), Rows(ProposalTransition, count=False), *_PEOPLE)


def score_rows(month: str) -> tuple[Rows, ...]:
    return (Rows(MonthlyScore, "month = %s", (month,)), *_PEOPLE)


def monopoly_rows() -> tuple[Rows, ...]:
    """The records of a 专卖管理员 check (SPEC 3), the applications (proposals) and the rule books."""
    return (
        *_PEOPLE,
        Rows(Qualification),
        Rows(TrainingRecord),
        Rows(AnnualRating),
        Rows(Publication),
        *proposal_rows()[:2],
        Rows(RuleBook, extra=("MAX(published_at)",)),
    )


def remember(name: str, key: tuple, rows: tuple[Rows, ...], compute: Callable[[], T], *, version: tuple = ()) -> T:
    """`compute()`'s result for (name, key), reused while the fingerprint of `rows` is unchanged.

    `version`: the fingerprint of `rows` when the caller already read it (one report reading several
    periods reads it once)."""
    version = version or fingerprint(*rows)
    database = settings.DATABASES["default"].get("NAME")
    digest = hashlib.sha256(repr((FORMAT, name, key, version, str(database))).encode()).hexdigest()[:40]
    cache_key = f"jinjie:reports:{name}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, settings.JINJIE_REPORT_CACHE_SECONDS)
    return value
