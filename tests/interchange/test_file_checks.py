"""Whole-file problems: one clear Chinese message, nothing written, nothing parsed past the limits."""

import zipfile

import pytest
from openpyxl import Workbook

from jinjie.assessments.models import MonthlyScore
from jinjie.people.models import Violation

from .xlsx_parts import build_workbook, inline_row, sheet

pytestmark = pytest.mark.django_db

SCORES_HEADER = ["工号", "月份", "考核得分"]


def file_error(result) -> str:
    assert not result.ok
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    assert result.errors[0].row is None
    return result.errors[0].reason


def test_a_formula_cell_is_refused_naming_the_cell_and_its_formula(employees, tmp_path, run_import):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(SCORES_HEADER)
    sheet.append(["E001", "2026-07", 85])
    sheet.append(["E002", "2026-07", 80])
    sheet.append(["E003", "2026-07", "=C2+1"])
    path = tmp_path / "scores.xlsx"
    workbook.save(path)
    result = run_import("scores", path)
    assert [str(e) for e in result.errors] == ["第 4 行 考核得分 单元格是公式(=C2+1)，请粘贴为数值"]
    assert result.errors[0].value == "=C2+1"
    assert not MonthlyScore.objects.exists()


def test_text_that_merely_starts_with_an_equals_sign_is_not_a_formula(employees, tmp_path, run_import):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工号", "日期", "情节", "说明"])
    sheet.append(["E001", "2026-08-03", "一般", "placeholder"])
    cell = sheet["D2"]
    cell.value, cell.data_type = "=不是公式", "s"
    path = tmp_path / "violations.xlsx"
    workbook.save(path)
    result = run_import("violations", path)
    assert result.ok, [str(e) for e in result.errors]
    assert Violation.objects.get().description == "=不是公式"


def test_a_file_over_the_size_limit_is_refused_before_parsing(employees, write_csv, run_import, settings):
    settings.JINJIE_IMPORT_MAX_BYTES = 40
    path = write_csv([SCORES_HEADER, *([f"E00{i}", "2026-07", "85"] for i in range(1, 4))])
    assert file_error(run_import("scores", path)).startswith("文件大小")
    assert "超过上限" in file_error(run_import("scores", path))
    assert not MonthlyScore.objects.exists()


def test_a_workbook_that_unpacks_over_the_limit_is_refused(employees, write_xlsx, run_import, settings):
    path = write_xlsx([SCORES_HEADER, ["E001", "2026-07", 85]])
    settings.JINJIE_IMPORT_MAX_UNPACKED_BYTES = 2000
    reason = file_error(run_import("scores", path))
    assert reason.startswith("工作簿解压后") and "超过上限" in reason


def test_a_csv_with_too_many_rows_is_refused(employees, write_csv, run_import, settings):
    settings.JINJIE_IMPORT_MAX_ROWS = 2
    path = write_csv([SCORES_HEADER, *([f"E00{i}", "2026-07", "85"] for i in range(1, 4))])
    assert file_error(run_import("scores", path)) == "数据行数超过上限 2 行"
    assert not MonthlyScore.objects.exists()


def test_a_workbook_with_too_many_rows_is_refused_as_they_stream(employees, write_xlsx, run_import, settings):
    settings.JINJIE_IMPORT_MAX_ROWS = 2
    path = write_xlsx([SCORES_HEADER, *([f"E00{i}", "2026-07", 85] for i in range(1, 4))])
    assert file_error(run_import("scores", path)) == "数据行数超过上限 2 行"
    assert not MonthlyScore.objects.exists()


def test_a_small_workbook_declaring_a_whole_sheet_is_read_by_its_real_rows(employees, tmp_path, run_import, settings):
    # Excel declares A1:C1048576 once a whole column has been formatted; the file has two real rows.
    rows = [inline_row(1, *SCORES_HEADER), inline_row(2, "E001", "2026-07", "85"), inline_row(3, "E002", "2026-07", "80")]
    path = build_workbook(tmp_path / "declared.xlsx", sheet_xml=sheet(rows, dimension="A1:C1048576"))
    result = run_import("scores", path)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 2
    settings.JINJIE_IMPORT_MAX_ROWS = 2
    assert run_import("scores", path).unchanged == 2


def test_formatted_empty_rows_are_not_counted_as_data_rows(employees, tmp_path, run_import, settings):
    settings.JINJIE_IMPORT_MAX_ROWS = 2
    empty = [f'<row r="{n}" s="1" customFormat="1" ht="20" customHeight="1"/>' for n in range(4, 2000)]
    rows = [inline_row(1, *SCORES_HEADER), inline_row(2, "E001", "2026-07", "85"), inline_row(3, "E002", "2026-07", "80")]
    path = build_workbook(tmp_path / "formatted.xlsx", sheet_xml=sheet(rows + empty, dimension="A1:C1999"))
    result = run_import("scores", path)
    assert (result.ok, result.created) == (True, 2), [str(e) for e in result.errors]


def test_a_workbook_without_dimensions_is_counted_as_it_streams(employees, tmp_path, run_import, settings):
    settings.JINJIE_IMPORT_MAX_ROWS = 2
    workbook = Workbook(write_only=True)  # writes no <dimension>: the declared size cannot be trusted
    sheet = workbook.create_sheet()
    sheet.append(SCORES_HEADER)
    for i in range(1, 4):
        sheet.append([f"E00{i}", "2026-07", 85])
    path = tmp_path / "scores.xlsx"
    workbook.save(path)
    assert file_error(run_import("scores", path)) == "数据行数超过上限 2 行"


def test_a_missing_required_column_is_refused_naming_it(employees, write_csv, run_import):
    result = run_import("scores", write_csv([["工号", "月份"], ["E001", "2026-07"]]))
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(1, "考核得分", "缺少必填列「考核得分」(score)")]
    assert not MonthlyScore.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(employees, tmp_path, run_import):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert file_error(run_import("scores", path)) == "不是 CSV 或 XLSX 文件"


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(employees, tmp_path, run_import):
    path = tmp_path / "scores.xlsx"
    path.write_text("工号,月份,考核得分\n", encoding="utf-8")
    assert file_error(run_import("scores", path)) == "「scores.xlsx」不是有效的 XLSX 文件"


def test_a_zip_that_is_not_a_workbook_is_refused(employees, tmp_path, run_import):
    path = tmp_path / "scores.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert file_error(run_import("scores", path)) == "不是有效的 XLSX 文件（缺少 xl/workbook.xml）"


def test_an_old_excel_file_is_refused_with_what_to_do(employees, tmp_path, run_import):
    path = tmp_path / "scores.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "请另存为 .xlsx 或 CSV UTF-8" in file_error(run_import("scores", path))


def test_an_empty_file_is_refused(employees, tmp_path, run_import):
    path = tmp_path / "scores.csv"
    path.write_bytes(b"")
    assert file_error(run_import("scores", path)) == "文件为空"


def test_a_header_without_rows_is_refused(employees, write_csv, run_import):
    assert file_error(run_import("scores", write_csv([SCORES_HEADER]))) == "文件中没有数据行"


def test_a_workbook_with_a_doctype_is_refused(employees, tmp_path, write_xlsx, run_import):
    source = write_xlsx([SCORES_HEADER, ["E001", "2026-07", 85]], name="plain.xlsx")
    path = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as archive:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            archive.writestr(item, data)
    assert file_error(run_import("scores", path)) == "工作簿含有不允许的 XML 文档类型声明"
