"""Who may apply (SPEC 4): the applicants' facts at the 报名 deadline, loaded in a handful of queries
whatever their number, checked by the pure engine (rules.selection) against the selection's criteria.

The facts are those known when the check runs: an applicant sees the check as of the deadline while
applying, and the check is frozen (stored on the application) when 报名 closes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from jinjie.people.models import (
    AnnualKind,
    AnnualRating,
    Employee,
    Qualification,
    RankChange,
    Violation,
)
from jinjie.rules.book import RuleBookError
from jinjie.rules.calendar import add_months
from jinjie.rules.ladder import MONOPOLY_LEVELS, RANKS, monopoly_level_rank
from jinjie.rules.selection import ApplicantFacts, Eligibility, check_eligibility, parse_criteria

from .models import Selection
from .workflow import SelectionError

_CHUNK = 900  # ids per IN (…): under SQLite's oldest limit of 999 bound parameters


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def selection_criteria(selection: Selection):
    try:
        return parse_criteria(selection.criteria)
    except RuleBookError as e:
        raise SelectionError(f"竞聘“{selection.code}”的报名条件有误：{e}") from None


def _rank_on(current: str, history: list[tuple[date, str, str]], day: date) -> str:
    """The rank held on `day` by the rank history (sorted), else the stored current rank."""
    if not history:
        return current or RANKS[0]
    held = [to_rank for effective, _, to_rank in history if effective <= day]
    if held:
        return held[-1]
    return history[0][1] or RANKS[0]


def load_applicant_facts(employee_ids: Iterable[int], deadline: date) -> dict[int, ApplicantFacts]:
    """ApplicantFacts per employee id, at `deadline`: six queries (per 900 employees)."""
    ids = sorted(set(employee_ids))
    people: dict[int, tuple] = {}
    history: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    levels: dict[int, list[str]] = defaultdict(list)
    violations: dict[int, list[tuple[date, str]]] = defaultdict(list)
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    since = add_months(deadline, -12)
    for chunk in _chunks(ids):
        for row in Employee.objects.filter(pk__in=chunk).values_list(
            "pk", "track", "current_rank", "hire_date", "birth_date", "education"
        ):
            people[row[0]] = row
        for emp, effective, from_rank, to_rank in (
            RankChange.objects.filter(employee_id__in=chunk)
            .order_by("employee_id", "effective_date", "id")
            .values_list("employee_id", "effective_date", "from_rank", "to_rank")
        ):
            history[emp].append((effective, from_rank, to_rank))
        for emp, level in Qualification.objects.filter(employee_id__in=chunk, granted_date__lte=deadline).values_list(
            "employee_id", "level"
        ):
            levels[emp].append(level)
        for emp, day, severity in Violation.objects.filter(
            employee_id__in=chunk, date__gte=since, date__lt=deadline
        ).values_list("employee_id", "date", "severity"):
            violations[emp].append((day, severity))
        for emp, year, rating in AnnualRating.objects.filter(
            employee_id__in=chunk, kind=AnnualKind.ANNUAL, year=deadline.year - 1
        ).values_list("employee_id", "year", "rating"):
            ratings[emp][year] = rating
    out: dict[int, ApplicantFacts] = {}
    for pk, track, current, hire, birth, education in people.values():
        held = [lv for lv in levels.get(pk, ()) if lv in MONOPOLY_LEVELS]
        if not held and current in MONOPOLY_LEVELS:
            held = [current]  # a level imported as the current rank, without its qualification row
        out[pk] = ApplicantFacts(
            track=track,
            ladder_rank=_rank_on(current, history.get(pk, []), deadline) if current not in MONOPOLY_LEVELS else None,
            monopoly_level=max(held, key=monopoly_level_rank) if held else None,
            hire_date=hire,
            birth_date=birth,
            education=education or None,
            violations=tuple(violations.get(pk, ())),
            annual_ratings=ratings.get(pk, {}),
        )
    return out


def check_employees(selection: Selection, employee_ids: Iterable[int]) -> dict[int, Eligibility]:
    criteria = selection_criteria(selection)
    facts = load_applicant_facts(employee_ids, selection.deadline)
    return {pk: check_eligibility(criteria, f, selection.deadline) for pk, f in facts.items()}


def check_employee(selection: Selection, employee: Employee) -> Eligibility:
    return check_employees(selection, [employee.pk])[employee.pk]


def reasons_json(eligibility: Eligibility) -> list[dict]:
    return [r._asdict() for r in eligibility.reasons]
