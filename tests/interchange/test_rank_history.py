"""rank_history is append-only: new changes are added, the current rank follows the latest one."""

from datetime import date

import pytest

from jinjie.people.models import Employee, RankChange, RecordRevision

pytestmark = pytest.mark.django_db

HEADER = ["工号", "生效日期", "原职级", "新职级", "原因"]


def test_importing_history_adds_changes_and_moves_the_current_rank_to_the_latest(employees, write_csv, run_import):
    rows = [HEADER, ["E001", "2026-04-01", "初级B", "初级A", "晋档"], ["E001", "2026-10-01", "初级A", "中级C", "晋级"]]
    result = run_import("rank_history", write_csv(rows))
    assert result.created == 2, [str(e) for e in result.errors]
    employee = Employee.objects.get(employee_no="E001")
    assert (employee.current_rank, employee.rank_since) == ("中级C", date(2026, 10, 1))
    assert RankChange.objects.filter(employee=employee, source="import").count() == 2
    revision = RecordRevision.objects.get(kind="employees")
    assert revision.new_values == {"current_rank": "中级C", "rank_since": "2026-10-01"}


def test_history_older_than_the_current_rank_does_not_move_it(employees, write_csv, run_import):
    rows = [HEADER, ["E002", "2020-01-01", "", "见习", "入职"], ["E002", "2023-01-01", "见习", "初级C", ""]]
    assert run_import("rank_history", write_csv(rows)).created == 2
    employee = Employee.objects.get(employee_no="E002")
    assert (employee.current_rank, employee.rank_since) == ("初级B", date(2025, 1, 1))
    assert RankChange.objects.get(effective_date=date(2020, 1, 1)).from_rank == ""


def test_the_same_change_imported_again_is_a_no_op(employees, write_csv, run_import):
    path = write_csv([HEADER, ["E001", "2026-04-01", "初级B", "初级A", "晋档"]])
    run_import("rank_history", path)
    result = run_import("rank_history", path)
    assert (result.ok, result.created, result.unchanged) == (True, 0, 1)
    assert RankChange.objects.count() == 1


def test_a_different_change_on_a_stored_date_is_refused(employees, write_csv, run_import):
    run_import("rank_history", write_csv([HEADER, ["E001", "2026-04-01", "初级B", "初级A", "晋档"]]))
    result = run_import("rank_history", write_csv([HEADER, ["E001", "2026-04-01", "初级B", "中级C", "晋级"]]))
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "生效日期", "职级变动记录不可修改（生效日期相同的记录已存在）")
    ]
    assert RankChange.objects.get().to_rank == "初级A"


def test_a_change_to_the_same_rank_is_refused(employees, write_csv, run_import):
    result = run_import("rank_history", write_csv([HEADER, ["E001", "2026-04-01", "初级B", "初级B", ""]]))
    assert [(e.column, e.reason) for e in result.errors] == [("新职级", "新职级与原职级相同")]
