"""The current rank is a copy of the last rank change; `jinjie check-ranks` finds any drift."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from jinjie.org.models import OrgUnit
from jinjie.people.models import Employee, RankChange
from jinjie.people.selectors import rank_mismatches

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee():
    unit = OrgUnit.objects.create(name="临江市局")
    emp = Employee.objects.create(
        employee_no="E1", name="李四", org_unit=unit, track="客户经理", role_start_date=date(2020, 1, 1), current_rank="初级B"
    )
    RankChange.objects.create(employee=emp, effective_date=date(2025, 1, 1), from_rank="见习", to_rank="初级C")
    RankChange.objects.create(employee=emp, effective_date=date(2026, 1, 1), from_rank="初级C", to_rank="初级B")
    return emp


def test_a_rank_equal_to_the_last_change_is_consistent(employee, capsys):
    assert not rank_mismatches().exists()
    call_command("check_ranks")
    assert "一致" in capsys.readouterr().out


def test_a_rank_that_drifted_from_the_history_is_reported(employee):
    Employee.objects.filter(pk=employee.pk).update(current_rank="高级A")
    assert [(e.employee_no, e.history_rank) for e in rank_mismatches()] == [("E1", "初级B")]
    with pytest.raises(CommandError, match="1 名员工"):
        call_command("check_ranks")
