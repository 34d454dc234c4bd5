"""A hand-built bureau for the reports: 甲市局 with two counties (甲县局, 丙县局) and people of its own,
乙市局 beside it (never counted), one login per role, and SPEC 8's worked examples evaluated for
2026Q3 so that every number of the outcome reports can be worked out by hand:

| who | unit | track | 2026Q3 outcome |
|---|---|---|---|
| A  | 甲县局 | 客户经理 | 初级B → 初级A 晋档 (case A) |
| B  | 甲县局 | 客户经理 | 初级A → 中级C 晋级 (case B) |
| C  | 甲县局 | 客户经理 | 初级A 保持: 本岗位任职 30 < 36 个月 (case C) |
| D  | 甲县局 | 客户经理 | 中级C → 中级A 跳档 (case D) |
| E  | 甲县局 | 客户经理 | 中级B → 中级C 降档 (case E) |
| F  | 甲县局 | 客户经理 | 初级C → 见习 降级 (case F) |
| G  | 甲县局 | 客户经理 | 初级B 保持: 违规 (case G) |
| H  | 甲县局 | 客户经理 | 初级B 数据不全 (case H) |
| A2 | 丙县局 | 客户经理 | 初级B → 初级A 晋档 |
| E2 | 丙县局 | 客户经理 | 中级B → 中级C 降档 |
| C2 | 丙县局 | 市场管理员 | 初级A 保持 (as C) |
| X  | 甲市局 | 客户经理 | 初级B → 初级A 晋档 |
| Y  | 乙市局 | 客户经理 | 初级B → 初级A 晋档 |
"""

from datetime import date
from decimal import Decimal

import pytest
from bureau import make_user
from django.core.cache import cache

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.org.models import OrgKind, OrgUnit, Role
from jinjie.people.models import Contribution, Employee, RankChange, TrainingRecord, Violation
from jinjie.rulebooks.services import rulebook_load_defaults

MONTHS = ("2026-07", "2026-08", "2026-09")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Report aggregates are cached under a fingerprint of ids and counts; a test database rolled
    # back between tests (SQLite) gives the next test the same ids, so no test reads another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    province = OrgUnit.objects.create(name="某省公司", kind=OrgKind.PROVINCE)
    city_a = OrgUnit.objects.create(name="甲市局", kind=OrgKind.CITY, parent=province)
    county_a = OrgUnit.objects.create(name="甲县局", kind=OrgKind.COUNTY, parent=city_a)
    county_c = OrgUnit.objects.create(name="丙县局", kind=OrgKind.COUNTY, parent=city_a)
    city_b = OrgUnit.objects.create(name="乙市局", kind=OrgKind.CITY, parent=province)
    return {"province": province, "city_a": city_a, "county_a": county_a, "county_c": county_c, "city_b": city_b}


@pytest.fixture
def users(tree):
    a = tree["city_a"]
    return {
        Role.HR: make_user("hr", Role.HR, a),
        Role.ASSESSOR: make_user("assessor", Role.ASSESSOR, a),
        Role.TRACK_REVIEWER: make_user("reviewer", Role.TRACK_REVIEWER, a, track="客户经理"),
        Role.COMMITTEE: make_user("committee", Role.COMMITTEE, a),
        Role.LEADER: make_user("leader", Role.LEADER, a),
        Role.DIRECTOR: make_user("director", Role.DIRECTOR, a),
        Role.DISCIPLINE: make_user("discipline", Role.DISCIPLINE, a),
        "leader_county": make_user("leader_c", Role.LEADER, tree["county_c"]),
        "leader_b": make_user("leader_b", Role.LEADER, tree["city_b"]),
        "hr_b": make_user("hr_b", Role.HR, tree["city_b"]),
    }


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
    **extra,
) -> Employee:
    """An employee with the records of SPEC 2.1 for 2026Q3 (scores in month order, None = missing)."""
    employee = Employee.objects.create(
        employee_no=no, name=f"员工{no}", org_unit=unit, track=track, role_start_date=role_since,
        education=education, vocational_level=vocational, current_rank=rank, rank_since=rank_since, **extra,
    )
    for month, score in zip(MONTHS, scores, strict=False):
        if score is not None:
            MonthlyScore.objects.create(employee=employee, month=month, score=Decimal(str(score)))
    if training is not None:
        TrainingRecord.objects.create(employee=employee, date=date(2026, 6, 15), kind="考试", course="季度考试",
                                      score=Decimal(str(training)))
    if ability is not None:
        AbilityScore.objects.create(employee=employee, period="2026Q3", score=Decimal(str(ability)))
    for i, day in enumerate(violations):
        Violation.objects.create(employee=employee, date=day, severity="一般", description=f"违规{i}")
    for i, day in enumerate(contributions):
        Contribution.objects.create(employee=employee, date=day, description=f"贡献{i}")
    if previous_change is not None:
        RankChange.objects.create(employee=employee, effective_date=rank_since or date(2026, 1, 1),
                                  from_rank=previous_change[0], to_rank=previous_change[1])
    return employee


def _case_a(no, unit, **extra):
    return make_employee(no, unit, rank="初级B", role_since=date(2024, 1, 15), education="高中", vocational="五级",
                         scores=(85, 86, 84), training=70, **extra)


def _case_c(no, unit, **extra):
    return make_employee(no, unit, rank="初级A", role_since=date(2024, 4, 1), education="高中", vocational="四级",
                         scores=(88, 87, 86), training=75, ability=72, **extra)


def _case_e(no, unit, **extra):
    return make_employee(no, unit, rank="中级B", scores=(74, 80, 81), **extra)


def build_cases(tree) -> dict[str, Employee]:
    a, c = tree["county_a"], tree["county_c"]
    return {
        "A": _case_a("A", a),
        "B": make_employee("B", a, rank="初级A", role_since=date(2024, 4, 1), education="大专", vocational="四级",
                           scores=(88, 87, 86), training=75, ability=72),
        "C": _case_c("C", a),
        "D": make_employee("D", a, rank="中级C", role_since=date(2019, 3, 1), education="本科", vocational="四级",
                           scores=(96, 97, 95), training=80, ability=80),
        "E": _case_e("E", a),
        "F": make_employee("F", a, rank="初级C", scores=(55, 58, 90), previous_change=("初级B", "初级C")),
        "G": _case_a("G", a, violations=[date(2026, 8, 3)]),
        "H": make_employee("H", a, rank="初级B", role_since=date(2024, 1, 15), education="高中", vocational="五级",
                           scores=(85, 86, None), training=70),
        "A2": _case_a("A2", c),
        "E2": _case_e("E2", c),
        "C2": _case_c("C2", c, track="市场管理员"),
        "X": _case_a("X", tree["city_a"]),
        "Y": _case_a("Y", tree["city_b"]),
    }


@pytest.fixture
def books(db):
    return rulebook_load_defaults()


@pytest.fixture
def cases(tree, books):
    return build_cases(tree)


@pytest.fixture
def evaluated(cases):
    """2026Q3 evaluated over every unit; the proposals by employee number."""
    from jinjie.evaluations.models import Proposal
    from jinjie.evaluations.services import evaluation_run

    evaluation_run(period="2026Q3")
    return {p.employee.employee_no: p for p in Proposal.objects.select_related("employee")}


@pytest.fixture
def make():
    """The employee builder, as a fixture (test modules do not import conftest)."""
    return make_employee
