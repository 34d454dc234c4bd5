"""The production settings pass Django's deployment checklist and refuse a missing SECRET_KEY."""

import os
import subprocess
import sys

import pytest

PRODUCTION = {"DJANGO_SETTINGS_MODULE": "jinjie.config.settings.production"}


def run_jinjie(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their session; a deployment never has it.
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environ = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-c", "from jinjie.config.cli import main; main()", *args],
        env={**environ, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_jinjie("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="x" * 64 + "-production-key-for-the-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_jinjie("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_moved_day():
    result = run_jinjie("check", SECRET_KEY="x" * 64 + "-production-key-for-the-check", JINJIE_TODAY="2026-10-10")
    assert result.returncode != 0
    assert "JINJIE_TODAY 只用于演示" in result.stderr


def test_postgresql_connections_run_without_jit_and_keep_options_given_in_the_url(monkeypatch):
    # JIT compiled the evaluation's 10,000-people read for 16 of its 57 ms (ten times a run); the
    # application's queries are short, so its connections turn it off, beside any options the
    # operator put in DATABASE_URL.
    from jinjie.config.settings.base import database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.example:5432/jinjie?options=-c%20statement_timeout%3D5000")
    options = database_from_env()["OPTIONS"]["options"]
    assert options.startswith("-c jit=off") and "statement_timeout=5000" in options
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    assert "options" not in database_from_env()["OPTIONS"]


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_test_database_connection_has_jit_off():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
