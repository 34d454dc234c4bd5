"""Headers in English or Chinese (mixed allowed), CSV with or without BOM, and XLSX all read alike."""

from datetime import date
from decimal import Decimal

import pytest

from jinjie.assessments.models import MonthlyScore
from jinjie.people.models import Contribution, Publication, Violation

pytestmark = pytest.mark.django_db


def stored_scores():
    return sorted(MonthlyScore.objects.values_list("employee__employee_no", "month", "score"))


def test_english_keys_are_accepted_as_headers(employees, write_csv, run_import):
    assert run_import("scores", write_csv([["employee_no", "month", "score"], ["E001", "2026-07", "85"]])).ok
    assert stored_scores() == [("E001", "2026-07", Decimal("85"))]


def test_chinese_labels_are_accepted_as_headers(employees, write_csv, run_import):
    assert run_import("scores", write_csv([["工号", "月份", "考核得分"], ["E001", "2026-07", "85"]])).ok
    assert stored_scores() == [("E001", "2026-07", Decimal("85"))]


def test_english_and_chinese_headers_may_be_mixed_in_any_order(employees, write_csv, run_import):
    path = write_csv([["Score", "工号", "month"], ["85", "E001", "2026-07"]])
    assert run_import("scores", path).ok
    assert stored_scores() == [("E001", "2026-07", Decimal("85"))]


def test_the_same_column_named_twice_is_refused(employees, write_csv, run_import):
    result = run_import("scores", write_csv([["工号", "employee_no", "月份", "考核得分"], ["E001", "E001", "2026-07", "85"]]))
    assert [(e.row, e.column) for e in result.errors] == [(1, "employee_no")]


def test_a_csv_with_a_byte_order_mark_is_read(employees, write_csv, run_import):
    path = write_csv([["工号", "月份", "考核得分"], ["E001", "2026-07", "85"]], bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run_import("scores", path).ok
    assert stored_scores() == [("E001", "2026-07", Decimal("85"))]


def test_an_xlsx_first_sheet_is_read_with_numbers_and_dates_as_typed(employees, write_xlsx, run_import):
    rows = [["工号", "日期", "情节", "说明"], ["E001", date(2026, 8, 3), "一般", "迟到"], ["E002", "2026-08-04", "较重", 12345]]
    result = run_import("violations", write_xlsx(rows))
    assert result.ok, [str(e) for e in result.errors]
    assert sorted(Violation.objects.values_list("employee__employee_no", "date", "description")) == [
        ("E001", date(2026, 8, 3), "迟到"),
        ("E002", date(2026, 8, 4), "12345"),
    ]


def test_xlsx_scores_stay_exact(employees, write_xlsx, run_import):
    assert run_import("scores", write_xlsx([["工号", "月份", "考核得分"], ["E001", "2026-07", 85.35], ["E002", "2026-07", 90]])).ok
    assert stored_scores() == [("E001", "2026-07", Decimal("85.35")), ("E002", "2026-07", Decimal("90"))]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(employees, write_csv, run_import):
    rows = [["工号", "日期", "说明"], ["E001", "2026-08-03", "x"], ["", "", ""], ["E002", "2026-13-01", "y"]]
    result = run_import("contributions", write_csv(rows))
    assert [(e.row, e.column) for e in result.errors] == [(4, "日期")]
    assert result.rows == 2
    assert not Contribution.objects.exists()


def test_a_text_cell_keeps_a_leading_quote_unless_it_guards_a_formula(employees, write_csv, run_import):
    header = ["工号", "日期", "题目", "刊物级别", "署名"]
    rows = [header, ["E001", "2026-01-01", "'=1+1", "省级", "独著"], ["E001", "2026-01-02", "'论文", "省级", "独著"]]
    assert run_import("publications", write_csv(rows)).ok
    assert sorted(Publication.objects.values_list("title", flat=True)) == ["'论文", "=1+1"]
