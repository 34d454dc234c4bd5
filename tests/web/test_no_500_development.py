"""No page of the career-development channel (SPEC 5, 2.6) answers a 500, whoever asks and whatever
they send: every page with junk query parameters, impossible and foreign ids, garbage posts — and a
garbage post writes nothing. The same helpers and roles as test_no_500."""

from datetime import date

import pytest
from bureau import make_employee, make_tree, make_user
from django.db import transaction
from django.test import Client
from django.urls import reverse

from jinjie.approvals import clock
from jinjie.assessments.models import AssessmentScheme
from jinjie.assessments.schemes import scheme_create_draft, schemes_load_defaults
from jinjie.development import models as dm
from jinjie.development.services import (
    favour_draw,
    mentorship_create,
    plan_save,
    portal_page_save,
    survey_create,
    survey_open,
    talk_record,
)
from jinjie.org.models import Role
from jinjie.rulebooks.services import rulebook_load_defaults

from .test_no_500 import HUGE, JUNK_QUERIES, KB100, LONG, ROLES, _hit

pytestmark = pytest.mark.django_db


def _build():
    tree = make_tree()
    zhang = make_employee(tree["county_a"], "A001", "张三", current_rank="初级A", role_start_date=date(2024, 4, 1))
    sun = make_employee(tree["county_a"], "A002", "孙老师", current_rank="中级B")
    wang = make_employee(tree["city_b"], "B001", "王五")
    li = make_employee(tree["city_b"], "B002", "李老师", current_rank="中级A")
    a, b = tree["city_a"], tree["city_b"]
    users = {
        Role.HR: make_user("hr", Role.HR, a), Role.ASSESSOR: make_user("assessor", Role.ASSESSOR, a),
        Role.TRACK_REVIEWER: make_user("reviewer", Role.TRACK_REVIEWER, a, track="客户经理"),
        Role.COMMITTEE: make_user("committee", Role.COMMITTEE, a), Role.LEADER: make_user("leader", Role.LEADER, a),
        Role.DISCIPLINE: make_user("discipline", Role.DISCIPLINE, a),
        Role.EMPLOYEE: make_user("zhang", Role.EMPLOYEE, tree["county_a"], employee=zhang),
        "sun": make_user("sun", Role.EMPLOYEE, tree["county_a"], employee=sun), "hr_b": make_user("hr_b", Role.HR, b),
    }
    rulebook_load_defaults()
    schemes_load_defaults()
    hr, hr_b = users[Role.HR], users["hr_b"]
    page = portal_page_save(actor=hr, slug="policy", title="晋升制度", body="# 制度", effective_from="2026-01-01", org_unit=a).page
    portal_page_save(actor=hr_b, slug="other", title="乙市局", body="x", effective_from="2026-01-01", org_unit=b)
    plan_save(employee=zhang, actor=users[Role.EMPLOYEE], goals="目标", actions=[{"text": "学习"}])
    plan_save(employee=wang, actor=hr_b, goals="乙")
    talk = talk_record(employee=zhang, actor=hr, date="2026-10-01", participants="人事", topics="谈话", agreed_actions=["学"],
                       confidential_note="保密")
    other_talk = talk_record(employee=wang, actor=hr_b, date="2026-10-01", participants="人事", topics="谈话")
    pairing = mentorship_create(mentor=sun, mentee=zhang, start_date="2026-09-01", end_date="2027-08-31", goals="目标", actor=hr)
    other_pairing = mentorship_create(mentor=li, mentee=wang, start_date="2026-09-01", end_date="2027-08-31", goals="目标", actor=hr_b)
    questions = [{"kind": "scale", "text": "满意吗"}, {"kind": "choice", "text": "选", "options": ["甲", "乙"]}]
    survey = survey_open(survey=survey_create(actor=hr, title="调查", org_unit=a, tracks=["客户经理"], opens="2026-10-01",
                                              closes="2026-10-31", questions=questions), actor=hr)
    other_survey = survey_create(actor=hr_b, title="乙", org_unit=b, tracks=["客户经理"], opens="2026-10-01", closes="2026-10-31",
                                 questions=questions)
    favour = favour_draw(year=2026, kind="评先", org_unit=a, actor=hr)
    other_favour = favour_draw(year=2026, kind="评先", org_unit=b, actor=hr_b)
    draft = scheme_create_draft(track="客户经理", items=[{"name": "甲", "max": "100"}], effective_from=date(2027, 1, 1), actor=hr)
    objects = {
        "page": page, "zhang": zhang, "wang": wang, "talk": talk, "other_talk": other_talk, "pairing": pairing,
        "other_pairing": other_pairing, "survey": survey, "other_survey": other_survey, "favour": favour,
        "other_favour": other_favour, "draft": draft, "published": AssessmentScheme.objects.get(track="客户经理", version=1),
    }
    return objects, users


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    patch = pytest.MonkeyPatch()
    with django_db_blocker.unblock():
        with transaction.atomic():
            patch.setattr(clock, "today", lambda: date(2026, 10, 9))
            objects, users = _build()
            clients = {}
            for role in ROLES:
                client = Client(raise_request_exception=False)
                if role is not None:
                    client.force_login(users[role])
                clients[role] = client
            mentor = Client(raise_request_exception=False)
            mentor.force_login(users["sun"])
            clients["sun"] = mentor
            yield objects, users, clients
            transaction.set_rollback(True)
    patch.undo()


