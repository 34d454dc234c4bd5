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

from jinjie.approvals import clock
from jinjie.approvals.models import (
    ApprovalStep,
    Notice,
    NoticeItem,
    Objection,
    ObjectionResolution,
    ProposalTransition,
)
from jinjie.approvals.services import notice_publish, proposal_decide, proposal_submit
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import Role
from jinjie.people.models import RankChange, Violation
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
    published = RuleBook.objects.filter(kind=BookKind.LADDER, status=BookStatus.PUBLISHED).first()
    draft = rulebook_create_draft(kind=BookKind.LADDER, document=published.document, effective_from=date(2027, 1, 1))
    bureau = {
        "zhang": zhang, "zhao": proposals["A002"], "wang": wang, "notice": notice, "other_notice": other_notice,
        "objection": objection, "other_objection": other_objection, "violation": violation,
        "other_violation": other_violation, "published": published, "draft": draft, "city_a": a,
        "city_b": tree["city_b"],
    }
    return bureau, users


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
        for model in (ApprovalStep, Notice, NoticeItem, Objection, ObjectionResolution, Proposal, ProposalTransition, RankChange, RuleBook)
    } | {"states": sorted(Proposal.objects.values_list("pk", "state", "step_index"))}


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
    "web:objections", "web:employees", "web:reassignments", "web:rulebooks", "web:imports",
    "web:selections", "web:selection_new",  # the channel's own pages: tests/web/selections/test_no_500_selections.py
]

JUNK_QUERIES = {
    # Combined where they cannot hide each other: page junk with a valid filter, unit junk with period junk.
    "page-abc-kind-unknown": {"page": "abc", "kind": "unknown", "next": "https://evil.example/"},
    "page-negative-status-nonsense": {"page": "-1", "status": "nonsense", "track": "nonsense"},
    "page-huge": {"page": "99999999"},
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
    "web:rulebook": None,
    "web:rulebook_edit": None,
    "web:rulebook_publish": None,
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
            "violation": bureau["other_violation"].pk, "to_level": "grade"}
    failures = _hit(clients, "get", url) + _hit(clients, "post", url, body)
    assert not failures
    assert _written() == before


def test_logout_with_junk_never_fails(bureau, users):
    # Fresh clients: logging out ends the shared clients' sessions.
    fresh = {role: _client(users, role) for role in ROLES}
    failures = _hit(fresh, "get", reverse("web:logout"), {"next": LONG}) + _hit(fresh, "post", reverse("web:logout"), {"next": "https://evil.example/"})
    assert not failures


@pytest.mark.parametrize("kind", ["unknown", "LADDER", "..", "x" * 300])
def test_an_unknown_rulebook_kind_is_a_4xx_never_a_500(bureau, clients, kind):
    failures = []
    for route in ("web:rulebook_new", "web:rulebook_check"):
        url = reverse(route, args=[kind])
        failures += _hit(clients, "get", url) + _hit(clients, "post", url, {"document": "{}", "effective_from": "2027-01-01"})
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
    add("web:rulebook_check", "ladder", book)
    add("web:rulebook_check", "monopoly", book, htmx=True)
    add("web:rulebook_publish", "published", {"empty": {}, "junk": {"force": "yes"}})
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
