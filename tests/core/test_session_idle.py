"""A session ends after a working day without activity (JINJIE_SESSION_IDLE_SECONDS, 8 hours by
default); any request renews it, but the session is written at most once a minute for that."""

from datetime import timedelta

import pytest
from bureau import PASSWORD, make_tree, make_user
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jinjie.core.middleware import SESSION_SEEN_KEY
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    make_user("hr", Role.HR, make_tree()["city_a"])
    client = Client()
    assert client.post("/login/", {"username": "hr", "password": PASSWORD}).status_code == 302
    return client


def stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def age_the_session(client, *, idle: timedelta) -> None:
    """As if the last request had been `idle` ago."""
    row = stored(client)
    data = row.get_decoded()
    data[SESSION_SEEN_KEY] = int((timezone.now() - idle).timestamp())
    Session.objects.filter(pk=row.pk).update(
        session_data=Session.objects.encode(data), expire_date=timezone.now() - idle + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )


def test_the_idle_limit_is_a_working_day_by_default():
    assert settings.JINJIE_SESSION_IDLE_SECONDS == 8 * 3600 == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_a_session_idle_longer_than_the_limit_is_over(client):
    age_the_session(client, idle=timedelta(hours=8, minutes=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_activity_renews_the_session(client):
    age_the_session(client, idle=timedelta(hours=7, minutes=50))
    assert client.get("/").status_code == 200
    left = stored(client).expire_date - timezone.now()
    assert left > timedelta(hours=7, minutes=58)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE  # the browser's copy is renewed too
    age_the_session(client, idle=timedelta(hours=7, minutes=50))
    assert client.get("/").status_code == 200  # still in: the renewal counted


def test_requests_within_a_minute_do_not_write_the_session(client):
    client.get("/")  # the first request after logging in records the time
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    age_the_session(client, idle=timedelta(minutes=2))
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert any("django_session" in q["sql"] and "UPDATE" in q["sql"].upper() for q in queries)


def test_a_visitor_without_a_session_gets_none(db):
    response = Client().get("/login/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
