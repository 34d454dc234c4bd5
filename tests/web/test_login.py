"""Logging in and out, and the throttle on the page: 5 failures per username and address in 15
minutes lock that pair for 15 minutes, with a Chinese message, even against the right password.
(The throttle's own rules, concurrency and addresses: tests/core/test_throttle.py.)"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from jinjie.core import throttle

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_login_page_is_in_chinese(db):
    page = Client().get(reverse("web:login")).content.decode()
    assert "用户名" in page and "密码" in page and "登录" in page


def test_a_user_logs_in_and_lands_on_their_home_page(users):
    client = Client()
    response = _login(client, "committee", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_in_chinese(users):
    response = _login(Client(), "committee", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_username_from_that_address(users):
    client = Client()
    for _ in range(throttle.limit() - 1):
        assert "用户名或密码不正确" in _login(client, "committee", "wrong").content.decode()
    fifth = _login(client, "committee", "wrong").content.decode()
    assert "登录失败次数过多" in fifth and "15 分钟" in fifth
    # Locked: the right password is refused too, and no session is opened.
    locked = _login(client, "committee", PASSWORD)
    assert locked.status_code == 200
    assert "登录失败次数过多" in locked.content.decode()
    assert client.get("/").status_code == 302


def test_the_lock_is_per_username_and_address(users):
    client = Client()
    for _ in range(throttle.limit()):
        _login(client, "committee", "wrong", ip="10.0.0.1")
    assert _login(Client(), "committee", PASSWORD, ip="10.0.0.2").status_code == 302
    assert _login(Client(), "hr", PASSWORD, ip="10.0.0.1").status_code == 302


def test_the_lock_ends_after_fifteen_minutes(users, monkeypatch):
    start = throttle.now()
    monkeypatch.setattr(throttle, "now", lambda: start)
    for _ in range(throttle.limit()):
        _login(Client(), "committee", "wrong")
    monkeypatch.setattr(throttle, "now", lambda: start + timedelta(seconds=throttle.lockout() - 30))
    assert "登录失败次数过多" in _login(Client(), "committee", PASSWORD).content.decode()
    monkeypatch.setattr(throttle, "now", lambda: start + timedelta(seconds=throttle.lockout() + 1))
    assert _login(Client(), "committee", PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count(users, monkeypatch):
    start = throttle.now()
    monkeypatch.setattr(throttle, "now", lambda: start)
    for _ in range(throttle.limit() - 1):
        _login(Client(), "committee", "wrong")
    monkeypatch.setattr(throttle, "now", lambda: start + timedelta(seconds=throttle.window() + 1))
    assert "用户名或密码不正确" in _login(Client(), "committee", "wrong").content.decode()
    assert _login(Client(), "committee", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(users):
    for _ in range(throttle.limit() - 1):
        _login(Client(), "committee", "wrong")
    assert _login(Client(), "committee", PASSWORD).status_code == 302
    for _ in range(throttle.limit() - 1):
        assert "用户名或密码不正确" in _login(Client(), "committee", "wrong").content.decode()


def test_logout_is_a_post(client_for, users):
    client = client_for("committee")
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/").status_code == 302
