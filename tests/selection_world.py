"""A bureau for the 竞聘 tests (the fixtures of tests/selections, imported by the web, API and
interchange tests of the channel too): 甲市局 (with 甲县局) runs selections; 乙市局 must not reach them.
HR, the leader, the director, 纪检监察 and the committee of 甲市局; five judges; employees who meet
SPEC 4's default criteria at the deadline (2026-06-30) and some who do not; the workflow's clock
set by `today`. `advance(selection, to=…)` drives a selection through its stages."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from bureau import make_employee, make_tree, make_user

from jinjie.approvals import clock
from jinjie.org.models import Role
from jinjie.people.models import AnnualRating, Violation
from jinjie.selections import services as sv
from jinjie.selections.models import Application, Selection

DEADLINE = date(2026, 6, 30)
OPEN_DAY = date(2026, 6, 1)
CLOSED_DAY = date(2026, 7, 1)


@pytest.fixture
def today(monkeypatch):
    """today(date(…)) sets the workflow's clock; it starts inside the 报名 window."""

    def set_today(day: date) -> date:
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    set_today(OPEN_DAY)
    return set_today


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fit_employee(unit, no, name, **extra):
    """Meets every default criterion at 2026-06-30: 中级C, 8 years' service, 本科, 41, 称职 in 2025."""
    values = dict(
        current_rank="中级C", hire_date=date(2018, 3, 1), birth_date=date(1985, 5, 1), education="本科",
        role_start_date=date(2018, 3, 1),
    )
    values.update(extra)
    employee = make_employee(unit, no, name, **values)
    AnnualRating.objects.create(employee=employee, year=2025, kind="年度考核", rating="称职")
    return employee


@dataclass
class World:
    tree: dict
    users: dict
    people: dict
    judges: list = field(default_factory=list)

    def user(self, key):
        return self.users[key]


@pytest.fixture
def world(db, today):
    tree = make_tree()
    a, county = tree["city_a"], tree["county_a"]
    people = {
        "zhang": fit_employee(county, "A001", "张三"),
        "li": fit_employee(county, "A002", "李四"),
        "wang": fit_employee(county, "A003", "王五"),
        "zhao": fit_employee(county, "A004", "赵六"),
        "qian": fit_employee(a, "A005", "钱七"),
        # fails one criterion (初级A), and one who fails two (初级A, 高中)
        "sun": fit_employee(county, "A006", "孙八", current_rank="初级A"),
        "zhou": fit_employee(county, "A007", "周九", current_rank="初级A", education="高中"),
        "other": fit_employee(tree["city_b"], "B001", "吴十"),
    }
    users = {
        "hr": make_user("hr", Role.HR, a, first_name="人事"),
        "hr2": make_user("hr2", Role.HR, a, first_name="人事二"),
        "hr_b": make_user("hr_b", Role.HR, tree["city_b"]),
        "leader": make_user("leader", Role.LEADER, a, first_name="领导"),
        "director": make_user("director", Role.DIRECTOR, a),
        "discipline": make_user("discipline", Role.DISCIPLINE, a),
        "committee": make_user("committee", Role.COMMITTEE, a, first_name="委员"),
        "assessor": make_user("assessor", Role.ASSESSOR, a),
    }
    for key in ("zhang", "li", "wang", "zhao", "sun", "other"):
        users[key] = make_user(key, Role.EMPLOYEE, people[key].org_unit, employee=people[key])
    judges = [make_user(f"judge{i}", Role.COMMITTEE, a, first_name=f"评委{i}") for i in range(1, 6)]
    for j in judges:
        users[j.username] = j
    return World(tree, users, people, judges)


@pytest.fixture
def draft(world):
    """A draft of 甲市局 with two posts: 客服部主任 (1 place) and 订单部主任 (1 place)."""
    return sv.selection_create(
        actor=world.users["hr"], org_unit=world.tree["city_a"], title="2026年中层管理岗位竞聘", deadline=DEADLINE,
        posts=[{"title": "客服部主任", "places": 1, "duties": "负责客户服务"}, {"title": "订单部主任", "places": 1}],
    )


@pytest.fixture
def posts(draft):
    return {p.title: p for p in draft.posts.all()}


