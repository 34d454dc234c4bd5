"""`jinjie import` and `jinjie export` on the command line."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from jinjie.assessments.models import MonthlyScore
from jinjie.config.cli import main as jinjie

pytestmark = pytest.mark.django_db

HEADER = ["工号", "月份", "考核得分"]


def test_import_prints_the_counts(employees, write_csv):
    out = io.StringIO()
    call_command("import", "scores", str(write_csv([HEADER, ["E001", "2026-07", "85"]])), stdout=out)
    assert "导入完成" in out.getvalue() and "新增 1 条" in out.getvalue()
    assert MonthlyScore.objects.count() == 1


def test_import_exits_1_with_the_report_on_a_bad_file(employees, write_csv, monkeypatch, capsys):
    # run_from_argv closes the connections when it ends; the test's transaction must survive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = write_csv([HEADER, ["E001", "2026-07", "85"], ["E404", "2026-07", "185"]])
    with pytest.raises(SystemExit) as exit_info:
        jinjie(["import", "scores", str(path)])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "第 3 行 工号 工号不存在（值：E404）" in captured.out
    assert "第 3 行 考核得分 应在 0 到 100 之间（值：185）" in captured.out
    assert "未写入任何数据" in captured.err
    assert not MonthlyScore.objects.exists()


def test_import_writes_the_report_as_csv(employees, write_csv, tmp_path):
    report = tmp_path / "report.csv"
    path = write_csv([HEADER, ["E001", "2026-07", "=1+1"]])
    with pytest.raises(CommandError) as error:
        call_command("import", "scores", str(path), "--report", str(report), stdout=io.StringIO())
    assert error.value.returncode == 1
    with open(report, encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["行号", "列", "值", "原因"], ["2", "考核得分", "'=1+1", "不是有效的数字"]]


def test_import_dry_run_writes_nothing(employees, write_csv):
    out = io.StringIO()
    call_command("import", "scores", str(write_csv([HEADER, ["E001", "2026-07", "85"]])), "--dry-run", stdout=out)
    assert "试运行" in out.getvalue() and "将新增 1 条" in out.getvalue()
    assert not MonthlyScore.objects.exists()


def test_import_refuses_an_unknown_kind_and_a_missing_file(employees, tmp_path):
    with pytest.raises(CommandError, match="未知的数据类别「salaries」"):
        call_command("import", "salaries", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import", "scores", str(tmp_path / "missing.csv"))


def test_export_writes_a_file_that_imports_back_unchanged(employees, write_csv, tmp_path):
    from jinjie.assessments.schemes import schemes_load_defaults

    schemes_load_defaults()
    items = ["卷烟营销指标", "服务质量指标", "基础管理与纪律"]
    call_command(
        "import", "scores", str(write_csv([[*HEADER, *items], ["E001", "2026-07", "85.5", "40.5", "27", "18"]])),
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command("export", "scores", "-o", str(tmp_path / "scores.xlsx"), stdout=out)
    assert "已导出 1 行" in out.getvalue()
    again = io.StringIO()
    call_command("import", "scores", str(tmp_path / "scores.xlsx"), stdout=again)
    assert "未变 1 条" in again.getvalue()


def test_export_refuses_an_unknown_format_or_kind(employees, tmp_path):
    with pytest.raises(CommandError, match="请使用 .csv 或 .xlsx"):
        call_command("export", "scores", "-o", str(tmp_path / "scores.pdf"))
    with pytest.raises(CommandError, match="未知的数据类别"):
        call_command("export", "salaries", "-o", str(tmp_path / "x.csv"))


def test_export_proposals_needs_a_period(employees, tmp_path):
    with pytest.raises(CommandError, match="--period"):
        call_command("export", "proposals", "-o", str(tmp_path / "p.csv"))
