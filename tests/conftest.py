"""Suite-wide fixtures and the guard that each run uses the database it claims to."""

import os

import pytest
from django.db import connection


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


@pytest.fixture(autouse=True, scope="session")
def _database_is_the_one_expected(django_db_setup, django_db_blocker):
    expected = os.environ.get("JINJIE_EXPECT_DB")
    if expected:
        assert connection.vendor == expected, f"测试应在 {expected} 上运行，实际是 {connection.vendor}"
