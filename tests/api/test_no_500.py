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
]

POSTS = [
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
]


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.EMPLOYEE, Role.HR])
@pytest.mark.parametrize("url", POSTS)
def test_garbage_posts_get_a_chinese_4xx(client_for, rulebooks, staff, role, url):
    client = client_for(role)
    for body in GARBAGE:
        response = client.post(url, body, format="json")
        assert 400 <= response.status_code < 500, (url, body, response.status_code)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.data["detail"])), (url, body, response.data)


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.EMPLOYEE, Role.HR])
@pytest.mark.parametrize("url", GETS)
def test_garbage_reads_get_a_chinese_4xx_or_an_empty_answer(client_for, rulebooks, staff, role, url):
    response = client_for(role).get(url)
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code >= 400:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.data["detail"])), (url, response.data)


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
