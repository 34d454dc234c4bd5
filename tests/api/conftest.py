"""A small bureau with one login per role in 甲市局 and a second city, 乙市局, that they must not see."""

from datetime import date

import pytest
from bureau import PASSWORD, make_employee, make_tree, make_user  # noqa: F401 - re-exported to the tests
from rest_framework.test import APIClient

from jinjie.org.models import Role


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def staff(tree):
    """Employees: two in 甲县局 (under 甲市局), one in 乙市局."""
    return {
        "zhang": make_employee(tree["county_a"], "A001", "张三"),
        "li": make_employee(tree["county_a"], "A002", "李四", track="市场管理员", current_rank="中级C"),
        "wang": make_employee(tree["city_b"], "B001", "王五"),
    }


@pytest.fixture
def users(tree, staff):
    a = tree["city_a"]
    return {
        Role.HR: make_user("hr", Role.HR, a),
        Role.ASSESSOR: make_user("assessor", Role.ASSESSOR, a),
        Role.TRACK_REVIEWER: make_user("reviewer", Role.TRACK_REVIEWER, a, track="客户经理"),
        Role.COMMITTEE: make_user("committee", Role.COMMITTEE, a),
        Role.LEADER: make_user("leader", Role.LEADER, a),
        Role.DIRECTOR: make_user("director", Role.DIRECTOR, a),
        Role.DISCIPLINE: make_user("discipline", Role.DISCIPLINE, a),
        Role.EMPLOYEE: make_user("zhang", Role.EMPLOYEE, tree["county_a"], employee=staff["zhang"]),
        "committee_b": make_user("committee_b", Role.COMMITTEE, tree["city_b"]),
        "hr_b": make_user("hr_b", Role.HR, tree["city_b"]),
        "employee_li": make_user("li", Role.EMPLOYEE, tree["county_a"], employee=staff["li"]),
        "employee_wang": make_user("wang", Role.EMPLOYEE, tree["city_b"], employee=staff["wang"]),
    }


@pytest.fixture
def client_for(users):
    """client_for(Role.HR) → an APIClient logged in (force_authenticate) as that user."""

    def make(key):
        client = APIClient()
        client.force_authenticate(users[key])
        return client

    return make


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def rulebooks(db):
    from jinjie.rulebooks.services import rulebook_load_defaults

    rulebook_load_defaults()


@pytest.fixture
def give_scores(db):
    """give_scores(employee, (85, 86, 84)): the three monthly scores of 2026Q3 and a 考试 of 70."""
    return _give_scores


def _give_scores(employee, scores, period_months=("2026-07", "2026-08", "2026-09"), training=70):
    from decimal import Decimal

    from jinjie.assessments.models import MonthlyScore
    from jinjie.people.models import TrainingRecord

    for month, score in zip(period_months, scores, strict=True):
        MonthlyScore.objects.create(employee=employee, month=month, score=Decimal(str(score)))
    if training is not None:
        TrainingRecord.objects.create(employee=employee, date=date(2026, 6, 1), kind="考试", score=Decimal(training))


@pytest.fixture
def evaluated(rulebooks, staff, users):
    """2026Q3 evaluated for everyone: 张三 (SPEC 8 case A) goes 初级B → 初级A; 李四 holds (data missing);
    王五 in 乙市局 gets the same grade_up."""
    from jinjie.evaluations.models import Proposal
    from jinjie.evaluations.services import evaluation_run

    _give_scores(staff["zhang"], (85, 86, 84))
    _give_scores(staff["wang"], (85, 86, 84))
    evaluation_run(period="2026Q3", org_unit=None)
    return {p.employee.employee_no: p for p in Proposal.objects.select_related("employee")}


@pytest.fixture
def make_proposal(rulebooks):
    """make_proposal(employee, route=[...], to_rank=..., move=..., state="in_review"): a proposal as the
    run would leave it, already submitted unless `state` says otherwise (the workflow is tested in
    tests/approvals; here only what the API does with it)."""
    from jinjie.evaluations.models import Proposal
    from jinjie.rulebooks.models import RuleBook

    def make(employee, *, route=("committee", "leader"), to_rank="中级B", move="grade_up", state="in_review", period="2026Q3"):
        return Proposal.objects.create(
            period=period,
            employee=employee,
            from_rank=employee.current_rank,
            to_rank=to_rank,
            move=move,
            route=list(route),
            reasons=[],
            summary="测试",
            rulebook=RuleBook.objects.filter(kind="ladder").first(),
            state=state,
        )

    return make


@pytest.fixture
def today(monkeypatch):
    """today.set(date(…)): the workflow's clock (approvals.clock) reads that date."""
    from jinjie.approvals import clock

    class Today:
        value = date(2026, 10, 10)

        def set(self, value):
            self.value = value

    t = Today()
    monkeypatch.setattr(clock, "today", lambda: t.value)
    return t
