"""core.snapshot: a second connection that reads what the current transaction sees (PostgreSQL),
offered only while the transaction has changed nothing its reads could miss."""

from datetime import date

import psycopg
import pytest
from django.db import connection, transaction

from jinjie.core.snapshot import snapshot_reader, unchanged_so_far
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
    with transaction.atomic(), snapshot_reader() as reader:
        assert employee_count(reader) == 1
        # Another session hires someone and commits while the run's transaction is open.
        with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, dbname=s["NAME"],
                             user=s["USER"], autocommit=True) as other:
            other.execute(
                "INSERT INTO people_employee (employee_no, name, track, role_start_date, education, vocational_level, "
                "current_rank, gender, id_number, phone, status, updated_at, org_unit_id) SELECT 'E2', '乙', track, "
                "role_start_date, education, vocational_level, current_rank, gender, id_number, phone, status, now(), "
                "org_unit_id FROM people_employee WHERE employee_no = 'E1'"
            )
        assert employee_count(reader) == 1  # the snapshot of the moment it was taken
        with reader.cursor() as cursor:
            cursor.execute("SHOW transaction_read_only")
            assert cursor.fetchone()[0] == "on"
    assert reader.connection is None  # closed
    assert Employee.objects.count() == 2
