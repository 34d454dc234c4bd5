"""Rank history and the other history tables refuse UPDATE and DELETE, in the database itself."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from jinjie.core.append_only import AppendOnlyError, append_only_tables, installed_triggers
from jinjie.org.models import OrgUnit
from jinjie.people.models import Employee, RankChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def change():
    unit = OrgUnit.objects.create(name="测试市局")
    emp = Employee.objects.create(
        employee_no="E1", name="张三", org_unit=unit, track="客户经理", role_start_date=date(2020, 1, 1)
    )
    return RankChange.objects.create(employee=emp, effective_date=date(2026, 1, 1), from_rank="见习", to_rank="初级C")


def test_every_history_table_has_its_triggers():
    tables = set(append_only_tables())
    assert {"people_rankchange", "people_recordrevision", "people_piiaccesslog"} <= tables
    assert tables <= installed_triggers()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE people_rankchange SET to_rank = '高级A' WHERE id = %s",
        "DELETE FROM people_rankchange WHERE id = %s",
    ],
)
def test_the_database_refuses_to_rewrite_rank_history(change, sql):
    with pytest.raises(IntegrityError, match="历史记录只能追加"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [change.pk])
    change.refresh_from_db()
    assert change.to_rank == "初级C"


def test_the_orm_refuses_to_save_or_delete_a_recorded_change(change):
    change.to_rank = "高级A"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        RankChange.objects.filter(pk=change.pk).update(to_rank="高级A")
    assert RankChange.objects.get(pk=change.pk).to_rank == "初级C"


def test_new_history_rows_are_accepted(change):
    RankChange.objects.create(
        employee=change.employee, effective_date=date(2026, 4, 1), from_rank="初级C", to_rank="初级B"
    )
    assert change.employee.rank_changes.count() == 2
