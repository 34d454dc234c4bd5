"""The application's own PostgreSQL role (`jinjie init --app-role`), for tests that act as it.

Production connects as a role that owns no table (README 部署): what works for the tables' owner in
the rest of the suite must also work for that role, or the bureau finds out on its first import.
"""

import os
from contextlib import contextmanager

import pytest
from django.db import connection

APP_PASSWORD = "app-role-test-pw"


@pytest.fixture
def app_role(django_db_blocker):
    """A role name for this test process, dropped (with its grants) afterwards."""
    name = f"jinjie_app_test_{os.getpid()}"
    yield name
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{name}"')  # its grants and default privileges here
            cursor.execute(f'DROP ROLE "{name}"')


@contextmanager
def acting_as(role: str):
    """Django's own connection with the privileges of `role` (SET ROLE), as the web and worker have."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == role
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
