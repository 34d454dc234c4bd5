"""/healthz: the load balancer's question, answered with one query and no login."""

import pytest
from django.db import DatabaseError
from django.test import Client
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_ok_with_one_query_and_no_login():
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert len(queries) == 1
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_a_503_in_chinese(monkeypatch):
    from jinjie.ops import health

    class Broken:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content.decode() == "数据库无法连接"


def test_it_is_exempt_from_the_https_redirect_in_production(monkeypatch):
    import importlib
    import re
    import sys

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    sys.modules.pop("jinjie.config.settings.production", None)
    production = importlib.import_module("jinjie.config.settings.production")
    sys.modules.pop("jinjie.config.settings.production", None)
    assert production.SECURE_SSL_REDIRECT
    assert any(re.search(p, "healthz") for p in production.SECURE_REDIRECT_EXEMPT)