@pytest.fixture
def objects(_world, db):
    return _world[0]


@pytest.fixture
def clients(_world, db):
    return _world[2]


WRITTEN = (
    dm.PortalPage, dm.PortalRevision, dm.DevelopmentPlan, dm.PlanVersion, dm.PlanComment, dm.CareerTalk, dm.TalkNote,
    dm.Mentorship, dm.MentorMeeting, dm.MentorRating, dm.Survey, dm.Question, dm.Participation, dm.Answer, dm.FavourList,
    dm.FavourEntry, AssessmentScheme,
)


def _written():
    return {m.__name__: m.objects.count() for m in WRITTEN} | {
        "talks_acknowledged": dm.CareerTalk.objects.filter(acknowledged_at__isnull=False).count(),
        "frozen": dm.FavourList.objects.filter(frozen_at__isnull=False).count(),
        "states": sorted(dm.Survey.objects.values_list("pk", "state")),
        "published": AssessmentScheme.objects.filter(status="published").count(),
        "ended": dm.Mentorship.objects.filter(ended_on__isnull=False).count(),
    }


LIST_PAGES = [
    "web:portal", "web:portal_new", "web:portal_standards", "web:plans", "web:talks", "web:talk_new", "web:talks_export",
    "web:mentorships", "web:mentorship_new", "web:surveys", "web:survey_new", "web:schemes", "web:favour",
]
# route → (the object its url takes, the other city's object)
DETAIL = {
    "web:plan": ("zhang", "wang"), "web:talk": ("talk", "other_talk"), "web:mentorship": ("pairing", "other_pairing"),
    "web:survey": ("survey", "other_survey"), "web:survey_answer": ("survey", "other_survey"),
    "web:survey_results": ("survey", "other_survey"), "web:survey_results_export": ("survey", "other_survey"),
    "web:scheme": ("published", None), "web:scheme_edit": ("draft", None), "web:favour_list": ("favour", "other_favour"),
    "web:favour_export": ("favour", "other_favour"),
}
POST_ROUTES = {
    "web:plan_save": ("zhang", "wang"), "web:plan_gap": (None, "wang"), "web:plan_comment": ("zhang", "wang"),
    "web:talk_ack": (None, "other_talk"), "web:talk_to_plan": (None, "other_talk"), "web:meeting_new": ("pairing", "other_pairing"),
    "web:mentorship_rate": ("pairing", "other_pairing"), "web:mentorship_end": (None, "other_pairing"),
    "web:survey_state": (None, "other_survey"), "web:survey_answer": ("survey", "other_survey"),
    "web:scheme_publish": (None, None), "web:favour_freeze": (None, "other_favour"), "web:portal_edit": ("page", None),
}


@pytest.mark.parametrize("query", JUNK_QUERIES.values(), ids=JUNK_QUERIES.keys())
def test_every_page_with_junk_parameters_never_fails(objects, clients, query):
    urls = [reverse(n) for n in LIST_PAGES] + [reverse(n, args=[objects[o].pk]) for n, (o, _) in DETAIL.items()]
    urls += [reverse("web:portal_page", args=["policy"]), reverse("web:portal_edit", args=["policy"]),
             reverse("web:scheme_new", args=["客户经理"])]
    failures = {url: f for url in urls if (f := _hit(clients, "get", url, query))}
    assert not failures


