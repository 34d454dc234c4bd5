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
    f"/api/selections/{HUGE}/",
    "/api/selections/abc/ranking/",
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
