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
    # 纪检监察: those an objection they read concerns (tests/web/test_discipline_reads_proposals.py).
    ("get", "/api/proposals/{proposal}/", None,
     {R.COMMITTEE, R.HR, R.TRACK_REVIEWER, R.LEADER, R.DIRECTOR, R.EMPLOYEE, R.DISCIPLINE}),
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
    ("post", "/api/reassignment-cases/1/close/", {"outcome": "other"}, {R.HR}),
    ("post", "/api/imports/scores/", {}, {R.HR, R.ASSESSOR}),
    ("post", "/api/imports/employees/", {}, {R.HR}),
    # 职业发展 (SPEC 5, 2.6); being a mentor is no role: every role may ask, the pairing decides
    ("get", "/api/plans/{zhang}/", None, ALL),
    ("post", "/api/plans/{zhang}/", {"goals": ["x"]}, {R.HR, R.EMPLOYEE}),
    ("post", "/api/plans/{zhang}/comments/", {"text": ""}, ALL),
    ("get", "/api/talks/", None, {R.HR, R.LEADER, R.EMPLOYEE}),
    ("post", "/api/talks/", {}, {R.HR, R.LEADER}),
    ("get", "/api/mentorships/", None, ALL),
    ("post", "/api/mentorships/", {}, {R.HR}),
    ("get", "/api/mentorships/1/mentee/", None, ALL),
    ("get", "/api/surveys/", None, ALL),
    ("post", "/api/surveys/", {}, {R.HR}),
    ("post", "/api/surveys/1/answers/", {}, ALL),
    ("get", "/api/surveys/1/results/", None, {R.HR}),
    ("get", "/api/schemes/", None, ALL),
    ("post", "/api/schemes/", {}, {R.HR}),
    ("get", "/api/favour-lists/", None, {R.HR, R.COMMITTEE, R.LEADER, R.DIRECTOR}),
    ("post", "/api/favour-lists/", {}, {R.HR}),
    ("post", "/api/favour-lists/1/freeze/", None, {R.HR}),
    ("get", "/api/application-rounds/", None, {R.HR, R.COMMITTEE, R.TRACK_REVIEWER}),
    ("get", "/api/application-rounds/1/", None, {R.HR, R.COMMITTEE, R.TRACK_REVIEWER}),
    ("post", "/api/application-rounds/", {"title": ""}, {R.HR}),
    ("post", "/api/application-rounds/1/close/", None, {R.HR}),
    ("get", "/api/applications/", None, {R.HR, R.COMMITTEE, R.TRACK_REVIEWER, R.EMPLOYEE}),
    ("get", "/api/applications/1/", None, {R.HR, R.COMMITTEE, R.TRACK_REVIEWER, R.EMPLOYEE}),
    ("post", "/api/applications/", {"round": 1}, {R.HR, R.EMPLOYEE}),
    ("post", "/api/applications/1/withdraw/", None, {R.HR, R.EMPLOYEE}),
    ("post", "/api/applications/1/review/", {"items": {}}, {R.TRACK_REVIEWER}),
    ("get", "/api/reports/", None, {R.HR, R.COMMITTEE, R.LEADER, R.DIRECTOR}),
    ("get", "/api/reports/flows/?period=2026Q3", None, {R.HR, R.COMMITTEE, R.LEADER, R.DIRECTOR}),
    ("get", "/api/reports/monopoly/", None, {R.HR, R.COMMITTEE, R.LEADER, R.DIRECTOR}),
    ("get", "/api/reports/whatif/?book=1&period=2026Q3", None, {R.HR}),
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
