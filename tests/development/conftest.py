"""A bureau for the career-development tests: 甲市局 (甲县局, 丙县局 under it) and 乙市局; an HR clerk,
a unit leader and a committee member in 甲市局; employees with logins: 张三 (初级A, SPEC 8 case C —
short of 中级C by months in role), 孙老师 (中级B, a mentor), 王五 in 乙市局."""

from datetime import date
from decimal import Decimal

import pytest
from bureau import make_employee, make_tree, make_user
from django.core.cache import cache

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.org.models import OrgKind, OrgUnit, Role
from jinjie.people.models import TrainingRecord


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today(monkeypatch):
    """today(date): the clock development reads (approvals.clock.today)."""
    from jinjie.approvals import clock

    def set_today(day):
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    set_today(date(2026, 10, 9))
    return set_today


@pytest.fixture
def tree(db):
    t = make_tree()
    t["county_c"] = OrgUnit.objects.create(name="丙县局", kind=OrgKind.COUNTY, parent=t["city_a"])
    return t


def give_quarter(employee, scores, months=("2026-07", "2026-08", "2026-09"), training=75, ability=72):
    for month, score in zip(months, scores, strict=True):
        MonthlyScore.objects.create(employee=employee, month=month, score=Decimal(str(score)))
    TrainingRecord.objects.create(employee=employee, date=date(2026, 6, 1), kind="考试", score=Decimal(training))
    AbilityScore.objects.create(employee=employee, period="2026Q3", score=Decimal(ability))


@pytest.fixture
def staff(tree, rulebooks):
    zhang = make_employee(
        tree["county_a"], "A001", "张三", current_rank="初级A", role_start_date=date(2024, 4, 1), education="高中",
        vocational_level="四级",
    )
    give_quarter(zhang, (88, 87, 86))
    sun = make_employee(tree["county_a"], "A002", "孙老师", current_rank="中级B", role_start_date=date(2015, 1, 1))
    zhao = make_employee(tree["county_a"], "A003", "赵六", current_rank="初级B")
    wang = make_employee(tree["city_b"], "B001", "王五")
    return {"zhang": zhang, "sun": sun, "zhao": zhao, "wang": wang}


@pytest.fixture
def users(tree, staff):
    a = tree["city_a"]
    return {
        "hr": make_user("hr", Role.HR, a, first_name="人事"),
        "leader": make_user("leader", Role.LEADER, a),
        "committee": make_user("committee", Role.COMMITTEE, a),
        "zhang": make_user("zhang", Role.EMPLOYEE, tree["county_a"], employee=staff["zhang"]),
        "sun": make_user("sun", Role.EMPLOYEE, tree["county_a"], employee=staff["sun"]),
        "zhao": make_user("zhao", Role.EMPLOYEE, tree["county_a"], employee=staff["zhao"]),
        "wang": make_user("wang", Role.EMPLOYEE, tree["city_b"], employee=staff["wang"]),
        "hr_b": make_user("hr_b", Role.HR, tree["city_b"]),
    }


@pytest.fixture
def rulebooks(db):
    from jinjie.assessments.schemes import schemes_load_defaults
    from jinjie.rulebooks.services import rulebook_load_defaults

    rulebook_load_defaults()
    schemes_load_defaults()


@pytest.fixture
def web(users):
    from django.test import Client

    def make(key):
        client = Client()
        client.force_login(users[key])
        return client

    return make


@pytest.fixture
def api(users):
    from rest_framework.test import APIClient

    def make(key):
        client = APIClient()
        client.force_authenticate(users[key])
        return client

    return make
