"""Errors end in Chinese pages, never in a stack trace."""

import pytest
from django.test import Client

from jinjie.org.models import Role
from jinjie.web.views import home

pytestmark = pytest.mark.django_db


def test_an_unexpected_failure_shows_the_chinese_500_page(users, monkeypatch):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setitem(home.TASKS, Role.HR, broken)
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.HR])
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出现错误" in page and "boom" not in page and "Traceback" not in page


def test_a_refused_page_shows_the_chinese_403_page(client_for, users):
    response = client_for(Role.EMPLOYEE).get("/periods/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode() and "返回工作台" in response.content.decode()


def test_a_wrong_method_is_refused_without_a_server_error(client_for, users):
    assert client_for(Role.COMMITTEE).get("/proposals/batch/").status_code == 405
    assert client_for(Role.COMMITTEE).put("/periods/").status_code == 405


def test_malformed_query_parameters_do_not_break_the_lists(client_for, users, rulebooks):
    client = client_for(Role.COMMITTEE)
    assert client.get("/proposals/", {"period": "nonsense", "unit": "x", "page": "-3"}).status_code == 200
    assert client.get("/periods/", {"period": "2026Q9", "unit": "abc"}).status_code == 200
    assert client.get("/objections/", {"status": "<script>", "page": "999"}).status_code == 200
    assert client_for(Role.HR).get("/employees/", {"unit": "99999", "page": "abc"}).status_code == 200
