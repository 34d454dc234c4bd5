"""An import is all or nothing, and --dry-run validates and counts without writing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.assessments.models import MonthlyScore
from jinjie.people.models import Employee, RankChange, RecordRevision

from .conftest import COUNTY, make_employee

pytestmark = pytest.mark.django_db

HEADER = ["工号", "月份", "考核得分"]


def test_one_bad_row_among_good_ones_writes_nothing(employees, write_csv, run_import):
    rows = [HEADER] + [[f"E00{i}", "2026-07", "85"] for i in (1, 2, 3)] + [["E001", "2026-08", "abc"]]
    result = run_import("scores", write_csv(rows))
    assert not result.ok and result.rows == 4
    assert not MonthlyScore.objects.exists()


def test_a_bad_row_also_stops_the_updates_of_good_rows(employees, write_csv, run_import):
    run_import("scores", write_csv([HEADER, ["E001", "2026-07", "85"]]))
    result = run_import("scores", write_csv([HEADER, ["E001", "2026-07", "95"], ["E404", "2026-07", "85"]]))
    assert not result.ok
    assert MonthlyScore.objects.get().score == 85
    assert not RecordRevision.objects.exists()


def test_a_bad_employee_row_stops_the_rank_changes_of_the_others(employees, write_csv, run_import):
    header = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期", "当前职级", "现职级起始日期"]
    rows = [header, ["E001", "员工E001", COUNTY, "客户经理", "2022-01-01", "初级A", "2026-04-01"]]
    rows.append(["E002", "员工E002", COUNTY, "客户经理", "2022-01-01", "初级A", "2026-04-31"])
    assert not run_import("employees", write_csv(rows)).ok
    assert Employee.objects.get(employee_no="E001").current_rank == "初级B"
    assert not RankChange.objects.exists()


def test_dry_run_validates_and_counts_without_writing(employees, write_csv, run_import):
    run_import("scores", write_csv([HEADER, ["E001", "2026-07", "85"], ["E002", "2026-07", "80"]]))
    path = write_csv([HEADER, ["E001", "2026-07", "90"], ["E002", "2026-07", "80"], ["E003", "2026-07", "70"]], name="v2.csv")
    result = run_import("scores", path, dry_run=True)
    assert (result.ok, result.written, result.created, result.updated, result.unchanged) == (True, False, 1, 1, 1)
    assert "试运行" in result.summary()
    assert sorted(MonthlyScore.objects.values_list("employee__employee_no", "score")) == [("E001", 85), ("E002", 80)]
    assert not RecordRevision.objects.exists()


def test_dry_run_reports_bad_rows_too(employees, write_csv, run_import):
    result = run_import("scores", write_csv([HEADER, ["E001", "2026-07", "185"]]), dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "考核得分")]


def test_the_number_of_queries_does_not_grow_with_the_rows(org, write_csv, run_import):
    for i in range(1, 301):
        make_employee(org["county"], f"Q{i:04d}")

    def queries_for(count: int, name: str) -> int:
        rows = [HEADER] + [[f"Q{i:04d}", "2026-07", "85"] for i in range(1, count + 1)]
        with CaptureQueriesContext(connection) as captured:
            assert run_import("scores", write_csv(rows, name=name)).ok
        return len(captured)

    MonthlyScore.objects.all().delete()
    small = queries_for(10, "small.csv")
    MonthlyScore.objects.all().delete()
    large = queries_for(300, "large.csv")
    assert large == small <= 12


def test_a_row_the_database_refuses_while_writing_writes_nothing(employees, write_csv, run_import, monkeypatch):
    # A score stored by someone else between validation and writing: the insert (COPY on
    # PostgreSQL, executemany on SQLite) hits the unique key; the error is the database's,
    # reported in Chinese, and the import's transaction leaves nothing behind.
    from jinjie.interchange import services

    def write_after_a_concurrent_insert(planner, **options):
        MonthlyScore.objects.create(employee=Employee.objects.get(employee_no="E002"), month="2026-07", score=1)
        real_apply_plan(planner, **options)

    real_apply_plan = services.apply_plan
    monkeypatch.setattr(services, "apply_plan", write_after_a_concurrent_insert)
    result = run_import("scores", write_csv([HEADER] + [[f"E00{i}", "2026-07", "85"] for i in (1, 2, 3)]))
    assert not result.ok
    assert "写入时数据库拒绝" in result.errors[0].reason
    assert not MonthlyScore.objects.exists()
