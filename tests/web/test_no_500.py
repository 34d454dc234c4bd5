"""No page answers a 500, whoever asks and whatever they send (SPEC: bad input gets a clear Chinese
error and loses nothing). Every URL of jinjie.web.urls, for every role and anonymously, with junk
query parameters, impossible or foreign path ids and garbage form posts; a garbage post also
writes nothing."""

import json
from datetime import date

import pytest
from bureau import make_employee, make_tree, make_user
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from jinjie.applications.models import Application, ApplicationRound, ApplicationTransition
from jinjie.applications.services import application_apply, round_open
from jinjie.approvals import clock
from jinjie.approvals.models import (
    ApprovalStep,
    Meeting,
    Notice,
    NoticeItem,
    Objection,
    ObjectionResolution,
    ProposalTransition,
    ReassignmentClosure,
)
from jinjie.approvals.services import notice_publish, proposal_decide, proposal_submit
from jinjie.core.models import Job
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import Role, User
from jinjie.people.models import AnnualRating, Qualification, RankChange, TrainingRecord, Violation
from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
from jinjie.rulebooks.services import rulebook_create_draft, rulebook_load_defaults
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

from .conftest import give_scores

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond any integer column: SQLite raises OverflowError on it
LONG = "长" * 10_000
KB100 = "x" * 100_000
ROLES = [Role.COMMITTEE, Role.HR, Role.LEADER, Role.TRACK_REVIEWER, Role.EMPLOYEE, Role.DISCIPLINE, Role.ASSESSOR, None]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _build() -> tuple[dict, dict]:
    """conftest's bureau (甲市局 with its logins, 乙市局), 2026Q3 evaluated, and objects of every kind
    in 甲市局 and in 乙市局 (which these users must not reach)."""
    tree = make_tree()
    zhang_e = make_employee(
        tree["county_a"], "A001", "张三", current_rank="初级A", role_start_date=date(2024, 4, 1), education="大专",
        vocational_level="四级",
    )
    zhao_e = make_employee(tree["county_a"], "A002", "赵六")
    wang_e = make_employee(tree["city_b"], "B001", "王五")
    give_scores(zhang_e, (88, 87, 86), training=75, ability=72)
    give_scores(zhao_e, (85, 86, 84), training=70)
    give_scores(wang_e, (85, 86, 84), training=70)
    a = tree["city_a"]
    users = {
        Role.HR: make_user("hr", Role.HR, a),
        Role.ASSESSOR: make_user("assessor", Role.ASSESSOR, a),
        Role.TRACK_REVIEWER: make_user("reviewer", Role.TRACK_REVIEWER, a, track="客户经理"),
        Role.COMMITTEE: make_user("committee", Role.COMMITTEE, a),
        Role.LEADER: make_user("leader", Role.LEADER, a),
        Role.DISCIPLINE: make_user("discipline", Role.DISCIPLINE, a),
        Role.EMPLOYEE: make_user("zhang", Role.EMPLOYEE, tree["county_a"], employee=zhang_e),
        "employee_zhao": make_user("zhao", Role.EMPLOYEE, tree["county_a"], employee=zhao_e),
        "employee_wang": make_user("wang", Role.EMPLOYEE, tree["city_b"], employee=wang_e),
        "committee_b": make_user("committee_b", Role.COMMITTEE, tree["city_b"]),
    }
    rulebook_load_defaults()
    evaluation_run(period="2026Q3", org_unit=None)
    proposals = {p.employee.employee_no: p for p in Proposal.objects.select_related("employee")}
    committee = users[Role.COMMITTEE]
    zhang, wang = proposals["A001"], proposals["B001"]
    proposal_submit(proposals=[zhang], actor=committee)
    proposal_decide(proposal=zhang, actor=committee, decision="approve")
    proposal_decide(proposal=zhang, actor=users[Role.LEADER], decision="approve")
    notice = notice_publish(org_unit=a, proposals=[zhang], actor=committee)
    objection = Objection.objects.create(
        notice_item=NoticeItem.objects.get(proposal=zhang), proposal=zhang, filer=users["employee_zhao"], text="有不同意见"
    )
    # 乙市局's notice and objection, written directly: only their ids matter here.
    other_notice = Notice.objects.create(
        org_unit=tree["city_b"], title="乙市局公示", published_on=date(2026, 10, 9), start_date=date(2026, 10, 10),
        end_date=date(2026, 10, 16), days=5, day_kind="working", published_by=users["committee_b"],
    )
    other_item = NoticeItem.objects.create(
        notice=other_notice, proposal=wang, position=1, name="王五", unit_name="乙市局", from_rank="初级B", to_rank="初级A",
        move_label="晋档",
    )
    other_objection = Objection.objects.create(notice_item=other_item, proposal=wang, filer=users["employee_wang"], text="异议")
    violation = Violation.objects.create(employee=zhao_e, date=date(2026, 10, 3), severity="较重", description="违规")
    other_violation = Violation.objects.create(employee=wang_e, date=date(2026, 10, 3), severity="较重", description="违规")
    # 申报: a round and an application in each city (ours submitted, inside its window).
    ours_m = _monopoly_admin(tree["county_a"], "M001", "孙专管")
    theirs_m = _monopoly_admin(tree["city_b"], "M101", "冯专管")
    hr_b = make_user("hr_b", Role.HR, tree["city_b"])
    round_a = round_open(actor=users[Role.HR], title="甲市局申报", org_unit=a, levels=["中级专卖管理员"],
                         opens=date(2026, 10, 1), closes=date(2026, 10, 31))
    round_b = round_open(actor=hr_b, title="乙市局申报", org_unit=tree["city_b"], levels=["中级专卖管理员"],
                         opens=date(2026, 10, 1), closes=date(2026, 10, 31))
    application = application_apply(actor=users[Role.HR], round=round_a, employee=ours_m)
    other_application = application_apply(actor=hr_b, round=round_b, employee=theirs_m)
    qualification = Qualification.objects.get(employee=ours_m)
    other_qualification = Qualification.objects.get(employee=theirs_m)
    published = RuleBook.objects.filter(kind=BookKind.LADDER, status=BookStatus.PUBLISHED).first()
    draft = rulebook_create_draft(kind=BookKind.LADDER, document=published.document, effective_from=date(2027, 1, 1))
    # A job of another city's committee: nobody else's to see (core.jobs.job_for).
    other_job = Job.objects.create(kind="evaluation_run", label="季度测评", args={"period": "2026Q3"},
                                   created_by=users["committee_b"])
    other_draft = rulebook_create_draft(
        kind=BookKind.MONOPOLY, document=RuleBook.objects.get(kind=BookKind.MONOPOLY).document,
        effective_from=date(2027, 1, 1), org_unit=tree["city_b"],
    )
    bureau = {
        "other_job": other_job,
        "zhang": zhang, "zhao": proposals["A002"], "wang": wang, "notice": notice, "other_notice": other_notice,
        "objection": objection, "other_objection": other_objection, "violation": violation,
        "other_violation": other_violation, "published": published, "draft": draft, "other_draft": other_draft, "city_a": a,
        "city_b": tree["city_b"], "wang_login": users["employee_wang"], "round": round_a, "other_round": round_b, "application": application,
        "other_application": other_application, "monopoly_admin": ours_m, "other_monopoly_admin": theirs_m,
        "qualification": qualification, "other_qualification": other_qualification,
    }
    return bureau, users


