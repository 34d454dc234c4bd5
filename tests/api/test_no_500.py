"""Whatever a caller sends, the answer is a 4xx with a Chinese `detail`, never a 500."""

import pytest

from jinjie.org.models import Role

pytestmark = pytest.mark.django_db

HUGE = 10**20

GARBAGE = [
    [1, 2],
    "just a string",
    {"ids": [HUGE], "decision": "approve"},
    {"ids": [-1], "decision": "approve"},
    {"ids": [None], "decision": "approve"},
    {"ids": {"a": 1}, "decision": "approve"},
    {"decision": ["approve"], "comment": {"x": 1}},
    {"notice_item": HUGE, "text": "x"},
    {"period": None},
    {"period": "Q3-2026"},
    {"org": "../../etc"},
    {"upheld": True, "reason": "x" * 5000},
    {"employee_no": "A001", "violation_date": "2026-02-30", "to_level": "grade"},
    {"round": HUGE, "level": "中级专卖管理员"},
    {"round": -1, "employee_no": ["A001"], "level": None},
    {"round": "abc", "employee_no": "x" * 5000, "level": "超级专卖管理员"},
    {"title": "x" * 500, "org": "../..", "levels": [None], "opens": "2026-02-30", "closes": "x", "check_date": 5},
    {"title": "批次", "org": "\x00", "levels": "中级专卖管理员", "opens": "2026-10-01", "closes": "2026-09-01"},
    {"items": {"manual.1": "maybe"}, "comment": {"x": 1}},
    {"items": [1, 2], "comment": "x" * 5000},
    {"items": {"x" * 300: True}},
    {"outcome": "new_post", "decided_on": "2026-02-30", "new_post": "x" * 5000},
    {"outcome": ["other"], "decided_on": 20261008, "comment": None},
    {"decision": "approve", "meeting": {"held_on": "2026-02-30", "minutes_no": "x" * 5000, "attendees": None}},
    {"decision": "approve", "meeting": "yesterday"},
    {"ids": [1], "decision": "approve", "meeting": [1, 2]},
]

POSTS = [
    "/api/token/",  # a JSON list there was a 500 (found by schemathesis)
    "/api/evaluations/",
    "/api/proposals/decide-batch/",
    "/api/proposals/submit/",
    f"/api/proposals/{HUGE}/decide/",
    f"/api/proposals/{HUGE}/submit/",
    "/api/proposals/1/decide/",
    "/api/notices/",
    "/api/objections/",
    f"/api/objections/{HUGE}/resolve/",
    "/api/immediate-demotions/",
    # 职业发展 (SPEC 5, 2.6)
    "/api/plans/1/",
    f"/api/plans/{HUGE}/",
    f"/api/plans/{HUGE}/gap-actions/",
    f"/api/plans/{HUGE}/comments/",
    "/api/plans/1/comments/",
    "/api/talks/",
    f"/api/talks/{HUGE}/acknowledge/",
    "/api/mentorships/",
    f"/api/mentorships/{HUGE}/meetings/",
    f"/api/mentorships/{HUGE}/ratings/",
    "/api/surveys/",
    f"/api/surveys/{HUGE}/state/",
    f"/api/surveys/{HUGE}/answers/",
    "/api/schemes/",
    f"/api/schemes/{HUGE}/publish/",
    "/api/favour-lists/",
    f"/api/favour-lists/{HUGE}/freeze/",
    "/api/application-rounds/",
    f"/api/application-rounds/{HUGE}/close/",
    "/api/application-rounds/abc/close/",
    "/api/applications/",
    f"/api/applications/{HUGE}/withdraw/",
    f"/api/applications/{HUGE}/review/",
    "/api/applications/1/review/",
    f"/api/reassignment-cases/{HUGE}/close/",
    "/api/reassignment-cases/1/close/",
    f"/api/selections/{HUGE}/decide/",
    "/api/selections/",
]