@pytest.fixture
def published(world, draft):
    sv.selection_publish(selection=draft, actor=world.users["hr"])
    draft.refresh_from_db()
    return draft


def apply(world, selection, key, post, actor=None):
    """`key` applies for themself (HR for them when their login is not theirs)."""
    employee, own = world.people[key], world.users.get(key)
    if actor is None:
        actor = own if own is not None and own.employee_id == employee.pk else world.users["hr"]
    return sv.application_apply(selection=selection, post=post, employee=employee, actor=actor)


SCORES = {
    # key: (post, written, judges' marks, ballots 优秀/称职/基本称职/不称职)
    "zhang": ("客服部主任", "85", ("90", "88", "92", "86", "95"), (20, 8, 2, 0)),
    "li": ("客服部主任", "80", ("85", "84", "86", "80", "90"), (15, 10, 5, 0)),
    "wang": ("客服部主任", "55", (), ()),
    "zhao": ("订单部主任", "78", ("80", "82", "79", "81", "83"), (12, 14, 4, 0)),
}


@pytest.fixture
def advance(world, today):
    """advance(selection, to="review" | "written" | "speech" | "democratic" | "ranked" | "inspection"
    | "decided" | "notice"): applications of SCORES made, reviewed, scored and completed up to `to`."""
    order = ["review", "written", "speech", "democratic", "ranked", "inspection", "decided", "notice"]

    def run(sel: Selection, to: str) -> dict[str, Application]:
        hr = world.users["hr"]
        target = order.index(to)
        posts = {p.title: p for p in sel.posts.all()}
        today(OPEN_DAY)
        apps = {key: apply(world, sel, key, posts[post]) for key, (post, *_rest) in SCORES.items()}
        for j in world.judges:
            sv.judge_name(selection=sel, actor=hr, user=j)
        today(CLOSED_DAY)
        sv.applications_close(selection=sel, actor=hr)
        if target >= 1:
            for app in apps.values():
                sv.application_review(application=app, actor=hr, confirm=True)
            sv.stage_complete(selection=sel, actor=hr, stage="review")
        if target >= 2:
            sv.scores_enter(selection=sel, actor=hr, stage="written", scores={apps[k].pk: v[1] for k, v in SCORES.items()})
            sv.stage_complete(selection=sel, actor=hr, stage="written")
        if target >= 3:
            for i, judge in enumerate(world.judges):
                marks = {apps[k].pk: v[2][i] for k, v in SCORES.items() if v[2]}
                sv.judge_marks(selection=sel, judge=judge, marks=marks)
            sv.stage_complete(selection=sel, actor=hr, stage="speech")
        if target >= 4:
            sv.ballots_enter(selection=sel, actor=hr, ballots={apps[k].pk: v[3] for k, v in SCORES.items() if v[3]})
            sv.stage_complete(selection=sel, actor=hr, stage="democratic")
        if target >= 5:
            sv.inspection_start(selection=sel, actor=hr)
            for key in ("zhang", "li", "zhao"):
                sv.inspection_record(
                    selection=sel, application=apps[key].pk, actor=hr, inspectors="组织部 张、李", date=date(2026, 7, 20),
                    findings="群众公认度高，工作实绩突出", conclusion="合格",
                )
        if target >= 6:
            sv.selection_decide(selection=sel, actor=world.users["leader"])
        if target >= 7:
            today(date(2026, 7, 27))
            sv.selection_notice(selection=sel, actor=hr)
        sel.refresh_from_db()
        for app in apps.values():
            app.refresh_from_db()
        return apps

    return run


def add_violation(employee, day, severity="较重"):
    return Violation.objects.create(employee=employee, date=day, severity=severity, description=f"{severity}违规")


D = Decimal


@pytest.fixture
def client_for(world):
    """client_for("hr") → a django Client logged in as that user of the world."""
    from django.test import Client

    def make(key):
        client = Client()
        client.force_login(world.users[key])
        return client

    return make


@pytest.fixture
def api_for(world):
    """api_for("hr") → a DRF APIClient authenticated as that user of the world."""
    from rest_framework.test import APIClient

    def make(key):
        client = APIClient()
        client.force_authenticate(world.users[key])
        return client

    return make
