"""The XLSX reader on workbooks as Excel writes them: shared strings (rich text, phonetic guides),
date number formats (built-in, zh-CN 年月日, custom), the 1904 calendar, namespace prefixes,
gaps between cells and rows — the parts openpyxl's own output never exercises."""

import zipfile
from datetime import datetime
from decimal import Decimal

import pytest

from jinjie.interchange.readers import FileRefused, open_table
from jinjie.interchange.xlsx import Formula

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr {pr}/><sheets><sheet name="说明" sheetId="2" r:id="rId7"/><sheet name="数据" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/sheet9.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="176"/></cellXfs>
</styleSheet>"""
SHARED = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>工号</t></si><si><t>日期</t></si><si><t>说明</t></si>
<si><r><t>迟</t></r><r><rPr><b/></rPr><t xml:space="preserve">到 </t></r><rPh sb="0" eb="1"><t>チ</t></rPh></si>
<si><t>E001</t></si><si><t>&lt;b&gt; &amp; 1</t></si>
</sst>"""
SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:dimension ref="A1:D6"/><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row>
<x:row r="2"><x:c r="A2" t="s"><x:v>4</x:v></x:c><x:c r="B2" s="1"><x:v>46206</x:v></x:c><x:c r="C2" t="s"><x:v>3</x:v></x:c></x:row>
<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:r><x:t>E0</x:t></x:r><x:r><x:t>02</x:t></x:r></x:is></x:c><x:c r="B4" s="2"><x:v>46207</x:v></x:c><x:c r="D4" t="b"><x:v>1</x:v></x:c></x:row>
<x:row r="5"><x:c r="A5"><x:v>1003</x:v></x:c><x:c r="B5" s="3"><x:v>46208</x:v></x:c><x:c r="C5" t="s"><x:v>5</x:v></x:c></x:row>
<x:row r="6"><x:c r="A6" t="str"><x:f>"E"&amp;"004"</x:f><x:v>E004</x:v></x:c><x:c r="B6"><x:v>85.349999999999994</x:v></x:c><x:c r="C6"><x:f t="shared" si="0"/><x:v>1</x:v></x:c></x:row>
</x:sheetData></x:worksheet>"""
OTHER_SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>填表说明</t></is></c></row></sheetData></worksheet>"""


def build(path, *, date1904=False, sheet=SHEET):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(pr='date1904="1"' if date1904 else ""))
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/sharedStrings.xml", SHARED)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/worksheets/sheet9.xml", OTHER_SHEET)
    return path


def read(path):
    with open_table(path) as table:
        return table.header, list(table.rows())


def test_the_first_sheet_in_workbook_order_is_read_not_the_first_file(tmp_path):
    # sheet1.xml holds the data, but the workbook lists the instructions sheet (sheet9.xml) first.
    header, rows = read(build(tmp_path / "book.xlsx"))
    assert header == ["填表说明"] and rows == []


def data_first(tmp_path, *, pr="", sheet=SHEET):
    """The same workbook with the data sheet as its only (so first) sheet."""
    path = tmp_path / "data.xlsx"
    workbook = WORKBOOK.replace('<sheet name="说明" sheetId="2" r:id="rId7"/>', "").format(pr=pr)
    with zipfile.ZipFile(build(tmp_path / "src.xlsx", sheet=sheet)) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, workbook.encode() if item.filename == "xl/workbook.xml" else source.read(item))
    return path


def test_shared_strings_rich_text_dates_and_gaps_are_read_as_excel_shows_them(tmp_path):
    header, rows = read(data_first(tmp_path))
    assert header == ["工号", "日期", "说明"]
    # Rich-text runs are joined, the phonetic guide (チ) left out; spaces are the parsers' business.
    assert rows[0] == (2, ["E001", datetime(2026, 7, 3), "迟到 "])
    assert rows[1] == (4, ["E002", datetime(2026, 7, 4), None, True])  # row 3 absent, C4 empty
    assert rows[2] == (5, [Decimal("1003"), datetime(2026, 7, 5), "<b> & 1"])
    number, cells = rows[3]
    assert number == 6
    assert cells[0] == Formula('="E"&"004"')  # a formula, not its cached "E004"
    assert cells[1] == Decimal("85.35")  # the double's long form, read as Excel shows it
    assert cells[2] == Formula("共享公式")


def test_the_1904_calendar_is_honoured(tmp_path):
    _, rows = read(data_first(tmp_path, pr='date1904="1"'))
    assert rows[0][1][1] == datetime(2030, 7, 4)  # 46206 days after 1904-01-01


def test_a_truncated_sheet_is_refused_clearly(tmp_path):
    with pytest.raises(FileRefused, match="工作簿 XML 损坏"):
        read(data_first(tmp_path, sheet=SHEET[:-200]))