def _monopoly_admin(unit, no, name):
    """A 专卖管理员 meeting every automatic condition of 中级专卖管理员 on 2026-10-31."""
    e = make_employee(unit, no, name, track="专卖管理员", current_rank="初级专卖管理员", role_start_date=date(2022, 1, 1),
                      education="大专", pay_grade=9, law_cert_valid_until=date(2027, 12, 31))
    Qualification.objects.create(employee=e, level="初级专卖管理员", granted_date=date(2024, 6, 1))
    TrainingRecord.objects.create(employee=e, date=date(2026, 5, 1), kind="等级考试", level="中级专卖管理员", passed=True)
    AnnualRating.objects.create(employee=e, year=2025, kind="专卖双能", rating="良好")
    return e


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end (what Django's
    setUpTestData does): each test runs in a savepoint of it, so the ~180 cases stay fast."""
    patch = pytest.MonkeyPatch()
    with django_db_blocker.unblock():
        with transaction.atomic():
            patch.setattr(clock, "today", lambda: date(2026, 10, 9))
            bureau, users = _build()
            # The notice is running on this day: objections may be filed.
            patch.setattr(clock, "today", lambda: date(2026, 10, 12))
            clients = {role: _client(users, role) for role in ROLES}
            yield bureau, users, clients
            transaction.set_rollback(True)
    patch.undo()


@pytest.fixture
def bureau(_world, db):
    return _world[0]


@pytest.fixture
def users(_world, db):
    return _world[1]


@pytest.fixture
def clients(_world, db) -> dict:
    """One client per role (and one anonymous), logged in once for the module."""
    return _world[2]


def _client(users, role) -> Client:
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(users[role])
    return client


def _written() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (ApprovalStep, Notice, NoticeItem, Objection, ObjectionResolution, Proposal, ProposalTransition,
                      RankChange, RuleBook, Job, ApplicationRound, Application, ApplicationTransition,
                      ReassignmentClosure, Meeting)
    } | {
        "states": sorted(Proposal.objects.values_list("pk", "state", "step_index")),
        "logins": sorted(User.objects.values_list("pk", "password", "is_active", "must_change_password")),
        "applications": sorted(Application.objects.values_list("pk", "state")),
        "rounds": sorted(ApplicationRound.objects.values_list("pk", "closed_at")),
        "qualifications": Qualification.history.count(),
    }


def _hit(clients, method: str, url: str, data=None, **extra) -> list[str]:
    """The request for every role; the failures as 'role: status (exception)'."""
    failures = []
    for role, client in clients.items():
        response = getattr(client, method)(url, data if data is not None else {}, **extra)
        if response.status_code >= 500:
            exc = response.exc_info[1] if response.exc_info else None
            failures.append(f"{role or 'anonymous'}: {response.status_code} {exc!r}"[:300])
    return failures


# ---- GET with junk query parameters, on every page -------------------------------------------------

PAGES = [
    "web:home", "web:login", "web:career", "web:periods", "web:proposals", "web:notices", "web:notice_new",
    "web:objections", "web:employees", "web:reassignments", "web:rulebooks", "web:imports", "web:users",
    "web:staff_user_new", "web:password_change", "web:rounds", "web:round_new", "web:reports",
    "web:whatif", "web:whatif_export", "web:my_objections", "web:proposals_export", "web:employees_export",
    "web:queue", "web:queue_export",
    "web:selections", "web:selection_new",  # the channel's own pages: tests/web/selections/test_no_500_selections.py
]

JUNK_QUERIES = {
    # Combined where they cannot hide each other: page junk with a valid filter, unit junk with period junk.
    "page-abc-kind-unknown": {"page": "abc", "kind": "unknown", "next": "https://evil.example/"},
    "page-negative-status-nonsense": {"page": "-1", "status": "nonsense", "track": "nonsense"},
    "page-huge": {"page": "99999999"},
    "per-sort-junk": {"per": "abc", "sort": "../", "queue": "unit=" + HUGE},
    "period-Q9-unit-abc": {"period": "2026Q9", "unit": "abc"},
    "period-abc-unit-huge": {"period": "abc", "unit": HUGE},
    "period-empty-unit-negative": {"period": "", "unit": "-3"},
    "unit-huge": {"unit": HUGE},
    "period-nul": {"period": "2026Q3\x00"},
    "move-state-nonsense": {"move": "nonsense", "state": "nonsense"},
    "q-10000-chars": {"q": LONG},
    "everything-repeated": {"page": ["1", "abc"], "period": ["2026Q3", "x"], "unit": ["1", HUGE]},
}


@pytest.mark.parametrize("query", JUNK_QUERIES.values(), ids=JUNK_QUERIES.keys())
def test_junk_query_parameters_never_make_a_page_fail(bureau, clients, query):
    failures = {name: f for name in PAGES if (f := _hit(clients, "get", reverse(name), query))}
    assert not failures


def test_another_citys_unit_in_the_query_never_makes_a_page_fail(bureau, clients):
    query = {"unit": bureau["city_b"].pk, "period": "2026Q3"}
    failures = {name: f for name in PAGES if (f := _hit(clients, "get", reverse(name), query))}
    assert not failures


@pytest.mark.parametrize("query", JUNK_QUERIES.values(), ids=JUNK_QUERIES.keys())
def test_junk_query_parameters_never_make_the_pages_of_a_round_or_an_application_fail(bureau, clients, query):
    junk = {**query, "status": ["nonsense", LONG]}
    urls = [reverse(name, args=[bureau[obj].pk]) for name, obj in (
        ("web:round", "round"), ("web:round_qualified", "round"), ("web:round_export", "round"),
        ("web:application", "application"), ("web:application_pdf", "application"),
    )]
    failures = {url: f for url in urls if (f := _hit(clients, "get", url, junk))}
    assert not failures


# ---- 统计分析: every report, its export and the what-if, with junk filters -----------------------------

REPORT_QUERIES = {
    **JUNK_QUERIES,
    "date-feb-30-month-13": {"date": "2026-02-30", "month": "2026-13", "periods": "abc", "target": "将军"},
    "date-year-1-periods-huge": {"date": "0001-01-01", "periods": HUGE, "month": "１９９９－１２", "track": "专卖管理员"},
    "period-1900-chart-junk": {"period": "1900Q1", "chart": "../x", "target": "见习"},
    "month-nul-track-long": {"month": "2026-09\x00", "track": LONG, "date": "9999-12-31"},
    "book-junk": {"book": "abc", "period": "2026Q3"},
    "book-huge": {"book": HUGE, "period": "2026Q3", "unit": "1"},
    "book-negative-period-junk": {"book": "-1", "period": "abc"},
}


@pytest.mark.parametrize("query", REPORT_QUERIES.values(), ids=REPORT_QUERIES.keys())
def test_junk_filters_never_make_a_report_fail(bureau, clients, query):
    from jinjie.reports.registry import REPORTS

    urls = [reverse(route, args=[name]) for name in (*REPORTS, "nonsense") for route in ("web:report", "web:report_export")]
    failures = {url: f for url in urls if (f := _hit(clients, "get", url, query))}
    assert not failures


def test_the_whatif_of_every_book_never_fails(bureau, clients):
    from jinjie.rulebooks.models import RuleBook

    before = _written()
    failures = {}
    for book in RuleBook.objects.all():  # the published books of both kinds and the draft
        for unit in (bureau["city_a"], bureau["city_b"]):
            query = {"book": book.pk, "period": "2026Q3", "unit": unit.pk}
            for route in ("web:whatif", "web:whatif_export"):
                if f := _hit(clients, "get", reverse(route), query):
                    failures[(book.pk, unit.name, route)] = f
    assert not failures
    assert _written() == before


# ---- path ids: zero, huge, another city's -----------------------------------------------------------

ID_ROUTES = {
    # route: (its own-city object, another city's object) in the bureau fixture
    "web:proposal": "wang",
    "web:proposal_decide": "wang",
    "web:notice": "other_notice",
    "web:notice_pdf": "other_notice",
    "web:objection_new": "other_notice",
    "web:objection_resolve": "other_objection",
    "web:employee": "wang",
    "web:employee_reveal": "wang",
    "web:immediate_demotion": "wang",
    "web:job": "other_job",
    "web:job_progress": "other_job",
    "web:job_file": "other_job",
    "web:job_export": "other_job",
    "web:rulebook": "other_draft",
    "web:rulebook_edit": "other_draft",
    "web:rulebook_publish": "other_draft",
    "web:user_reset": "wang_login",
    "web:user_active": "wang_login",
    "web:staff_user": "wang_login",
    "web:round": "other_round",
    "web:round_close": "other_round",
    "web:round_apply": "other_round",
    "web:round_qualified": "other_round",
    "web:round_qualified_compute": "other_round",
    "web:round_export": "other_round",
    "web:application": "other_application",
    "web:application_withdraw": "other_application",
    "web:application_review": "other_application",
    "web:application_pdf": "other_application",
    "web:reassignment_close": "wang",
    "web:proposal_form_pdf": "wang",
}
ID_CASES = [(route, which) for route, other in ID_ROUTES.items() for which in ("zero", "huge", *(("other-city",) if other else ()))]


def _pk(bureau, route, which):
    if which == "zero":
        return 0
    if which == "huge":
        return int(HUGE)
    obj = bureau[ID_ROUTES[route]]
    return obj.employee_id if route in ("web:employee", "web:employee_reveal", "web:immediate_demotion") else obj.pk


@pytest.mark.parametrize(("route", "which"), ID_CASES, ids=[f"{r[4:]}-{w}" for r, w in ID_CASES])
def test_impossible_and_foreign_ids_are_a_4xx_never_a_500(bureau, clients, route, which):
    url = reverse(route, args=[_pk(bureau, route, which)])
    before = _written()
    body = {"decision": "approve", "comment": "同意", "outcome": "uphold", "reason": "异议成立的理由", "proposal": bureau["wang"].pk,
            "violation": bureau["other_violation"].pk, "to_level": "grade", "employee_no": "M101",
            "ids": [bureau["other_monopoly_admin"].pk], "manual.1": "1", "manual.2": "1", "level": "中级专卖管理员"}
    failures = _hit(clients, "get", url) + _hit(clients, "post", url, body)
    assert not failures
    assert _written() == before


def test_logout_with_junk_never_fails(bureau, users):
    # Fresh clients: logging out ends the shared clients' sessions.
    fresh = {role: _client(users, role) for role in ROLES}
    failures = _hit(fresh, "get", reverse("web:logout"), {"next": LONG}) + _hit(fresh, "post", reverse("web:logout"), {"next": "https://evil.example/"})
    assert not failures


@pytest.mark.parametrize(
    ("employee", "qualification"),
    [("monopoly_admin", "other_qualification"), ("other_monopoly_admin", "other_qualification"), ("monopoly_admin", 0),
     (int(HUGE), int(HUGE)), ("other_monopoly_admin", "qualification")],
    ids=["own-employee-foreign-record", "foreign-both", "zero-record", "huge-both", "foreign-employee-own-record"],
)
def test_a_qualification_correction_with_foreign_or_impossible_ids_is_a_4xx(bureau, clients, employee, qualification):
    def pk(value):
        return bureau[value].pk if isinstance(value, str) else value

    url = reverse("web:qualification_correct", args=[pk(employee), pk(qualification)])
    before = _written()
    body = {"granted_date": "2024-07-01", "reason": "核对更正"}
    assert not (_hit(clients, "get", url) + _hit(clients, "post", url, body))
    assert _written() == before


@pytest.mark.parametrize("kind", ["unknown", "LADDER", "..", "x" * 300])
def test_an_unknown_rulebook_kind_is_a_4xx_never_a_500(bureau, clients, kind):
    failures = []
    for route in ("web:rulebook_new", "web:rulebook_check"):
        url = reverse(route, args=[kind])
        failures += _hit(clients, "get", url) + _hit(clients, "post", url, {"document": "{}", "effective_from": "2027-01-01"})
    assert not failures


EDITOR_PAGES = [("web:rulebook_new", "ladder"), ("web:rulebook_new", "monopoly"), ("web:rulebook_edit", "draft")]
EDITOR_QUERIES = {**JUNK_QUERIES, "mode-json": {"mode": "json"}, "mode-junk": {"mode": ["json", LONG]}}


@pytest.mark.parametrize("query", EDITOR_QUERIES.values(), ids=EDITOR_QUERIES.keys())
def test_junk_query_parameters_never_make_the_rule_book_editor_fail(bureau, clients, query):
    failures = {}
    for route, arg in EDITOR_PAGES:
        url = reverse(route, args=[bureau[arg].pk if arg == "draft" else arg])
        if f := _hit(clients, "get", url, query):
            failures[url] = f
    assert not failures


# ---- garbage form posts -------------------------------------------------------------------------------

DEFAULT_BOOK = json.dumps(DEFAULT_LADDER_BOOK, ensure_ascii=False)


def _garbage_posts():
    """(case id, route, the object its url needs, body, htmx). Each body is invalid: nothing may be written."""
    cases = []

    def add(route, obj, bodies, htmx=False):
        for name, body in bodies.items():
            where = f"-{obj}" if obj in ("ladder", "monopoly") else ""
            cases.append((f"{route[4:]}{where}-{name}{'-htmx' if htmx else ''}", route, obj, body, htmx))

    add("web:login", None, {
        "empty": {}, "long-username": {"username": LONG, "password": KB100}, "list-values": {"username": ["a", "b"], "password": ""},
    })
    add("web:periods", None, {
        "empty": {}, "period-Q9": {"period": "2026Q9", "org_unit": "city_a"}, "unit-abc": {"period": "2026Q3", "org_unit": "abc"},
        "unit-huge": {"period": "2026Q3", "org_unit": HUGE}, "unit-other-city": {"period": "2026Q3", "org_unit": "city_b"},
        "period-100kb": {"period": KB100, "org_unit": "city_a"},
    })
    add("web:period_submit", None, {
        "empty": {}, "period-Q9": {"period": "2026Q9", "org_unit": "city_a"}, "unit-abc": {"period": "2026Q3", "org_unit": "abc"},
        "unit-huge": {"period": "2026Q3", "org_unit": HUGE}, "unit-other-city": {"period": "2026Q3", "org_unit": "city_b"},
    })
    add("web:users_bulk", None, {
        "empty": {}, "unit-abc": {"org_unit": "abc"}, "unit-huge": {"org_unit": HUGE}, "unit-other-city": {"org_unit": "city_b"},
    })
    add("web:password_change", None, {
        "empty": {}, "wrong-old": {"old_password": "x", "new_password1": "Qiming-2026!", "new_password2": "Qiming-2026!"},
        "mismatch": {"old_password": "x", "new_password1": "a", "new_password2": "b"},
        "100kb": {"old_password": KB100, "new_password1": KB100, "new_password2": KB100},
    })
    add("web:proposals_batch", None, {
        "empty": {}, "ids-not-numbers": {"ids": ["abc", "1x", ""], "decision": "approve"},
        "ids-huge": {"ids": [HUGE], "decision": "approve"}, "ids-negative": {"ids": ["-1"], "decision": "submit"},
        "ids-other-city": {"ids": ["wang"], "decision": "submit"}, "decision-maybe": {"ids": ["zhao"], "decision": "maybe"},
        "comment-100kb": {"ids": ["zhao"], "decision": "reject", "comment": KB100},
        "ids-5000": {"ids": [str(i) for i in range(1, 5001)], "decision": "approve"},
        "next-offsite": {"ids": [HUGE], "decision": "submit", "next": "https://evil.example/"},
    })
    decide = {
        "empty": {}, "decision-maybe": {"decision": "maybe"}, "comment-100kb": {"decision": "reject", "comment": KB100},
        "reject-without-reason": {"decision": "reject", "comment": "  "}, "step-index-junk": {"decision": "reject", "step_index": "abc"},
    }
    decide.update({
        "meeting-half": {"decision": "approve", "meeting_held_on": "2026-10-08"},
        "meeting-feb-30": {"decision": "approve", "meeting_held_on": "2026-02-30", "meeting_minutes_no": "1", "meeting_attendees": "甲"},
        "meeting-100kb": {"decision": "approve", "meeting_held_on": "2026-10-08", "meeting_minutes_no": KB100, "meeting_attendees": KB100},
        "and-next-junk-queue": {"and_next": "1", "queue": "%%%unit=abc&sort=x&per=9&" + KB100},
        "and-next-list-queue": {"and_next": ["1", "x"], "queue": ["sort=name", "unit=" + HUGE]},
    })
    add("web:proposal_decide", "zhang", decide)
    add("web:proposal_decide", "zhang", decide, htmx=True)
    add("web:notice_new", None, {
        "empty": {}, "unit-abc": {"org_unit": "abc", "ids": ["zhang"]}, "unit-huge": {"org_unit": HUGE, "ids": ["zhang"]},
        "ids-garbage": {"org_unit": "city_a", "ids": ["abc", "-1"]}, "ids-huge": {"org_unit": "city_a", "ids": [HUGE]},
        "ids-other-city": {"org_unit": "city_a", "ids": ["wang"]}, "title-100kb": {"org_unit": "city_a", "ids": [HUGE], "title": KB100},
        "days-negative": {"org_unit": "city_a", "ids": [HUGE], "days": "-5", "day_kind": "weird"},
    })
    add("web:objection_new", "notice", {
        "empty": {}, "proposal-abc": {"proposal": "abc", "reason": "有不同意见，请核实"},
        "proposal-huge": {"proposal": HUGE, "reason": "有不同意见，请核实"},
        "proposal-other-city": {"proposal": "wang", "reason": "有不同意见，请核实"},
        "reason-100kb": {"proposal": "zhang", "reason": KB100}, "reason-blank": {"proposal": "zhang", "reason": "   "},
    })
    add("web:objection_resolve", "objection", {
        "empty": {}, "outcome-maybe": {"outcome": "maybe", "reason": "理由"}, "reason-100kb": {"outcome": "uphold", "reason": KB100},
        "reason-blank-next-notice": {"outcome": "dismiss", "reason": " ", "next": "notice"},
    })
    add("web:proposal_forms_pdf", None, {
        "empty": {}, "ids-garbage": {"ids": ["abc", "-1", ""], "print_ids": ["1x"]}, "ids-huge": {"print_ids": [HUGE]},
        "ids-other-city": {"print_ids": ["wang"]}, "ids-5000": {"print_ids": [str(i) for i in range(1, 5001)]},
        "next-offsite": {"ids": [HUGE], "next": "https://evil.example/"},
    })
    add("web:whatif_job", None, {
        "empty": {}, "book-abc": {"book": "abc", "period": "2026Q3", "unit": "city_a"},
        "book-huge": {"book": HUGE, "period": "2026Q3", "unit": "city_a"},
        "period-junk": {"book": HUGE, "period": "2026Q9" + KB100, "unit": "city_a"},
        "unit-huge": {"book": HUGE, "period": "2026Q3", "unit": HUGE}, "unit-abc": {"book": "1", "period": "2026Q3", "unit": "abc"},
    })
    add("web:reassignment_close", "zhang", {
        "empty": {}, "outcome-maybe": {"outcome": "maybe", "decided_on": "2026-10-08"},
        "date-feb-30": {"outcome": "other", "decided_on": "2026-02-30", "comment": "x"},
        "post-100kb": {"outcome": "new_post", "decided_on": "2026-10-08", "new_post": KB100},
        "comment-100kb": {"outcome": "other", "decided_on": "2026-10-08", "comment": KB100},
        "not-flagged": {"outcome": "other", "decided_on": "2026-10-08", "comment": "调离"},
    })
    add("web:immediate_demotion", "zhao", {
        "empty": {}, "violation-abc": {"violation": "abc", "to_level": "grade", "comment": "违规"},
        "violation-huge": {"violation": HUGE, "to_level": "grade", "comment": "违规"},
        "violation-other-city": {"violation": "other_violation", "to_level": "grade", "comment": "违规"},
        "to-level-maybe": {"violation": "violation", "to_level": "maybe", "comment": "违规"},
        "comment-100kb": {"violation": "violation", "to_level": "level", "comment": KB100},
        "effective-feb-30": {"violation": "violation", "to_level": "maybe", "comment": "违规", "effective_date": "2026-02-30"},
    })
    book = {
        "empty": {},
        "not-json": {"document": "{not json", "effective_from": "2027-01-01"},
        "a-list": {"document": "[1, 2]", "effective_from": "2027-01-01"},
        "a-string": {"document": '"ladder"', "effective_from": "2027-01-01"},
        "wrong-types": {"document": json.dumps({"ranks": "all", "scores": {"a": [None]}, "notice": {"days": -5}}), "effective_from": "2027-01-01"},
        "nan-and-infinity": {"document": '{"x": NaN, "y": Infinity, "z": 1e999}', "effective_from": "2027-01-01"},
        "nested-100000-deep": {"document": "[" * 100_000 + "]" * 100_000, "effective_from": "2027-01-01"},
        "huge-number": {"document": '{"x": ' + "9" * 5000 + "}", "effective_from": "2027-01-01"},
        "date-feb-30": {"document": "{}", "effective_from": "2026-02-30"},
        "date-year-99999": {"document": "{}", "effective_from": "99999-01-01"},
        "book-with-nan": {"document": DEFAULT_BOOK.replace('"80"', "NaN", 1), "effective_from": "2027-01-01"},
        "book-with-infinity": {"document": DEFAULT_BOOK.replace('"80"', "1e999", 1), "effective_from": "2027-01-01"},
        "book-with-nan-text": {"document": DEFAULT_BOOK.replace('"80"', '"NaN"'), "effective_from": "2027-01-01"},
        "book-with-number-values": {"document": DEFAULT_BOOK.replace('"80"', "80").replace('"12"', "12.5"), "effective_from": "2027-01-01"},
        "book-with-null-values": {"document": DEFAULT_BOOK.replace('"80"', "null").replace('">="', "null", 1), "effective_from": "2027-01-01"},
        "note-100kb": {"document": "{}", "effective_from": "2027-01-01", "note": KB100},
        "document-100kb": {"document": json.dumps({"x": KB100}), "effective_from": "2027-01-01"},
    }
    add("web:rulebook_edit", "draft", book)
    add("web:rulebook_new", "ladder", book)
    # The forms editor (editor=form): its inputs, row layouts, formset counts and JSON boxes.
    dated = {"editor": "form", "effective_from": "2027-01-01"}
    forms_book = {
        "form-empty": {"editor": "form"},
        "form-check-empty": {**dated, "action": "check"},
        "form-to-json-empty": {"editor": "form", "action": "to_json"},
        "form-management-junk": {**dated, "rt-TOTAL_FORMS": "abc", "rt-INITIAL_FORMS": "-1", "m1-TOTAL_FORMS": HUGE},
        "form-management-huge": {
            **dated, "rt-TOTAL_FORMS": "100000", "rt-INITIAL_FORMS": "0", "m1-TOTAL_FORMS": HUGE, "m1-INITIAL_FORMS": HUGE,
        },
        "form-numbers-junk": {
            **dated, "e4-perf_avg": LONG, "p-base": "1e999", "n-days": HUGE, "fl-fail_line": "NaN", "p-c1": "-0",
            "e1-months_in_role": "１２.５", "e2-months_reduced": "3", "m1-TOTAL_FORMS": "1", "m1-INITIAL_FORMS": "0",
            "m1-0-type": "exp_months", "m1-0-value": KB100,
        },
        "form-choices-junk": {
            **dated, "e4-education": "研究生", "sk-levels": ["特级", "初级"], "rt-TOTAL_FORMS": "1", "rt-INITIAL_FORMS": "1",
            "rt-0-move": "promote", "rt-0-level": "特级", "rt-0-step1": "boss", "m1-TOTAL_FORMS": "1", "m1-INITIAL_FORMS": "1",
            "m1-0-type": "x", "m1-0-op": "=>", "m1-0-level": "x", "n-counting": "lunar", "o-kind": "none", "r-step1": "boss",
        },
        "form-layout-junk": {**dated, "e4-layout": "perf_avg,perf_avg,*,*,nonsense", "k4-layout": LONG, "f1-layout": "*," * 200},
        "form-extras-junk": {
            **dated, "e4-extras": "[" * 100_000, "k4-extras": '{"not": "a list"}', "f1-extras": "[NaN]", "o-extras": "9" * 5000,
            "e5-extras": '[{"any": []}, null, 1e999]', "m1-TOTAL_FORMS": "1", "m1-INITIAL_FORMS": "1", "m1-0-group": "[1, 2]",
        },
        "form-sections-not-json": {**dated, "x-base": "{not json", "x-leaf0": "1"},
        "form-sections-a-list": {**dated, "x-base": "[1, 2]"},
        "form-sections-deep": {**dated, "x-base": '{"a": ' * 30_000 + "1" + "}" * 30_000},
        "form-sections-huge": {**dated, "x-base": json.dumps({"a": KB100, "b": KB100, "c": KB100})},
        "form-sections-many-leaves": {**dated, "x-base": json.dumps({"a": {str(i): str(i) for i in range(5000)}})},
        "form-sections-leaf-junk": {
            **dated, "x-base": json.dumps({"favour": {"bonus": {"中级": "3"}, "on": True, "n": 1}}),
            "x-leaf0": KB100, "x-leaf1": "maybe", "x-leaf2": "1e999",
        },
        "json-to-form-junk": {"editor": "json", "action": "to_form", "document": "[" * 100_000},
        "json-to-form-odd-book": {
            "editor": "json", "action": "to_form", "effective_from": "2027-01-01",
            "document": json.dumps({"ranks": {"初级C": {"criteria": "x"}}, "routes": [1], "levels": {"x": None}}),
        },
    }
    add("web:rulebook_edit", "draft", forms_book)
    add("web:rulebook_new", "ladder", forms_book)
    add("web:rulebook_new", "monopoly", forms_book)
    add("web:rulebook_check", "ladder", book)
    add("web:rulebook_check", "monopoly", book, htmx=True)
    add("web:rulebook_publish", "published", {"empty": {}, "junk": {"force": "yes"}})
    add("web:round_new", None, {
        "empty": {}, "title-100kb": {"title": KB100, "org_unit": "city_a", "levels": ["中级专卖管理员"], "opens": "2026-10-01", "closes": "2026-10-31"},
        "unit-abc": {"title": "批次", "org_unit": "abc", "levels": ["中级专卖管理员"], "opens": "2026-10-01", "closes": "2026-10-31"},
        "unit-huge": {"title": "批次", "org_unit": HUGE, "levels": ["中级专卖管理员"], "opens": "2026-10-01", "closes": "2026-10-31"},
        "unit-other-city": {"title": "批次", "org_unit": "city_b", "levels": ["中级专卖管理员"], "opens": "2026-10-01", "closes": "2026-10-31"},
        "levels-junk": {"title": "批次", "org_unit": "city_a", "levels": ["超级", ""], "opens": "2026-10-01", "closes": "2026-10-31"},
        "dates-feb-30": {"title": "批次", "org_unit": "city_a", "levels": ["中级专卖管理员"], "opens": "2026-02-30", "closes": "99999-01-01"},
        "closes-before-opens": {"title": "批次", "org_unit": "city_a", "levels": ["中级专卖管理员"], "opens": "2026-10-31", "closes": "2026-10-01"},
        "check-after-close": {"title": "批次", "org_unit": "city_a", "levels": ["中级专卖管理员"], "opens": "2026-10-01", "closes": "2026-10-31", "check_date": "2027-01-01"},
    })
    add("web:round_apply", "round", {
        "empty": {}, "employee-no-100kb": {"employee_no": KB100}, "employee-no-other-city": {"employee_no": "M101"},
        "employee-no-unknown": {"employee_no": "NOPE"}, "level-junk": {"level": "超级专卖管理员"}, "level-100kb": {"level": KB100},
        "already-applied": {"employee_no": "M001"},
    })
    add("web:round_qualified", "round", {
        "empty": {}, "ids-not-numbers": {"ids": ["abc", "1x", ""]}, "ids-huge": {"ids": [HUGE]},
        "ids-other-city": {"ids": ["other_monopoly_admin"]}, "ids-5000": {"ids": [str(i) for i in range(1, 5001)]},
        "ids-already-applied": {"ids": ["monopoly_admin"]},
    })
    add("web:application_review", "application", {
        "empty": {}, "items-maybe": {"manual.1": "maybe", "manual.2": "1"}, "comment-100kb": {"manual.1": "1", "manual.2": "0", "comment": KB100},
        "not-yet-checked": {"manual.1": "1", "manual.2": "1", "comment": "符合"},
    })
    add("web:import_confirm", None, {
        "empty": {}, "token-unknown": {"token": "nope"}, "token-traversal": {"token": "../../etc/passwd"},
        "token-nul": {"token": "a\x00b"}, "token-100kb-cancel": {"token": KB100, "action": "cancel"},
    })
    return cases


GARBAGE = _garbage_posts()


def _resolve(bureau, value):
    """Body values naming a fixture object become its id (an employee's route takes the employee)."""
    if isinstance(value, list):
        return [_resolve(bureau, v) for v in value]
    obj = bureau.get(value) if isinstance(value, str) else None
    return obj.pk if obj is not None else value


def _url(bureau, route, obj):
    if obj is None:
        return reverse(route)
    if obj in ("ladder", "monopoly"):
        return reverse(route, args=[obj])
    target = bureau[obj]
    return reverse(route, args=[target.employee_id if route == "web:immediate_demotion" else target.pk])


@pytest.mark.parametrize(("route", "obj", "body", "htmx"), [c[1:] for c in GARBAGE], ids=[c[0] for c in GARBAGE])
def test_garbage_posts_are_refused_in_chinese_and_write_nothing(bureau, clients, route, obj, body, htmx):
    url = _url(bureau, route, obj)
    data = {key: value if key == "next" else _resolve(bureau, value) for key, value in body.items()}
    before = _written()
    failures = _hit(clients, "post", url, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    assert not failures
    assert _written() == before


# ---- the import page's uploads ----------------------------------------------------------------------------

UPLOADS = {
    "no-file": lambda: {"kind": "scores"},
    "empty-csv": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.csv", b"", content_type="text/csv")},
    "empty-xlsx": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.xlsx", b"")},
    "binary-named-xlsx": lambda: {"kind": "employees", "file": SimpleUploadedFile("staff.xlsx", bytes(range(256)) * 64)},
    "zip-not-a-workbook": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.xlsx", b"PK\x03\x04" + b"\x00" * 200)},
    "binary-named-csv": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.csv", bytes(range(256)) * 64)},
    "gbk-csv": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.csv", "工号,月份,考核得分\nA001,2026-10,91\n".encode("gbk"))},
    "wrong-extension": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.exe", b"MZ\x90\x00")},
    "no-extension": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores", b"a,b\n1,2\n")},
    "kind-unknown": lambda: {"kind": "unknown", "file": SimpleUploadedFile("scores.csv", b"a,b\n1,2\n")},
    "header-only-huge-cell": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.csv", ("工号,月份,考核得分\n" + "9" * 100_000 + ",2026-10,91\n").encode())},
    "nul-bytes": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.csv", "工号,月份,考核得分\nA0\x0001,2026-10,9\x001\n".encode())},
    "score-huge": lambda: {"kind": "scores", "file": SimpleUploadedFile("scores.csv", f"工号,月份,考核得分\nA001,2026-10,{HUGE}\nA001,2026-10,1e999\n".encode())},
}


@pytest.mark.parametrize("make", UPLOADS.values(), ids=UPLOADS.keys())
def test_hostile_uploads_are_refused_in_chinese_and_write_nothing(bureau, clients, make):
    before = _written()
    failures = []
    for role in ROLES:
        # A fresh upload per request: a file object is read once.
        response = clients[role].post(reverse("web:imports"), make())
        if response.status_code >= 500:
            failures.append(f"{role}: {response.status_code} {response.exc_info[1]!r}"[:300])
    assert not failures
    assert _written() == before


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[" * 100_000, "嵌套层数过多"),
        ('{"x": ' + "9" * 5000 + "}", "数值位数过多"),
        ('{"x": NaN}', "数值 NaN 不是有限数"),
        ('{"x": -1e999}', "数值 -1e999 不是有限数"),
        ("{not json", "JSON 格式错误：第 1 行第 2 列附近"),
    ],
    ids=["nested", "digits", "nan", "infinity", "syntax"],
)
def test_a_rule_book_that_json_cannot_hold_is_a_chinese_form_error(bureau, clients, document, message):
    response = clients[Role.HR].post(reverse("web:rulebook_new", args=["ladder"]), {"document": document, "effective_from": "2027-01-01"})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_threshold_too_large_for_a_decimal_is_refused_not_a_500(bureau, clients):
    document = DEFAULT_BOOK.replace('"80"', '"1e999999999"')
    failures = _hit(clients, "post", reverse("web:rulebook_check", args=["ladder"]), {"document": document, "effective_from": "2027-01-01"})
    assert not failures