GETS = [
    f"/api/employees/{HUGE}/",
    "/api/employees/abc/",
    f"/api/proposals/{HUGE}/",
    "/api/proposals/abc/",
    f"/api/notices/{HUGE}/",
    f"/api/objections/{HUGE}/",
    "/api/objections/abc/",
    f"/api/objections/?proposal={HUGE}",
    "/api/proposals/?period=2026Q3&org=%00",
    "/api/employees/?org=%00&rank=%00",
    "/api/me/?period=%00",
    "/api/employees/?page=99999",
    "/api/employees/?page=abc",
    f"/api/plans/{HUGE}/",
    "/api/plans/abc/",
    "/api/talks/",
    "/api/talks/abc/",
    f"/api/talks/{HUGE}/",
    "/api/mentorships/",
    f"/api/mentorships/{HUGE}/",
    f"/api/mentorships/{HUGE}/mentee/",
    "/api/surveys/",
    f"/api/surveys/{HUGE}/results/",
    "/api/surveys/abc/results/",
    "/api/schemes/",
    "/api/favour-lists/",
    f"/api/favour-lists/{HUGE}/",
    "/api/favour-lists/abc/",
    f"/api/application-rounds/{HUGE}/",
    "/api/application-rounds/abc/",
    "/api/application-rounds/?page=abc",
    f"/api/applications/{HUGE}/",
    "/api/applications/abc/",
    f"/api/applications/?round={HUGE}&state=nonsense",
    "/api/applications/?round=abc&state=granted",
    "/api/reports/nonsense/",
    f"/api/reports/flows/?org={HUGE}&period=%00",
    "/api/reports/rates/?period=1900Q1&periods=99999999999999999999",
    "/api/reports/distribution/?date=0001-01-01&track=%00",
    "/api/reports/scores/?month=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-09",
    "/api/reports/criteria/?target=%00&org=../../etc",
    "/api/reports/monopoly/?date=9999-12-31",
    f"/api/reports/whatif/?book={HUGE}&period=2026Q3",
    "/api/reports/whatif/?book=abc&period=abc",
    "/api/reports/whatif/?book=1&period=2026Q3&org=%00",
    "/api/employees/?page=last",
    "/api/employees/1.5/",
    "/api/no-such-endpoint/",
    f"/api/selections/{HUGE}/",
    "/api/selections/abc/ranking/",
]


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.EMPLOYEE, Role.HR, Role.TRACK_REVIEWER])
@pytest.mark.parametrize("url", POSTS)
def test_garbage_posts_get_a_chinese_4xx(client_for, rulebooks, staff, role, url):
    client = client_for(role)
    for body in GARBAGE:
        response = client.post(url, body, format="json")
        assert 400 <= response.status_code < 500, (url, body, response.status_code)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()["detail"])), (url, body, response.content)


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.EMPLOYEE, Role.HR])
@pytest.mark.parametrize("url", GETS)
def test_garbage_reads_get_a_chinese_4xx_or_an_empty_answer(client_for, rulebooks, staff, role, url):
    response = client_for(role).get(url)
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code >= 400:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()["detail"])), (url, response.content)


def test_a_body_that_is_not_json_is_a_chinese_400(client_for, staff):
    response = client_for(Role.COMMITTEE).post(
        "/api/evaluations/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.data["detail"]


@pytest.mark.parametrize("period", ["abc", "2026Q5", "9999Q4", "2026Q0", "２０２６Ｑ９", "x" * 500])
def test_a_malformed_period_is_a_chinese_400_everywhere(client_for, evaluated, period):
    committee = client_for(Role.COMMITTEE)
    for response in (
        committee.get("/api/proposals/", {"period": period}),
        committee.get("/api/me/", {"period": period}),
        committee.post("/api/evaluations/", {"period": period}, format="json"),
        committee.post("/api/proposals/submit/", {"period": period}, format="json"),
    ):
        assert response.status_code == 400, (period, response.status_code)
        assert "测评期" in str(response.data["detail"]) or "季度" in str(response.data["detail"]) or "年份" in str(
            response.data["detail"]
        ), response.data


def test_a_full_width_period_reads_as_the_same_quarter(client_for, evaluated):
    plain = client_for(Role.COMMITTEE).get("/api/proposals/", {"period": "2026Q3"}).data["count"]
    wide = client_for(Role.COMMITTEE).get("/api/proposals/", {"period": "２０２６Ｑ３"}).data["count"]
    assert plain == wide > 0
def test_another_citys_round_and_application_are_a_chinese_404_for_every_role(client_for, rulebooks, users, tree, today):
    from datetime import date

    from jinjie.applications.models import Application, ApplicationTransition
    from jinjie.applications.services import application_apply, round_open
    from jinjie.people.models import AnnualRating, Qualification, TrainingRecord

    from .conftest import make_employee

    theirs = make_employee(tree["city_b"], "M101", "冯专管", track="专卖管理员", current_rank="初级专卖管理员",
                           role_start_date=date(2022, 1, 1), education="大专", pay_grade=9,
                           law_cert_valid_until=date(2027, 12, 31))
    Qualification.objects.create(employee=theirs, level="初级专卖管理员", granted_date=date(2024, 6, 1))
    TrainingRecord.objects.create(employee=theirs, date=date(2026, 5, 1), kind="等级考试", level="中级专卖管理员", passed=True)
    AnnualRating.objects.create(employee=theirs, year=2025, kind="专卖双能", rating="良好")
    r = round_open(actor=users["hr_b"], title="乙市局申报", org_unit=tree["city_b"], levels=["中级专卖管理员"],
                   opens=date(2026, 10, 1), closes=date(2026, 10, 31))
    a = application_apply(actor=users["hr_b"], round=r, employee=theirs)
    before = (Application.objects.count(), ApplicationTransition.objects.count())
    calls = [
        ("get", f"/api/application-rounds/{r.pk}/", None),
        ("post", f"/api/application-rounds/{r.pk}/close/", None),
        ("get", f"/api/applications/{a.pk}/", None),
        ("post", f"/api/applications/{a.pk}/withdraw/", None),
        ("post", f"/api/applications/{a.pk}/review/", {"items": {"manual.1": True, "manual.2": True}}),
        ("post", "/api/applications/", {"round": r.pk, "employee_no": "M101"}),
        ("post", "/api/applications/", {"round": r.pk}),
    ]
    for role in Role:
        client = client_for(role)
        for method, url, body in calls:
            response = client.get(url) if method == "get" else client.post(url, body or {}, format="json")
            assert response.status_code in (403, 404), (role, url, response.status_code)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.data["detail"])), (role, url, response.data)
    assert (Application.objects.count(), ApplicationTransition.objects.count()) == before
