"""core.snapshot: a second connection that reads what the current transaction sees (PostgreSQL),
offered only while the transaction has changed nothing its reads could miss."""

import threading
from datetime import date

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from jinjie.core.snapshot import read_aside, unchanged_so_far
from jinjie.org.models import OrgUnit
from jinjie.people.models import Employee


def employee_count(reader) -> int:
    with reader.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_employee")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite")
def test_sqlite_never_reads_aside():
    with transaction.atomic():
        assert unchanged_so_far() is False


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_only_a_transaction_that_has_changed_nothing_may_read_aside():
    assert unchanged_so_far() is False  # no transaction at all: nothing to share
    with transaction.atomic():
        Employee.objects.count()
        assert unchanged_so_far() is True
        OrgUnit.objects.create(name="某市局")
        assert unchanged_so_far() is False  # the reader could not see that unit


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_reader_sees_the_transactions_snapshot_and_not_what_commits_after_it():
    unit = OrgUnit.objects.create(name="某市局")
    Employee.objects.create(employee_no="E1", name="甲", org_unit=unit, track="客户经理", role_start_date=date(2020, 1, 1))
    s = connection.settings_dict
    committed = threading.Event()
    seen = []

    def reads(reader):
        yield employee_count(reader)
        committed.wait(10)
        yield employee_count(reader)
        with reader.cursor() as cursor:
            cursor.execute("SHOW transaction_read_only")
            yield cursor.fetchone()[0]
        seen.append(reader)

    with transaction.atomic(), read_aside(reads) as counts:
        assert next(counts) == 1
        # Another session hires someone and commits while the run's transaction is open.
        with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, dbname=s["NAME"],
                             user=s["USER"], autocommit=True) as other:
            other.execute(
                "INSERT INTO people_employee (employee_no, name, track, role_start_date, education, vocational_level, "
                "current_rank, gender, id_number, phone, status, updated_at, org_unit_id) SELECT 'E2', '乙', track, "
                "role_start_date, education, vocational_level, current_rank, gender, id_number, phone, status, now(), "
                "org_unit_id FROM people_employee WHERE employee_no = 'E1'"
            )
        committed.set()
        assert list(counts) == [1, "on"]  # the snapshot of the moment it was taken; read only
    assert seen[0].connection is None  # closed with the thread
    assert Employee.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_reads_is_raised_in_the_caller_and_leaving_early_stops_the_thread():
    def failing(reader):
        yield 1
        with reader.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM people_employee")
        yield 2

    with transaction.atomic(), read_aside(failing) as items:
        assert next(items) == 1
        with pytest.raises(DatabaseError, match="no_such_column"):
            next(items)

    def endless(reader):
        while True:
            yield employee_count(reader)

    before = backends()
    with transaction.atomic(), read_aside(endless) as items:
        assert next(items) == 0
        assert backends() == before + 1  # the reader's, and no other
    assert not [t for t in threading.enumerate() if t.name == "jinjie-read-aside"]
    assert backends() == before  # its connection closed with it


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_thread_that_reaches_for_its_own_django_connection_leaves_none_open():
    from django.db import connections

    def stray(reader):
        yield employee_count(connections["default"])  # not the reader: this thread's own

    before = backends()
    with transaction.atomic(), read_aside(stray) as items:
        assert list(items) == [0]
    assert backends() == before


def backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]
