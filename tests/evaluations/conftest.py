"""Builders for evaluation tests: an org tree, the default rule books, employees with their records."""

from datetime import date
from decimal import Decimal

import pytest

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.org.models import OrgUnit
from jinjie.people.models import Contribution, Employee, RankChange, TrainingRecord, Violation
from jinjie.rulebooks.services import rulebook_load_defaults

PERIOD = "2026Q3"
MONTHS = ("2026-07", "2026-08", "2026-09")


@pytest.fixture
def books():
    ladder, monopoly = rulebook_load_defaults()
    return ladder, monopoly


@pytest.fixture
def tree():
    province = OrgUnit.objects.create(name="东海省局", kind="province")
    city = OrgUnit.objects.create(name="临江市局", parent=province, kind="city")
    county = OrgUnit.objects.create(name="青山县局", parent=city)
    other = OrgUnit.objects.create(name="临江市局二", parent=province, kind="city")
    return {"province": province, "city": city, "county": county, "other": other}


def make_employee(
    no: str,
    unit: OrgUnit,
    *,
    rank: str = "见习",
    track: str = "客户经理",
    role_since: date = date(2020, 1, 1),
    education: str = "高中",
    vocational: str = "",
    rank_since: date | None = date(2026, 1, 1),
    scores=(),
    training=None,
    ability=None,
    violations=(),
    contributions=(),
    previous_change: tuple[str, str] | None = None,
    status: str = "在岗",
    **extra,
) -> Employee:
    """An employee and the records of SPEC 2.1 for 2026Q3; scores are given in month order (None = missing)."""
    employee = Employee.objects.create(
        employee_no=no,
        name=f"员工{no}",
        org_unit=unit,
        track=track,
        role_start_date=role_since,
        education=education,
        vocational_level=vocational,
        current_rank=rank,
        rank_since=rank_since,
        status=status,
        **extra,
    )
    for month, score in zip(MONTHS, scores, strict=False):
        if score is not None:
            MonthlyScore.objects.create(employee=employee, month=month, score=Decimal(str(score)))
    if training is not None:
        TrainingRecord.objects.create(
            employee=employee, date=date(2026, 6, 15), kind="考试", course="季度考试", score=Decimal(str(training))
        )
    if ability is not None:
        AbilityScore.objects.create(employee=employee, period=PERIOD, score=Decimal(str(ability)))
    for i, day in enumerate(violations):
        Violation.objects.create(employee=employee, date=day, severity="一般", description=f"违规{i}")
    for i, day in enumerate(contributions):
        Contribution.objects.create(employee=employee, date=day, description=f"贡献{i}")
    if previous_change is not None:
        RankChange.objects.create(
            employee=employee, effective_date=rank_since or date(2026, 1, 1),
            from_rank=previous_change[0], to_rank=previous_change[1],
        )
    return employee


def worked_examples(unit: OrgUnit) -> dict[str, Employee]:
    """SPEC 8's cases A–H, as records in the database (period 2026Q3, rank held since 2026-01-01)."""
    return {
        "A": make_employee("A", unit, rank="初级B", role_since=date(2024, 1, 15), education="高中", vocational="五级",
                           scores=(85, 86, 84), training=70),
        "B": make_employee("B", unit, rank="初级A", role_since=date(2024, 4, 1), education="大专", vocational="四级",
                           scores=(88, 87, 86), training=75, ability=72),
        "C": make_employee("C", unit, rank="初级A", role_since=date(2024, 4, 1), education="高中", vocational="四级",
                           scores=(88, 87, 86), training=75, ability=72),
        "D": make_employee("D", unit, rank="中级C", role_since=date(2019, 3, 1), education="本科", vocational="四级",
                           scores=(96, 97, 95), training=80, ability=80),
        "E": make_employee("E", unit, rank="中级B", scores=(74, 80, 81)),
        "F": make_employee("F", unit, rank="初级C", scores=(55, 58, 90), previous_change=("初级B", "初级C")),
        "G": make_employee("G", unit, rank="初级B", role_since=date(2024, 1, 15), education="高中", vocational="五级",
                           scores=(85, 86, 84), training=70, violations=[date(2026, 8, 3)]),
        "H": make_employee("H", unit, rank="初级B", role_since=date(2024, 1, 15), education="高中", vocational="五级",
                           scores=(85, 86, None), training=70),
    }


@pytest.fixture
def examples(books, tree):
    return worked_examples(tree["county"])


@pytest.fixture
def make(books):
    """The employee builder, as a fixture (test modules do not import conftest)."""
    return make_employee
