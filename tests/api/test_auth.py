"""Integrations log in with a token; browsers with a session, and then CSRF protects every write."""

import pytest
from rest_framework.test import APIClient

from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def test_an_integration_obtains_a_token_and_calls_with_it(users):
    client = APIClient()
    response = client.post("/api/token/", {"username": "hr", "password": "jinjie-test-pw"})
    assert response.status_code == 200
    token = response.data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get("/api/employees/")
    assert listed.status_code == 200
    assert listed.data["count"] == 2


def test_a_wrong_password_gets_no_token_and_a_chinese_reason(users):
    response = APIClient().post("/api/token/", {"username": "hr", "password": "wrong"})
    assert response.status_code == 400
    assert "无法使用提供的认证信息登录" in str(response.data)


def test_a_bad_token_is_refused_with_401(users):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/employees/")
    assert response.status_code == 401
    assert response.data["detail"] == "认证令牌无效。"


def test_a_stale_token_does_not_stop_a_login(users):
    # The token endpoint looks at the user name and password only (the schema promises no 401 there).
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.post("/api/token/", {"username": "hr", "password": "jinjie-test-pw"})
    assert response.status_code == 200
    assert response.data["token"]


def test_a_token_keeps_the_role_checks(users):
    client = APIClient()
    token = client.post("/api/token/", {"username": "discipline", "password": "jinjie-test-pw"}).data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/employees/").status_code == 403


def test_a_session_write_without_the_csrf_token_is_refused(users):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="committee", password="jinjie-test-pw")
    assert client.get("/api/employees/").status_code == 200  # safe methods need no token
    response = client.post("/api/evaluations/", {"period": "2026Q3"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.data["detail"]


def test_a_token_write_needs_no_csrf_token(users):
    client = APIClient(enforce_csrf_checks=True)
    token = client.post("/api/token/", {"username": "committee", "password": "jinjie-test-pw"}).data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # No CSRF refusal: the request reaches validation (400 for the bad period).
    response = client.post("/api/evaluations/", {"period": "2026Q5"}, format="json")
    assert response.status_code == 400


def test_roles_are_the_spec_roles(users):
    assert set(Role) <= set(users)


def test_token_guessing_is_locked_out_after_five_failures(users):
    client = APIClient()
    for _ in range(4):
        assert client.post("/api/token/", {"username": "leader", "password": "guess"}).status_code == 400
    locked = client.post("/api/token/", {"username": "leader", "password": "guess"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.data["detail"]
    # Even the right password waits out the lock; another user is not affected.
    right = client.post("/api/token/", {"username": "leader", "password": "jinjie-test-pw"})
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 0
    assert client.post("/api/token/", {"username": "director", "password": "jinjie-test-pw"}).status_code == 200


def test_a_missing_password_is_a_chinese_400(users):
    response = APIClient().post("/api/token/", {"username": "hr"})
    assert response.status_code == 400
    assert response.data["detail"] == "提交的数据有误：password: 该字段是必填项。"


@pytest.mark.parametrize("body", ["[null, null]", '"hr"', "42"])
def test_a_body_that_is_not_an_object_gets_no_token_and_a_chinese_400(users, body):
    # A JSON list here was a 500 (found by schemathesis).
    response = APIClient().post("/api/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "字典" in response.data["detail"]
