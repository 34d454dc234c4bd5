"""Qualification checks: the gap to the next rank (SPEC 5, "还差: …") and monopoly levels (SPEC 3).

The ladder gap reuses the evaluation's bulk loader with a one-employee filter, so an employee
reads their gap from exactly the facts the quarterly run would use. Monopoly checks load their
facts the same way: one query per kind of record, for one employee or for every 专卖管理员.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from jinjie.core import clock
from jinjie.org.models import OrgUnit
from jinjie.people.models import (
    AnnualKind,
    AnnualRating,
    Employee,
    Publication,
    Status,
    Track,
    TrainingKind,
    TrainingRecord,
)
from jinjie.people.models import (
    Qualification as GrantedLevel,
)
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import BooksInForce, NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.calendar import Period
from jinjie.rules.evaluate import MonopolyFacts, Qualification, check_monopoly, check_rank
from jinjie.rules.ladder import MONOPOLY_LEVELS, RANKS, TOP_STEP, level_index
from jinjie.rules.projection import Projection, project_rank

from .facts import load_ladder_facts
from .services import EvaluationError, parse_period

__all__ = [
    "LadderGap",
    "MonopolyGap",
    "Qualification",
    "ladder_gap",
    "ladder_projection",
    "latest_complete_period",
    "load_monopoly_facts",
    "monopoly_check",
    "monopoly_check_all",
    "monopoly_next_level",
]


def latest_complete_period(today: date | None = None) -> Period:
    """The quarter before the one `today` (default: core.clock's day) falls in: the latest with all
    its scores due."""
    return Period.containing(today or clock.today()).previous()


@dataclass(frozen=True)
class LadderGap:
    """What one employee still lacks for the next grade and for the next level's C grade.

    `targets` holds one engine Qualification per rank checked (next grade first); each has `met`,
    every criterion's required/actual/verdict in `reasons`, and `gap` ("还差: …" without marks).
    Empty when there is nothing above (高级A) or the employee is not on this ladder (`note` says why).
    `projections` (SPEC 5), one per target in the same order: the earliest period in which the
    time-based conditions hold if the scores stay as they are, and what else must change.
    """

    employee_no: str
    period: Period
    current_rank: str
    targets: tuple[Qualification, ...]
    note: str = ""
    # SPEC 2.3 considers a promotion only if the rank was held the whole period: after a recent
    # change the criteria may all pass and still no promotion can come before `first_period`.
    held_since: date | None = None
    first_period: Period | None = None

    @property
    def period_rule(self) -> str:
        """Why met criteria do not promote yet ("需任现职级满一个完整测评期 …"), or ""."""
        if self.first_period is None:
            return ""
        return (
            f"需任现职级满一个完整测评期：自 {self.held_since} 起任{self.current_rank}，"
            f"最早参加 {self.first_period} 的测评"
        )
    projections: tuple[Projection, ...] = ()


def _next_steps(step: int) -> list[int]:
    if step >= TOP_STEP:
        return []
    steps = [step + 1]
    # The C grade of the next level: 初级C (1), 中级C (4), 高级C (7); none above 高级.
    next_c = 1 + 3 * level_index(step)
    if next_c <= TOP_STEP and next_c != step + 1:
        steps.append(next_c)
    return steps


def ladder_gap(*, employee: Employee, period: Period | str | None = None) -> LadderGap:
    """The entry criteria of the next grade (step+1) and of the next level's C, with verdicts.

    `period` defaults to the latest complete quarter. The evaluation's gates (rank held the whole
    period, no violation) are not part of a rank's standard and are not listed here.
    """
    period = latest_complete_period() if period is None else parse_period(period)
    try:
        book = parsed_rulebook(rulebook_in_force(kind=BookKind.LADDER, on=period.start, unit=employee.org_unit))
    except NoRuleBookError as e:
        raise EvaluationError(str(e)) from None
    loaded = load_ladder_facts(period=period, employee_id=employee.pk)
    facts = loaded.facts.get(employee.pk)
    if facts is None:
        if loaded.managers:
            note = f"担任管理岗位（{loaded.managers[0][2]}），不参加职级测评"
        elif loaded.invalid:
            note = loaded.invalid[0][2]
        else:
            note = "仅在岗的客户经理、市场管理员参加职级测评"
        return LadderGap(employee.employee_no, period, employee.current_rank or RANKS[0], (), note)
    steps = _next_steps(facts.step)
    targets = tuple(check_rank(facts, period, book, step) for step in steps)
    projections = tuple(project_rank(facts, period, book, step) for step in steps)
    note = "" if targets else f"已是最高职级 {RANKS[TOP_STEP]}"
    since = facts.rank_since
    first = first_whole_period(since) if since is not None and since > period.start else None
    return LadderGap(employee.employee_no, period, RANKS[facts.step], targets, note, since, first, projections)


def first_whole_period(since: date) -> Period:
    """The first period a rank taken on `since` is held from its start (SPEC 2.3 step 4)."""
    period = Period.containing(since)
    return period if period.start == since else period.next()


def ladder_projection(*, employee: Employee, period: Period | str | None = None) -> tuple[Projection, ...]:
    """The projection of `ladder_gap` alone (the same facts, the same book)."""
    return ladder_gap(employee=employee, period=period).projections


# --- monopoly administrators (SPEC 3) ------------------------------------------------------------


def load_monopoly_facts(
    *, employee_id: int | None = None, org_unit: OrgUnit | None = None, as_of: date | None = None
) -> dict[int, tuple[Employee, MonopolyFacts]]:
    """MonopolyFacts per employee id, in five queries whatever the number of employees.

    With `employee_id`: that employee whatever their track (the caller decided they apply); without:
    every active (在岗) 专卖管理员 in `org_unit`'s subtree. `as_of` bounds only the 双能 rating
    fetched (year as_of − 1); the engine applies the other date rules itself.
    """
    if employee_id is not None:
        emp_q, rec_q = Q(pk=employee_id), Q(employee_id=employee_id)
    else:
        emp_q = Q(status=Status.ACTIVE, track=Track.MONOPOLY_ADMINISTRATOR)
        rec_q = Q(employee__status=Status.ACTIVE, employee__track=Track.MONOPOLY_ADMINISTRATOR)
        if org_unit is not None:
            emp_q &= org_unit.subtree_filter(prefix="org_unit__")
            rec_q &= org_unit.subtree_filter(prefix="employee__org_unit__")

    exams: dict[int, list] = defaultdict(list)
    for emp, day, level, passed in TrainingRecord.objects.filter(rec_q, kind=TrainingKind.LEVEL_EXAM).values_list(
        "employee_id", "date", "level", "passed"
    ):
        exams[emp].append((day, level, bool(passed)))
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    annual = AnnualRating.objects.filter(rec_q, kind=AnnualKind.SHUANGNENG)
    if as_of is not None:
        annual = annual.filter(year=as_of.year - 1)
    for emp, year, rating in annual.values_list("employee_id", "year", "rating"):
        ratings[emp][year] = rating
    publications: dict[int, list] = defaultdict(list)
    for emp, day, journal_level, author_role in Publication.objects.filter(rec_q).values_list(
        "employee_id", "date", "journal_level", "author_role"
    ):
        publications[emp].append((day, journal_level, author_role))
    granted: dict[int, dict[str, date]] = defaultdict(dict)
    for emp, level, day in GrantedLevel.objects.filter(rec_q).values_list("employee_id", "level", "granted_date"):
        granted[emp][level] = day

    out: dict[int, tuple[Employee, MonopolyFacts]] = {}
    for person in Employee.objects.filter(emp_q).select_related("org_unit").order_by("employee_no").only(
        "employee_no", "name", "org_unit__path", "track", "role_start_date", "pay_grade", "education",
        "law_cert_valid_until",
    ):
        out[person.pk] = (
            person,
            MonopolyFacts(
                employee_no=person.employee_no,
                role_start_date=person.role_start_date,
                pay_grade=person.pay_grade,
                education=person.education or None,
                exams=tuple(exams.get(person.pk, ())),
                law_cert_valid_until=person.law_cert_valid_until,
                shuangneng=ratings.get(person.pk, {}),
                publications=tuple(publications.get(person.pk, ())),
                qualifications=granted.get(person.pk, {}),
            ),
        )
    return out


def _monopoly_book(as_of: date, unit: OrgUnit | None = None):
    try:
        return parsed_rulebook(rulebook_in_force(kind=BookKind.MONOPOLY, on=as_of, unit=unit))
    except NoRuleBookError as e:
        raise EvaluationError(str(e)) from None


def _level_rule(book, level: str) -> None:
    try:
        book.level(level)
    except ValueError as e:
        raise EvaluationError(str(e)) from None


def monopoly_check(*, employee: Employee, level: str, as_of: date | None = None) -> Qualification:
    """Check one employee against a monopoly level at `as_of` (default today, Asia/Shanghai).

    The result's `reasons` are the automatic conditions (met or failed, with required/actual);
    `manual` lists what reviewers judge by hand.
    """
    as_of = as_of or timezone.localdate()
    book = _monopoly_book(as_of, employee.org_unit)
    _level_rule(book, level)
    _, facts = load_monopoly_facts(employee_id=employee.pk, as_of=as_of)[employee.pk]
    return check_monopoly(facts, level, book, as_of)


def monopoly_check_all(
    *, level: str, as_of: date | None = None, org_unit: OrgUnit | None = None
) -> list[tuple[Employee, Qualification]]:
    """Every active 专卖管理员 (in `org_unit`'s subtree) checked against `level`, by employee number,
    each with the book in force for their unit (read once)."""
    as_of = as_of or timezone.localdate()
    books = BooksInForce(kind=BookKind.MONOPOLY, on=as_of)
    try:
        _level_rule(parsed_rulebook(books.for_unit(org_unit)), level)
        return [
            (person, check_monopoly(facts, level, parsed_rulebook(books.for_path(person.org_unit.path)), as_of))
            for person, facts in load_monopoly_facts(org_unit=org_unit, as_of=as_of).values()
        ]
    except NoRuleBookError as e:
        raise EvaluationError(str(e)) from None


@dataclass(frozen=True)
class MonopolyGap:
    """A 专卖管理员's next level (the one after the highest held) and its check at `as_of`.

    `held` lists the levels granted by `as_of` as (level, granted_date), lowest first. `level` is
    None, and `qualification` too, when there is nothing to apply for (`note` says why): the top
    level is held, or the employee is not an active 专卖管理员.
    """

    employee_no: str
    as_of: date
    held: tuple[tuple[str, date], ...]
    level: str | None
    qualification: Qualification | None
    note: str = ""


def monopoly_next_level(*, employee: Employee, as_of: date | None = None) -> MonopolyGap:
    """The level a 专卖管理员 may apply for next (SPEC 3: 逐级申报), checked by `monopoly_check`.

    Levels are applied for one after another, so the next one follows the highest level granted
    by `as_of` (default today, Asia/Shanghai); with none granted it is 初级专卖管理员. A level
    granted after `as_of` is not yet held, as in the engine's held-months rule.
    """
    as_of = as_of or timezone.localdate()
    granted = GrantedLevel.objects.filter(employee=employee, granted_date__lte=as_of).values_list("level", "granted_date")
    known = (row for row in granted if row[0] in MONOPOLY_LEVELS)
    held = tuple(sorted(known, key=lambda row: MONOPOLY_LEVELS.index(row[0])))
    if employee.track != Track.MONOPOLY_ADMINISTRATOR or employee.status != Status.ACTIVE:
        return MonopolyGap(employee.employee_no, as_of, held, None, None, "仅在岗的专卖管理员申报专卖管理员等级")
    following = MONOPOLY_LEVELS.index(held[-1][0]) + 1 if held else 0
    if following >= len(MONOPOLY_LEVELS):
        note = f"已取得最高等级 {MONOPOLY_LEVELS[-1]}，没有可申报的下一等级"
        return MonopolyGap(employee.employee_no, as_of, held, None, None, note)
    level = MONOPOLY_LEVELS[following]
    return MonopolyGap(
        employee.employee_no, as_of, held, level, monopoly_check(employee=employee, level=level, as_of=as_of)
    )
