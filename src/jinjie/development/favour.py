"""The favour lists' facts for a year and a subtree, in a handful of queries whatever its size
(SPEC 2.6), handed to the pure jinjie.rules.favour. Shared by drawing a list and by the export."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from jinjie.assessments.models import MonthlyScore
from jinjie.core.errors import DomainError
from jinjie.evaluations.facts import ladder_scope_filter
from jinjie.org.models import OrgUnit
from jinjie.people.models import AnnualKind, AnnualRating, Employee, RankChange, Violation
from jinjie.rulebooks.models import BookKind, RuleBook
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.favour import FAVOUR_KINDS, FavourFacts, favour_list, rank_held_on
from jinjie.rules.ladder import RANKS

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class DrawnRow:
    employee_id: int
    employee_no: str
    name: str
    org_unit: str
    track: str
    rank: str
    avg: Decimal | None
    bonus: Decimal | None
    score: Decimal | None
    position: int | None
    excluded: str


def check_year_kind(year, kind) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError("年度应为四位数字，如 2026") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(f"年度应在 {MIN_YEAR} 到 {MAX_YEAR} 之间")
    if kind not in FAVOUR_KINDS:
        raise DomainError(f"名单类别应为：{'、'.join(FAVOUR_KINDS)}")
    return year


def favour_compute(*, year: int, kind: str, org_unit: OrgUnit | None) -> tuple[RuleBook, list[DrawnRow]]:
    """Every active 客户经理/市场管理员 of the subtree, ranked or excluded with the reason: five queries."""
    year = check_year_kind(year, kind)
    dec31 = date(year, 12, 31)
    try:
        book = rulebook_in_force(kind=BookKind.LADDER, on=dec31, unit=org_unit)
    except NoRuleBookError as e:
        raise DomainError(str(e)) from None
    bonus = parsed_rulebook(book).favour_bonus
    emp_q = ladder_scope_filter(org_unit=org_unit)
    rec_q = ladder_scope_filter(org_unit=org_unit, prefix="employee__")
    ratings = dict(
        AnnualRating.objects.filter(rec_q, year=year, kind=AnnualKind.ANNUAL).values_list("employee_id", "rating")
    )
    severities: dict[int, list[str]] = defaultdict(list)
    for emp, severity in Violation.objects.filter(rec_q, date__year=year).values_list("employee_id", "severity"):
        severities[emp].append(severity)
    scores = {
        emp: (n, total)
        for emp, n, total in MonthlyScore.objects.filter(rec_q, month__startswith=f"{year}-")
        .order_by()
        .values("employee_id")
        .annotate(n=Count("id"), total=Sum("score"))
        .values_list("employee_id", "n", "total")
    }
    history: dict[int, list[tuple]] = defaultdict(list)
    for emp, day, from_rank, to_rank in RankChange.objects.filter(rec_q).order_by(
        "employee_id", "effective_date", "id"
    ).values_list("employee_id", "effective_date", "from_rank", "to_rank"):
        history[emp].append((day, from_rank, to_rank))
    people = {}
    facts = []
    for pk, no, name, path, track, current in Employee.objects.filter(emp_q).order_by("employee_no").values_list(
        "pk", "employee_no", "name", "org_unit__path", "track", "current_rank"
    ):
        held = rank_held_on(history.get(pk, ()), dec31, current)
        step = RANKS.index(held) if held in RANKS else 0
        n, total = scores.get(pk, (0, None))
        people[no] = (pk, name, path, track, RANKS[step])
        facts.append(FavourFacts(no, step, ratings.get(pk), tuple(severities.get(pk, ())), n, Decimal(total or 0)))
    rows = []
    for r in favour_list(facts, bonus=bonus):
        pk, name, path, track, rank = people[r.employee_no]
        rows.append(DrawnRow(pk, r.employee_no, name, path, track, rank, r.avg, r.bonus, r.score, r.position, r.excluded))
    return book, rows