@pytest.mark.parametrize("which", ["zero", "huge", "other-city"])
def test_impossible_and_foreign_ids_are_a_4xx_never_a_500(objects, clients, which):
    before = _written()
    failures = {}
    for route, (_, other) in {**DETAIL, **POST_ROUTES}.items():
        if route == "web:portal_edit":
            continue
        if which == "other-city" and other is None:
            continue
        pk = {"zero": 0, "huge": int(HUGE)}[which] if which != "other-city" else objects[other].pk
        url = reverse(route, args=[pk])
        body = {"text": "点评", "date": "2026-10-08", "notes": "x", "score": "5", "action": "close", "goals": "x"}
        if f := _hit(clients, "get", url) + _hit(clients, "post", url, body):
            failures[url] = f
    for slug in ("no-such-page", "other", "x" * 50):
        url = reverse("web:portal_page", args=[slug])
        if f := _hit(clients, "get", url) + _hit(clients, "post", reverse("web:portal_edit", args=[slug]), {"title": "t", "body": "b"}):
            failures[url] = f
    for track in ("专卖管理员", "unknown", "x" * 300):
        url = reverse("web:scheme_new", args=[track])
        if f := _hit(clients, "get", url) + _hit(clients, "post", url, {"items": "甲|100", "effective_from": "2027-01-01"}):
            failures[url] = f
    assert not failures
    assert _written() == before


GARBAGE_BODIES = {
    "empty": {},
    "100kb": {"title": KB100, "body": KB100, "text": KB100, "goals": KB100, "topics": KB100, "notes": KB100, "items": KB100,
              "questions": KB100, "slug": KB100, "employee_no": KB100, "comment": KB100, "note": KB100},
    "bad-dates": {"effective_from": "2026-02-30", "date": "99999-01-01", "target_date": "abc", "opens": "x", "closes": "2026-13-01",
                  "start_date": "2026-02-30", "end_date": "", "follow_up": "yesterday", "due": "x", "title": "t", "body": "b"},
    "bad-numbers": {"year": HUGE, "org_unit": HUGE, "position": "-5", "score": "99", "kind": "先进", "track": "x",
                    "tracks": ["外星人"], "action_status": ["maybe"], "action_text": ["x"] * 200, "action_due": ["2026-02-30"]},
    "bad-choices": {"kind": ["评先", "x"], "org_unit": "abc", "mentor_no": "A001", "mentee_no": "A001", "start_date": "2026-10-01",
                    "end_date": "2026-09-01", "goals": "g", "questions": "单选|只有一个选项|甲", "title": "t", "opens": "2026-10-01",
                    "closes": "2026-10-31", "items": "甲|abc\n乙|-5", "effective_from": "2027-01-01", "target_rank": "总经理"},
    "nul": {"title": "a\x00b", "body": "\x00", "text": "\x00", "employee_no": "A\x00001", "slug": "a\x00"},
}
POSTS = [
    ("web:portal_new", None), ("web:portal_edit", "policy"), ("web:plan_save", "zhang"), ("web:plan_comment", "zhang"),
    ("web:talk_new", None), ("web:meeting_new", "pairing"), ("web:mentorship_rate", "pairing"), ("web:mentorship_new", None),
    ("web:survey_new", None), ("web:survey_answer", "survey"), ("web:scheme_new", "客户经理"), ("web:scheme_edit", "draft"),
    ("web:favour_draw", None),
]


def _post_url(objects, route, obj):
    if obj is None:
        return reverse(route)
    if obj in ("policy", "客户经理"):
        return reverse(route, args=[obj])
    return reverse(route, args=[objects[obj].pk])


@pytest.mark.parametrize("body", GARBAGE_BODIES.values(), ids=GARBAGE_BODIES.keys())
@pytest.mark.parametrize(("route", "obj"), POSTS, ids=[r[4:] for r, _ in POSTS])
def test_garbage_posts_are_refused_and_write_nothing(objects, clients, route, obj, body):
    before = _written()
    assert not _hit(clients, "post", _post_url(objects, route, obj), body)
    assert _written() == before


def test_long_and_odd_slugs_and_versions_never_fail(objects, clients):
    for query in ({"v": HUGE}, {"v": "-1"}, {"v": LONG}, {"a": "1", "b": HUGE}, {"a": "abc", "b": "1"}):
        assert not _hit(clients, "get", reverse("web:portal_page", args=["policy"]), query)
        assert not _hit(clients, "get", reverse("web:plan", args=[objects["zhang"].pk]), query)
