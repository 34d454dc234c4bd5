"""The login throttle (core.throttle), shared by the login page and POST /api/token/.

A password is checked only after an attempt has been reserved in the database, so at most LIMIT
passwords are ever checked per user name and address in a window, however many requests arrive at
once; and at most USER_LIMIT per user name from all addresses that have not logged in as that user
before. While locked, even the right password is refused.
"""

import threading
import time
from datetime import timedelta

import pytest
from bureau import PASSWORD, make_tree, make_user
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from jinjie.core import throttle
from jinjie.org.models import Role


@pytest.fixture
def user(db):
    return make_user("committee", Role.COMMITTEE, make_tree()["city_a"])


@pytest.fixture
def checks(monkeypatch):
    """Counts the passwords really checked (every call of the authentication backend), each made a
    little slow so that parallel requests overlap the way they do on a loaded server."""
    seen = {"n": 0}
    lock = threading.Lock()
    original = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):
        with lock:
            seen["n"] += 1
        time.sleep(0.05)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    return seen


def token(password, username="committee", ip="10.0.0.1", **extra):
    return APIClient().post("/api/token/", {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def login(password, username="committee", ip="10.0.0.1"):
    return Client().post(reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def in_parallel(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as e:  # noqa: BLE001 - reported to the test
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


# --- at most LIMIT passwords checked, whatever the concurrency ---------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_token_requests_check_exactly_limit_passwords(user, checks):
    results = in_parallel([lambda: token("wrong")] * 40)
    codes = [r.status_code for r in results]
    assert checks["n"] == throttle.limit() == 5
    # The failures are 400, or 429 for one that locked the pair; everything else never reached a password.
    assert codes.count(400) + codes.count(429) == 40, codes
    assert codes.count(429) >= 40 - throttle.limit()
    refused = next(r for r in results if r.status_code == 429)
    assert "登录失败次数过多" in refused.data["detail"] and int(refused["Retry-After"]) > 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_right_password_in_a_parallel_burst_of_wrong_ones_is_refused_once_the_budget_is_spent(user, checks):
    spent = threading.Event()

    def wrong():
        response = token("wrong")
        if checks["n"] >= throttle.limit():
            spent.set()
        return response

    def right():
        # Sent while the five wrong checks may still be running, before their failures are recorded:
        # the budget is already reserved, so this one is never checked.
        assert spent.wait(timeout=30)
        return token(PASSWORD)

    results = in_parallel([wrong] * 29 + [right])
    assert results[-1].status_code == 429, results[-1].data
    assert checks["n"] == throttle.limit()


def test_twenty_nine_wrong_then_the_right_password_is_refused_while_locked(user, checks):
    codes = [token("wrong").status_code for _ in range(29)]
    assert codes == [400] * 4 + [429] * 25
    right = token(PASSWORD)
    assert right.status_code == 429
    assert "token" not in right.data
    assert checks["n"] == 5


def test_the_web_login_and_the_api_share_one_budget(user, checks):
    for _ in range(3):
        assert "用户名或密码不正确" in login("wrong").content.decode()
    assert token("wrong").status_code == 400
    assert token("wrong").status_code == 429
    page = login(PASSWORD).content.decode()
    assert "登录失败次数过多" in page and "在本机" in page
    assert checks["n"] == 5


def test_a_success_clears_the_count_of_that_address(user, checks):
    for _ in range(4):
        token("wrong")
    assert token(PASSWORD).status_code == 200
    assert [token("wrong").status_code for _ in range(5)] == [400] * 4 + [429]


@override_settings(JINJIE_LOGIN_LIMIT=2, JINJIE_LOGIN_LOCKOUT_SECONDS=60)
def test_limit_and_lockout_come_from_the_settings(user, checks, monkeypatch):
    start = throttle.now()
    assert [token("wrong").status_code for _ in range(3)] == [400, 429, 429]
    assert int(token(PASSWORD)["Retry-After"]) <= 60
    monkeypatch.setattr(throttle, "now", lambda: start + timedelta(seconds=61))
    assert token(PASSWORD).status_code == 200
    assert checks["n"] == 3


def test_the_lock_ends_after_lockout_and_old_failures_leave_the_window(user, monkeypatch):
    start = throttle.now()
    monkeypatch.setattr(throttle, "now", lambda: start)
    for _ in range(4):
        token("wrong")
    monkeypatch.setattr(throttle, "now", lambda: start + timedelta(seconds=throttle.window() + 1))
    assert token("wrong").status_code == 400  # the four are out of the window: this is the first
    for _ in range(4):
        token("wrong")
    assert token(PASSWORD).status_code == 429
    monkeypatch.setattr(throttle, "now", lambda: start + timedelta(seconds=throttle.window() + throttle.lockout() + 2))
    assert token(PASSWORD).status_code == 200


# --- per user name, across addresses --------------------------------------------------------------


def test_many_addresses_share_a_cap_per_user_name(user, checks):
    # 4 wrong from each of 5 addresses: 20, the cap per user name. No pair reached its own limit.
    codes = [token("wrong", ip=f"10.1.0.{n}").status_code for n in range(5) for _ in range(4)]
    assert codes == [400] * 19 + [429]  # the twentieth failure locks the user name
    assert checks["n"] == throttle.user_limit() == 20
    fresh = token(PASSWORD, ip="10.1.0.99")
    assert fresh.status_code == 429
    assert "多个地址" in fresh.data["detail"]
    assert checks["n"] == 20


def test_the_cap_per_user_name_does_not_lock_the_user_out_of_an_address_they_logged_in_from(user, checks):
    assert token(PASSWORD, ip="10.9.9.9").status_code == 200  # the user's own desk
    for n in range(5):
        for _ in range(4):
            token("wrong", ip=f"10.1.0.{n}")
    assert token(PASSWORD, ip="10.1.0.99").status_code == 429  # a new address: capped
    assert token(PASSWORD, ip="10.9.9.9").status_code == 200  # the known one: still in
    # … and a known address is still held to its own limit.
    assert [token("wrong", ip="10.9.9.9").status_code for _ in range(6)] == [400] * 4 + [429] * 2


@override_settings(JINJIE_LOGIN_USER_LIMIT=3)
def test_the_cap_per_user_name_comes_from_the_settings(user):
    assert [token("wrong", ip=f"10.2.0.{n}").status_code for n in range(3)] == [400, 400, 429]
    assert token(PASSWORD, ip="10.2.0.50").status_code == 429


def test_another_user_name_is_not_affected(user, checks):
    make_user("leader", Role.LEADER, user.org_unit)
    for _ in range(5):
        token("wrong")
    assert token(PASSWORD, username="leader").status_code == 200


def test_a_missing_password_checks_nothing_and_reserves_nothing(user, checks):
    for _ in range(10):
        assert APIClient().post("/api/token/", {"username": "committee"}, REMOTE_ADDR="10.0.0.1").status_code == 400
    assert checks["n"] == 0
    assert token(PASSWORD).status_code == 200


def test_the_table_holds_no_user_names_or_addresses(user):
    from jinjie.core.models import LoginThrottle

    token("wrong", ip="10.3.3.3")
    keys = list(LoginThrottle.objects.values_list("key", flat=True))
    assert len(keys) == 2  # the pair and the user name
    assert not any("committee" in k or "10.3.3.3" in k for k in keys)


# --- the client's address -------------------------------------------------------------------------


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/login/", **extra)


@override_settings(JINJIE_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert throttle.client_address(_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


@override_settings(JINJIE_TRUSTED_PROXIES=["10.0.0.1", "192.168.0.0/16"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # nginx (10.0.0.1) appended the address it saw: that is the client.
        ("10.0.0.1", "198.51.100.4", "198.51.100.4"),
        # The client wrote its own X-Forwarded-For: only the right-most untrusted entry counts.
        ("10.0.0.1", "1.1.1.1, 2.2.2.2, 198.51.100.4", "198.51.100.4"),
        # Two trusted hops (a load balancer in 192.168/16, then nginx).
        ("10.0.0.1", "6.6.6.6, 198.51.100.4, 192.168.1.20", "198.51.100.4"),
        # Not from a trusted proxy: the header is the sender's own word, ignored.
        ("203.0.113.7", "198.51.100.4", "203.0.113.7"),
        # A trusted proxy that forwarded no header: the proxy is what we know.
        ("10.0.0.1", None, "10.0.0.1"),
        ("10.0.0.1", "", "10.0.0.1"),
        # Every entry is a trusted proxy: the left-most one is the nearest thing to a client.
        ("10.0.0.1", "192.168.3.3, 192.168.1.20", "192.168.3.3"),
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_forwarded_address_is_the_client(remote, forwarded, expected):
    assert throttle.client_address(_request(remote, forwarded)) == expected


@override_settings(JINJIE_TRUSTED_PROXIES=["10.0.0.1"])
def test_a_guesser_behind_the_proxy_cannot_pick_a_fresh_address_per_try(user, checks):
    for n in range(8):
        token("wrong", ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"5.5.5.{n}, 198.51.100.4")
    assert checks["n"] == 5
    assert token(PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 429
    # Another client behind the same proxy is another address.
    assert token(PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.5").status_code == 200


def test_the_throttle_lives_in_core_only():
    import importlib.util

    assert importlib.util.find_spec("jinjie.web.throttle") is None
