"""Suite-wide fixtures and the guard that each run uses the database it claims to."""

import os

import pytest
from django.db import connection

from tests.app_role import app_role  # noqa: F401 - a fixture for every package (the application's PostgreSQL role)


def pytest_collection_modifyitems(config, items):
    expected = os.environ.get("JINJIE_EXPECT_DB")
    if expected is None:
        from django.conf import settings

        expected = "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    if expected != "postgresql":
        skip = pytest.mark.skip(reason="只在 PostgreSQL 上运行(需要真实的行锁)")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)
    else:
        # These never touch the suite's database: each runs `jinjie` processes on SQLite files of
        # its own (DATABASE_URL set for them), so the PostgreSQL half would repeat the SQLite
        # half's run exactly — about 3 minutes of migrations in subprocesses.
        once = pytest.mark.skip(reason="在自己的 SQLite 文件上运行，与所用数据库无关：只在 SQLite 那一轮运行")
        for item in items:
            if "own_sqlite_files" in item.keywords:
                item.add_marker(once)


@pytest.fixture(autouse=True, scope="session")
def _database_is_the_one_expected(django_db_setup, django_db_blocker):
    expected = os.environ.get("JINJIE_EXPECT_DB")
    if expected:
        assert connection.vendor == expected, f"测试应在 {expected} 上运行，实际是 {connection.vendor}"


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_history_tables():
    """pytest-django empties the database after a transactional test with Django's flush, which is
    TRUNCATE on PostgreSQL, and the history tables refuse TRUNCATE (core.append_only). The test
    database's owner switches that one trigger off for the flush alone — the very thing the
    application's non-owner role (core.db_roles) cannot do."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from jinjie.core.append_only import append_only_tables

    original = BaseDatabaseOperations.execute_sql_flush

    def set_truncate_guard(ops, state: str) -> None:
        existing = set(ops.connection.introspection.table_names())
        with ops.connection.cursor() as cursor:
            for table in (t for t in append_only_tables() if t in existing):
                cursor.execute(f'ALTER TABLE "{table}" {state} TRIGGER "{table}_no_truncate"')

    def execute_sql_flush(self, sql_list):
        if self.connection.vendor != "postgresql" or not any(sql.startswith("TRUNCATE") for sql in sql_list):
            return original(self, sql_list)
        set_truncate_guard(self, "DISABLE")
        try:
            return original(self, sql_list)
        finally:
            set_truncate_guard(self, "ENABLE")

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True, scope="session")
def _flush_deletes_rather_than_truncates(_flush_may_empty_the_history_tables):
    """TRUNCATE of all ~140 tables gives each table, index and TOAST table a new file and syncs them
    all at commit: about 1 s on PostgreSQL after every transactional test, whose tables hold a few
    dozen rows. DELETE empties them as surely for a fraction of that. With session_replication_role
    = replica for the flush's transaction alone, neither the foreign keys (all the tables are
    emptied together, as TRUNCATE empties them) nor the history tables' triggers apply. Setting it
    takes a superuser (the CI's postgres); otherwise, or when sequences are to be reset, Django's
    TRUNCATE runs as before."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or not _superuser(self.connection):
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL session_replication_role = replica"] + [
            f"DELETE FROM {self.quote_name(table)}" for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


def _superuser(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_transactions_connection(monkeypatch):
    """`jinjie worker` (django-tasks-db's loop) calls close_old_connections() between tasks, as a
    request does; inside a test's transaction (autocommit off) that would close the test's
    connection. Django's test client switches the same call off for requests; so do we here."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _each_test_starts_in_chinese():
    """A request in English leaves English active on the thread (LocaleMiddleware activates it and
    nothing switches it back), so a test that builds a form or a message outside a request would
    read in whatever language the previous test's last request chose. Each test starts in the
    site's language, as a fresh process does."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
