"""A small workbook must not unpack into a huge amount of memory: one cell's text and the whole
shared-string table are counted while they stream, and the file is refused the moment a limit
passes — a 400 KB file holding a 400 MB string once took the server to 942 MB."""

import tracemalloc

import pytest

from jinjie.assessments.models import MonthlyScore

from .xlsx_parts import NS, build_workbook, inline_row, repeated, sheet

pytestmark = pytest.mark.django_db

HUGE = 64 * 1024 * 1024  # characters of the one string: far over the limit, small once zipped
HEADER_ROW = inline_row(1, "工号", "月份", "考核得分")


def file_error(result) -> str:
    assert not result.ok
    assert [e.row for e in result.errors] == [None], [str(e) for e in result.errors]
    return result.errors[0].reason


def import_measured(run_import, path):
    tracemalloc.start()
    try:
        result = run_import("scores", path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_a_huge_shared_string_is_refused_while_it_streams(employees, tmp_path, run_import):
    shared = repeated(
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}"><si><t>工号</t></si><si><t>'.encode(),
        b"a",
        HUGE,
        b"</t></si></sst>",
    )
    rows = [HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>1</v></c></row>']
    path = build_workbook(tmp_path / "bomb.xlsx", sheet_xml=sheet(rows), shared_strings=shared)
    assert path.stat().st_size < 1024 * 1024  # the attack: a small upload

    result, peak = import_measured(run_import, path)

    assert file_error(result) == "工作簿的第 2 个共享字符串的文字超过 32767 个字符的上限：请检查该单元格，或分成几个文件导入"
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1048576:.1f} MB for a {HUGE // 1048576} MB string"
    assert not MonthlyScore.objects.exists()


def test_a_huge_inline_string_is_refused_naming_its_row_and_column(employees, tmp_path, run_import):
    head = f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}'
    cell = '<row r="2"><c r="A2" t="inlineStr"><is><r><t>E0</t></r><r><t>'
    body = repeated((head + cell).encode(), "中".encode(), 3 * HUGE // 8, b"</t></r></is></c></row></sheetData></worksheet>")
    path = build_workbook(tmp_path / "inline.xlsx", sheet_xml=body)

    result, peak = import_measured(run_import, path)

    assert file_error(result).startswith("第 2 行第 1 列单元格的文字超过 32767 个字符的上限")
    assert peak < 4 * 1024 * 1024


def test_a_huge_plain_value_is_refused(employees, tmp_path, run_import):
    head = f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}'
    body = repeated(
        (head + '<row r="2"><c r="C2"><v>').encode(), b"9", HUGE // 4, b"</v></c></row></sheetData></worksheet>"
    )
    result, peak = import_measured(run_import, build_workbook(tmp_path / "value.xlsx", sheet_xml=body))
    assert file_error(result).startswith("第 2 行第 3 列单元格的文字超过 32767 个字符的上限")
    assert peak < 4 * 1024 * 1024


def test_the_cell_limit_is_a_setting_and_a_string_at_the_limit_is_read(employees, tmp_path, run_import, settings):
    settings.JINJIE_IMPORT_MAX_CELL_CHARS = 8
    ok = sheet([HEADER_ROW, inline_row(2, "E001", "2026-07", "85.5")])
    assert run_import("scores", build_workbook(tmp_path / "ok.xlsx", sheet_xml=ok)).ok
    long = sheet([HEADER_ROW, inline_row(2, "E001", "2026-07-01", "85")])
    reason = file_error(run_import("scores", build_workbook(tmp_path / "long.xlsx", sheet_xml=long)))
    assert reason.startswith("第 2 行第 2 列单元格的文字超过 8 个字符的上限")


def test_a_shared_string_table_over_its_memory_budget_is_refused(employees, tmp_path, run_import, settings):
    # Many small strings cost memory too (a Python object each): the table is charged as it grows.
    settings.JINJIE_IMPORT_MAX_SHARED_STRINGS_BYTES = 100_000
    strings = "".join(f"<si><t>E{i:06d}</t></si>" for i in range(2000))  # ~2000 × (80 + 2 × 7) bytes
    shared = f'<?xml version="1.0"?><sst xmlns="{NS}">{strings}</sst>'
    rows = [HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    path = build_workbook(tmp_path / "many.xlsx", sheet_xml=sheet(rows), shared_strings=shared)
    reason = file_error(run_import("scores", path))
    assert reason.startswith("工作簿的共享字符串表过大（第 1064 条时超过 0.1 MB 的上限）")
    settings.JINJIE_IMPORT_MAX_SHARED_STRINGS_BYTES = 200_000
    assert "共享字符串" not in str(run_import("scores", path).errors)


def test_a_tag_with_a_huge_attribute_is_refused_before_expat_buffers_it(employees, tmp_path, run_import):
    head = f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{HEADER_ROW}<row r="2" x="'
    body = repeated(head.encode(), b"x", HUGE, b'"/></sheetData></worksheet>')
    result, peak = import_measured(run_import, build_workbook(tmp_path / "attribute.xlsx", sheet_xml=body))
    assert file_error(result) == "工作簿 XML 异常（一个标记超过 1 MB）"
    assert peak < 8 * 1024 * 1024


@pytest.mark.parametrize("ref", ["ZZZZZZZZZZ2", "XFE2", "a2", "$A$2"])
def test_a_cell_outside_the_sheet_is_refused_not_a_crash(employees, tmp_path, run_import, ref):
    rows = [HEADER_ROW, f'<row r="2"><c r="{ref}"><v>1</v></c></row>']
    reason = file_error(run_import("scores", build_workbook(tmp_path / "ref.xlsx", sheet_xml=sheet(rows))))
    assert reason == f"工作簿结构损坏（第 2 行的单元格位置「{ref}」无效）"


def test_a_row_number_that_is_not_a_number_is_refused_not_a_crash(employees, tmp_path, run_import):
    rows = [HEADER_ROW, '<row r="二"><c><v>1</v></c></row>']
    reason = file_error(run_import("scores", build_workbook(tmp_path / "row.xlsx", sheet_xml=sheet(rows))))
    assert reason == "工作簿结构损坏（行号「二」无效）"
