"""Every endpoint against every role of SPEC 1, written out here rather than read from the code:
a role outside an endpoint's row is refused with 403 before anything runs; a role inside it is
never refused for its role (it may still get 400/404 for what it sent)."""

import pytest

from jinjie.org.models import Role

pytestmark = pytest.mark.django_db

R = Role
ALL = set(Role)
DECIDERS = {R.TRACK_REVIEWER, R.COMMITTEE, R.LEADER, R.DIRECTOR}

MATRIX = [
    ("get", "/api/employees/", None, {R.HR, R.COMMITTEE, R.ASSESSOR, R.EMPLOYEE}),
    ("get", "/api/employees/{zhang}/", None, {R.HR, R.COMMITTEE, R.ASSESSOR, R.EMPLOYEE}),
    ("get", "/api/me/", None, ALL),
    ("post", "/api/evaluations/", {"period": "2026Q5"}, {R.COMMITTEE, R.HR}),
    ("get", "/api/proposals/?period=2026Q3", None, {R.COMMITTEE, R.HR, R.TRACK_REVIEWER, R.LEADER, R.DIRECTOR, R.EMPLOYEE}),
    ("get", "/api/proposals/{proposal}/", None, {R.COMMITTEE, R.HR, R.TRACK_REVIEWER, R.LEADER, R.DIRECTOR, R.EMPLOYEE}),
    ("get", "/api/proposals/queue/", None, DECIDERS),
    ("post", "/api/proposals/{proposal}/decide/", {"decision": "maybe"}, DECIDERS),
    ("post", "/api/proposals/decide-batch/", {"ids": [], "decision": "approve"}, DECIDERS),
    ("post", "/api/proposals/{proposal}/submit/", None, {R.COMMITTEE}),
    ("post", "/api/proposals/submit/", {}, {R.COMMITTEE}),
    ("get", "/api/notices/", None, ALL),
    ("post", "/api/notices/", {"ids": []}, {R.COMMITTEE}),
    ("get", "/api/notices/candidates/", None, {R.COMMITTEE}),
    ("get", "/api/objections/", None, {R.COMMITTEE, R.DISCIPLINE, R.EMPLOYEE}),
    ("post", "/api/objections/", {"notice_item": 1, "text": ""}, ALL),
    ("post", "/api/objections/1/resolve/", {"upheld": True, "reason": "x"}, {R.COMMITTEE}),
    ("post", "/api/immediate-demotions/", {"employee_no": "A001"}, {R.COMMITTEE}),
    ("get", "/api/reassignment-cases/", None, {R.HR}),
    ("post", "/api/imports/scores/", {}, {R.HR, R.ASSESSOR}),
    ("post", "/api/imports/employees/", {}, {R.HR}),
    ("post", "/api/imports/selection_scores/", {}, {R.HR}),
    # 竞聘上岗 (SPEC 4): selection 1 does not exist — the allowed roles get 404/400, never "您的角色"
    ("get", "/api/selections/", None, ALL),
    ("post", "/api/selections/", {}, {R.HR}),
    ("get", "/api/selections/1/", None, {R.HR, R.LEADER, R.DIRECTOR, R.DISCIPLINE}),
    ("get", "/api/selections/1/ranking/", None, {R.HR, R.LEADER, R.DIRECTOR, R.DISCIPLINE}),
    ("get", "/api/selections/1/posting/", None, ALL),
    ("post", "/api/selections/1/applications/", {}, {R.HR, R.EMPLOYEE}),
    ("post", "/api/selections/1/publish/", None, {R.HR}),
    ("post", "/api/selections/1/review/", {}, {R.HR}),
    ("post", "/api/selections/1/scores/", {}, {R.HR}),
    ("post", "/api/selections/1/ballots/", {}, {R.HR}),
    ("post", "/api/selections/1/complete/", {}, {R.HR}),
    ("get", "/api/selections/1/sheet/", None, ALL - {R.EMPLOYEE}),
    ("post", "/api/selections/1/decide/", {}, {R.LEADER}),
    ("post", "/api/selections/1/notice/", {}, {R.HR}),
]


@pytest.mark.parametrize(("method", "url", "body", "allowed"), MATRIX, ids=[f"{m} {u}" for m, u, *_ in MATRIX])
def test_each_role_is_let_through_or_refused_as_spec_1_says(client_for, evaluated, staff, method, url, body, allowed):
    url = url.format(zhang=staff["zhang"].pk, proposal=evaluated["A001"].pk)
    for role in Role:
        client = client_for(role)
        if method == "get":
            response = client.get(url)
        else:
            fmt = "multipart" if "/imports/" in url else "json"
            response = client.post(url, body or {}, format=fmt)
        refused_for_role = response.status_code == 403 and str(response.data["detail"]).startswith("您的角色")
        assert refused_for_role == (role not in allowed), (role, response.status_code, response.data)


@pytest.mark.parametrize(("method", "url", "body", "allowed"), MATRIX, ids=[f"{m} {u}" for m, u, *_ in MATRIX])
def test_anonymous_callers_get_401_everywhere(anon, evaluated, staff, method, url, body, allowed):
    url = url.format(zhang=staff["zhang"].pk, proposal=evaluated["A001"].pk)
    response = anon.get(url) if method == "get" else anon.post(url, body or {}, format="json")
    assert response.status_code == 401
    assert response.data["detail"] == "身份认证信息未提供。"


def test_an_inactive_login_is_refused(users, staff):
    from rest_framework.test import APIClient

    client = APIClient()
    token = client.post("/api/token/", {"username": "hr", "password": "jinjie-test-pw"}).data["token"]
    users[Role.HR].is_active = False
    users[Role.HR].save(update_fields=["is_active"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/employees/")
    assert response.status_code == 401
    assert response.data["detail"] == "用户未激活或者已删除。"
