"""The facts of a whole scope for one period, in a handful of queries (SPEC 2.1; ARCHITECTURE 10).

One query per kind of record, whatever the number of employees: the employees themselves (with
their latest rank change as one correlated sub-select), the three monthly scores, the 考试
records of the last twelve months, the ability scores of the period, and the violations and
contributions dated in it. Rows come back as tuples (`values_list`), never model instances, and
the scope is a join on the employee and its org unit's stored path — never a Python list of ids,
which would hit SQLite's limit on bound parameters for a large bureau.

The same loader serves the quarterly run (a whole org subtree) and the self-service gap (one
employee): there is one implementation of "what the engine is told".

Who holds a management post (竞聘任职, SPEC 4) on the period's last day leaves the evaluation while
holding it (their ladder rank is kept): the employees query reads the post held (a sub-select, no
query more) and such employees are listed apart (`managers`), so that a run can say "管理岗, 不参加测评
N 人". The last day
rather than the first: someone appointed during the quarter is a manager when the quarter is
evaluated, and someone released during it is back on the ladder.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connections, router
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.org.models import OrgUnit
from jinjie.people.models import (
    Contribution,
    Employee,
    RankChange,
    Status,
    TrainingKind,
    TrainingRecord,
    Violation,
)
from jinjie.people.selectors import management_post_holders
from jinjie.rules.calendar import Period
from jinjie.rules.evaluate import LadderFacts
from jinjie.rules.ladder import LADDER_TRACKS, RANKS, was_demotion

__all__ = ["CHUNK_SIZE", "LoadedFacts", "ladder_fact_chunks", "ladder_scope_filter", "load_ladder_facts"]

# Employees per chunk of a bulk read: large enough that the per-query cost is spread thin
# (10 chunks at 100,000), small enough that a chunk's facts stay a few tens of MiB.
CHUNK_SIZE = 10_000

_RANK_STEP = {name: i for i, name in enumerate(RANKS)}


@dataclass
class LoadedFacts:
    """The engine's input for a scope: employee id → facts, plus the employees it cannot evaluate.

    `facts` keeps the employees' order (by employee_no), so runs and exports are reproducible.
    `invalid` lists (employee id, employee_no, Chinese reason) for rows the engine must not see,
    e.g. a 客户经理 whose stored rank is not a rank of the ladder.
    """

    facts: dict[int, LadderFacts] = field(default_factory=dict)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)
    # (employee id, employee_no, post): holders of a management post, not evaluated (管理岗, 不参加测评).
    managers: list[tuple[int, str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.facts)


def ladder_scope_filter(*, org_unit: OrgUnit | None = None, employee_id: int | None = None, prefix: str = "") -> Q:
    """Who the quarterly evaluation covers: active (在岗) customer managers and market administrators.

    `prefix` ('employee__') applies the same condition to a record table through its employee,
    so every query of a run selects exactly the same people.
    """
    q = Q(**{f"{prefix}status": Status.ACTIVE, f"{prefix}track__in": LADDER_TRACKS})
    if org_unit is not None:
        q &= org_unit.subtree_filter(prefix=f"{prefix}org_unit__")
    if employee_id is not None:
        q &= Q(**{f"{prefix}pk" if not prefix else f"{prefix}id": employee_id})
    return q


# Joins the latest rank change's from_rank and to_rank in one sub-select. Split at its first
# occurrence, a text holding it gives a part holding it: not a rank, as it was not before.
_PAIR = "\x1f"


def _employees(scope: Q, holders: QuerySet, order: str) -> QuerySet:
    # The latest rank change as one sub-select returning both ranks, instead of one per column:
    # each is an index probe per employee (10,000 a chunk). (employee, effective_date) is unique
    # (rank_change_key), so the date alone orders them and the index gives the row with no sort.
    latest = RankChange.objects.filter(employee=OuterRef("pk")).order_by("-effective_date")
    post = holders.filter(employee=OuterRef("pk")).order_by("-start_date", "-id")
    return (
        Employee.objects.filter(scope)
        .annotate(
            last_change=Subquery(latest.values(pair=Concat("from_rank", Value(_PAIR), "to_rank"))[:1]),
            post=Subquery(post.values("post")[:1]),
        )
        .order_by(order)
        .values_list(
            "pk",
            "employee_no",
            "track",
            "current_rank",
            _day("role_start_date"),
            "education",
            "vocational_level",
            _day("rank_since"),
            "last_change",
            "post",
        )
    )


class _Converted(dict):
    """Raw database value → the value Django would return for one column, each distinct value
    converted once. A quarter's facts are ~500,000 scores and dates but only a few hundred distinct
    ones; the same Decimal or date object is then shared by every employee who has it."""

    __slots__ = ("converters", "expression", "connection")

    def __init__(self, converters, expression, connection) -> None:
        super().__init__()
        self.converters = converters
        self.expression = expression
        self.connection = connection

    def __missing__(self, raw):
        value = raw
        for convert in self.converters:
            value = convert(value, self.expression, self.connection)
        self[raw] = value
        return value


def _day(name: str):
    """A date column as the loader selects it. On SQLite, its stored ISO text, which `_rows` parses
    once per distinct day: selected as the column itself, every value would go through sqlite3's
    converter (a Python call per value, 340,000 at 100,000 employees). PostgreSQL returns dates."""
    if connections[router.db_for_read(Employee)].vendor == "sqlite":
        return Cast(name, output_field=CharField())
    return F(name)


def _rows(
    qs: QuerySet, days: tuple[int, ...] = (), reader=None
) -> tuple[list[tuple], list[Callable[[Any], Any]]]:
    """The rows of a `values_list` query as the database returns them, and per column the function
    that gives Django's value (dates from SQLite's text, decimals from its floats; nothing to do on
    PostgreSQL): a memo of each distinct value (`_Converted`), applied by the caller to the few
    values the engine needs, instead of Django's converter calls per row and column.
    `days`: the positions of columns selected with `_day`. `reader`: a connection to run it on
    instead of the queryset's own (the run's snapshot reader, evaluations.services)."""
    compiler = qs.query.get_compiler(using=qs.db) if reader is None else qs.query.get_compiler(connection=reader)
    sql, params = compiler.as_sql()
    width = compiler.col_count
    connection = compiler.connection
    converters = compiler.get_converters([expression for expression, _, _ in compiler.select[:width]])
    if connection.vendor == "sqlite":
        converters.update({i: ([_as_date], None) for i in days})
    getters = [_Converted(*converters.get(i, ((), None)), connection).__getitem__ for i in range(width)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall(), getters


def _as_date(value, expression, connection):
    """A converter (Django's signature) for a `_day` column on SQLite."""
    return None if value is None else date.fromisoformat(value)


def _dates_by_employee(qs: QuerySet, reader=None) -> dict[int, list[date]]:
    out: dict[int, list[date]] = defaultdict(list)
    rows, (_, as_date) = _rows(qs.values_list("employee_id", _day("date")), days=(1,), reader=reader)
    for emp, day in rows:
        out[emp].append(as_date(day))
    return out


def load_ladder_facts(
    *, period: Period, org_unit: OrgUnit | None = None, employee_id: int | None = None
) -> LoadedFacts:
    """LadderFacts for everyone the evaluation of `period` covers in `org_unit`'s subtree (or all),
    in one piece, ordered by employee_no.

    With `employee_id`, the same queries restricted to that employee (self-service gap). An
    employee outside the evaluation (left, or a 专卖管理员) gives an empty result. A bulk path over
    a whole bureau reads `ladder_fact_chunks` instead.
    """
    emp_scope = ladder_scope_filter(org_unit=org_unit, employee_id=employee_id)
    rec_scope = ladder_scope_filter(org_unit=org_unit, employee_id=employee_id, prefix="employee__")
    employees = _employees(emp_scope, _holders(period), "employee_no")
    loaded, _ = _load(period, employees, rec_scope)
    return loaded


def ladder_fact_chunks(
    *, period: Period, org_unit: OrgUnit | None = None, chunk_size: int | None = None, reader=None
) -> Iterator[LoadedFacts]:
    """The same facts as `load_ladder_facts`, as consecutive chunks of at most `chunk_size`
    employees by id (keyset: each chunk starts after the last id of the one before).

    Six queries per chunk. Within a chunk and across chunks the order is by employee id; callers
    that show lists sort them (the run sorts its problems by employee_no). `reader`: a database
    connection to read them on instead of the default one (it must see the same data)."""
    chunk_size = chunk_size or CHUNK_SIZE  # read when called: a test may make chunks small
    emp_scope = ladder_scope_filter(org_unit=org_unit)
    holders = _holders(period)
    after = 0
    while True:
        employees = _employees(emp_scope & Q(pk__gt=after), holders, "pk")[:chunk_size]
        # The records' scope is built per chunk in _load, from emp_scope and the chunk's id range.
        loaded, last = _load(period, employees, None, after=after, emp_scope=emp_scope, reader=reader)
        if last is None:
            return
        yield loaded
        del loaded  # not held while the next chunk is read
        if last[1] < chunk_size:
            return
        after = last[0]


def _holders(period: Period) -> QuerySet:
    return management_post_holders(on=period.boundary - timedelta(days=1))


def _load(
    period: Period, employees: QuerySet, rec_scope: Q | None, *, after: int | None = None, emp_scope: Q | None = None,
    reader=None,
) -> tuple[LoadedFacts, tuple[int, int] | None]:
    """The facts of the employees `employees` selects, and (their last id, how many) — None when
    it selects nobody. The employees are read first. Without `after`, the records are those
    `rec_scope` selects; with it (a chunk), those of the employees of `emp_scope` whose ids are in
    (after, last id]."""
    people, getters = _rows(employees, days=(4, 7), reader=reader)
    if not people:
        return LoadedFacts(), None
    last_id = people[-1][0]
    if after is not None:
        # The chunk's records: by their own employee_id range, and in scope through a sub-select
        # bounded by the same range. Joined to the employees instead, PostgreSQL could not carry
        # the range over to them and read every employee for each chunk (56 of 151 ms).
        in_chunk = Employee.objects.filter(emp_scope, pk__gt=after, pk__lte=last_id).values("pk")
        rec_scope = Q(employee_id__gt=after, employee_id__lte=last_id, employee_id__in=in_chunk)
    start, boundary = period.start, period.boundary
    # One row per employee with the three months side by side (the (employee, month) key is
    # unique, so MAX picks the one score); a missing month is NULL.
    m1, m2, m3 = period.months
    score = DecimalField(max_digits=5, decimal_places=2)
    rows, (_, d1, d2, d3) = _rows(
        MonthlyScore.objects.filter(rec_scope, month__in=period.months)
        .order_by()
        .values("employee_id")
        .annotate(
            s1=Max(Case(When(month=m1, then="score")), output_field=score),
            s2=Max(Case(When(month=m2, then="score")), output_field=score),
            s3=Max(Case(When(month=m3, then="score")), output_field=score),
        )
        .values_list("employee_id", "s1", "s2", "s3"),
        reader=reader,
    )
    scores = {emp: (d1(s1), d2(s2), d3(s3)) for emp, s1, s2, s3 in rows}

    # 考试 records of [boundary − 12 months, boundary); a record without a score carries no
    # training score. The engine counts the most recent dated one, the highest on that date:
    # only that one is kept, and converted. The values are compared as read: ISO text and floats
    # on SQLite order as the dates and decimals they become.
    rows, (_, as_date, as_score) = _rows(
        TrainingRecord.objects.filter(
            rec_scope, kind=TrainingKind.EXAM, date__gte=period.lookback_start, date__lt=boundary,
            score__isnull=False,
        ).values_list("employee_id", _day("date"), "score"),
        days=(1,),
        reader=reader,
    )
    best_exam: dict[int, tuple] = {}
    for emp, day, score in rows:
        best = best_exam.get(emp)
        if best is None or day > best[0] or (day == best[0] and score > best[1]):
            best_exam[emp] = (day, score)
    exams = {emp: (as_date(day), as_score(score)) for emp, (day, score) in best_exam.items()}
    rows, (_, as_score) = _rows(
        AbilityScore.objects.filter(rec_scope, period=str(period)).values_list("employee_id", "score"), reader=reader
    )
    ability = {emp: as_score(score) for emp, score in rows}
    violations = _dates_by_employee(Violation.objects.filter(rec_scope, date__gte=start, date__lt=boundary), reader)
    contributions = _dates_by_employee(Contribution.objects.filter(rec_scope, date__gte=start, date__lt=boundary), reader)

    loaded = LoadedFacts()
    facts = loaded.facts
    no_scores = (None, None, None)
    no_dates = ()
    as_date, as_day = getters[4], getters[7]
    for pk, no, track, rank, role_start, education, vocational, rank_since, last_change, post in people:
        if post is not None:
            loaded.managers.append((pk, no, post))
            continue
        step = _RANK_STEP.get(rank or "见习")
        if step is None:
            loaded.invalid.append((pk, no, f"当前职级“{rank}”不是{track}的职级，无法测评"))
            continue
        exam = exams.get(pk)
        dates = violations.get(pk)
        credits = contributions.get(pk)
        facts[pk] = LadderFacts(
            employee_no=no,
            track=track,
            step=step,
            scores=scores.get(pk, no_scores),
            role_start_date=as_date(role_start),
            education=education or None,
            vocational_level=vocational or None,
            exams=(exam,) if exam is not None else no_dates,
            ability=ability.get(pk),
            violation_dates=tuple(dates) if dates else no_dates,
            contribution_dates=tuple(credits) if credits else no_dates,
            rank_since=as_day(rank_since),
            previous_change_was_demotion=last_change is not None and was_demotion(*last_change.split(_PAIR, 1)),
        )
    return loaded, (last_id, len(people))
