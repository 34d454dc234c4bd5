"""A bureau with one login per role in 甲市局, a second city (乙市局) they must not see, and data
for one quarter: 张三 (SPEC 8 case B: 初级A → 中级C, committee › leader › notice), 赵六 (case A:
初级B → 初级A, track_review), 王五 in 乙市局."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from bureau import PASSWORD, make_employee, make_tree, make_user  # noqa: F401 - re-exported to the tests
from django.test import Client

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.org.models import Role
from jinjie.people.models import TrainingRecord

Q3 = ("2026-07", "2026-08", "2026-09")


@pytest.fixture
def tree(db):
    return make_tree()


def give_scores(employee, scores, training=70, ability=None, period="2026Q3"):
    for month, score in zip(Q3, scores, strict=True):
        MonthlyScore.objects.create(employee=employee, month=month, score=Decimal(str(score)))
    if training is not None:
        TrainingRecord.objects.create(employee=employee, date=date(2026, 6, 1), kind="考试", score=Decimal(training))
    if ability is not None:
        AbilityScore.objects.create(employee=employee, period=period, score=Decimal(ability))


@pytest.fixture
def staff(tree):
    zhang = make_employee(
        tree["county_a"], "A001", "张三", current_rank="初级A", role_start_date=date(2024, 4, 1), education="大专",
        vocational_level="四级",
    )
    zhao = make_employee(tree["county_a"], "A002", "赵六")
    li = make_employee(tree["city_a"], "A003", "李四", track="市场管理员", current_rank="中级C")
    wang = make_employee(tree["city_b"], "B001", "王五")
    give_scores(zhang, (88, 87, 86), training=75, ability=72)
    give_scores(zhao, (85, 86, 84), training=70)
    give_scores(wang, (85, 86, 84), training=70)
    return {"zhang": zhang, "zhao": zhao, "li": li, "wang": wang}


@pytest.fixture
def users(tree, staff):
    a = tree["city_a"]
    return {
        Role.HR: make_user("hr", Role.HR, a, first_name="人事"),
        Role.ASSESSOR: make_user("assessor", Role.ASSESSOR, a),
        Role.TRACK_REVIEWER: make_user("reviewer", Role.TRACK_REVIEWER, a, track="客户经理"),
        Role.COMMITTEE: make_user("committee", Role.COMMITTEE, a, first_name="考评委员"),
        Role.LEADER: make_user("leader", Role.LEADER, a),
        Role.DIRECTOR: make_user("director", Role.DIRECTOR, a),
        Role.DISCIPLINE: make_user("discipline", Role.DISCIPLINE, a),
        Role.EMPLOYEE: make_user("zhang", Role.EMPLOYEE, tree["county_a"], employee=staff["zhang"]),
        "employee_zhao": make_user("zhao", Role.EMPLOYEE, tree["county_a"], employee=staff["zhao"]),
        "employee_wang": make_user("wang", Role.EMPLOYEE, tree["city_b"], employee=staff["wang"]),
        "committee_b": make_user("committee_b", Role.COMMITTEE, tree["city_b"]),
        "hr_b": make_user("hr_b", Role.HR, tree["city_b"]),
    }


@pytest.fixture
def client_for(users):
    """client_for(Role.HR) → a Client logged in as that user."""

    def make(key):
        client = Client()
        client.force_login(users[key])
        return client

    return make


@pytest.fixture
def rulebooks(db):
    from jinjie.rulebooks.services import rulebook_load_defaults

    rulebook_load_defaults()


@pytest.fixture
def today(monkeypatch):
    """today(date(...)): the workflow's clock (approvals.clock.today) set to that day."""
    from jinjie.approvals import clock

    def set_today(day: date):
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    set_today(date(2026, 10, 9))
    return set_today


@pytest.fixture
def evaluated(rulebooks, staff, users, today):
    """2026Q3 evaluated for everyone; returns the proposals by employee number."""
    from jinjie.evaluations.models import Proposal
    from jinjie.evaluations.services import evaluation_run

    evaluation_run(period="2026Q3", org_unit=None)
    return {p.employee.employee_no: p for p in Proposal.objects.select_related("employee")}


@pytest.fixture
def background_worker():
    """`jinjie worker` beside the live server, as `make demo` runs it: the evaluation is a job."""
    from django.core.management import call_command
    from django.db import connections

    stop = threading.Event()

    def loop():
        try:
            while not stop.is_set():
                call_command("worker", "--burst", verbosity=0)
                stop.wait(0.2)
        finally:
            connections.close_all()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(30)


@pytest.fixture
def draft(rulebooks, tree):
    """甲市局's own draft of the ladder book, tried (试算) by its HR: 平均绩效 ≥ 86 for 初级A, so 赵六
    (85) no longer qualifies."""
    import copy

    from jinjie.rulebooks.models import BookKind
    from jinjie.rulebooks.services import rulebook_create_draft
    from jinjie.rules import DEFAULT_LADDER_BOOK

    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["ranks"]["初级A"]["criteria"][3]["value"] = "86"
    return rulebook_create_draft(kind=BookKind.LADDER, document=doc, effective_from=date(2027, 1, 1), note="试行",
                                 org_unit=tree["city_a"])
