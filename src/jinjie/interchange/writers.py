"""The one CSV/XLSX table writer every export uses (SPEC 6 files, proposals, qualification checks).

`write_table(path, headers, rows)` streams: rows may be a generator over a queryset iterator, and
XLSX goes through openpyxl's write-only workbook, so memory stays flat however many rows.
Text that a spreadsheet would run as a formula (= + - @, and ' itself) is written with a leading '
(OWASP "CSV injection"); fields.unescape_text takes it off again on import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook

from jinjie.core.errors import DomainError
from jinjie.core.values import plain_decimal

from .fields import FORMULA_TRIGGERS

FORMATS = ("csv", "xlsx")
_XML_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportFormatError(DomainError, ValueError):
    pass


def table_format(name: str | Path) -> str:
    """ "csv" or "xlsx" from a file name; anything else is refused in Chinese."""
    suffix = Path(str(name)).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ExportFormatError(f"不支持的文件格式「{Path(str(name)).name}」：请使用 .csv 或 .xlsx")
    return suffix


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_value(value: Any) -> Any:
    """A stored value as a cell: text neutralised, dates YYYY-MM-DD, booleans 是/否, exact numbers."""
    if value is None:
        return None
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def _csv_rows(headers: Sequence[str], rows: Iterable[Sequence[Any]]):
    yield [neutralise(h) for h in headers]
    for row in rows:
        yield [
            "" if (v := cell_value(x)) is None else (format(v, "f") if isinstance(v, Decimal) else v)
            for x in row
        ]


def _write_csv(out: IO[str], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    writer = csv.writer(out)
    count = -1
    for count, line in enumerate(_csv_rows(headers, rows)):  # noqa: B007 - the count is the result
        writer.writerow(line)
    return count


def _xlsx_cell(value: Any) -> Any:
    value = cell_value(value)
    if isinstance(value, str) and _XML_ILLEGAL_RE.search(value):
        value = _XML_ILLEGAL_RE.sub("", value)
    return value


def _write_xlsx(target: str | Path | IO[bytes], headers: Sequence[str], rows, sheet_title: str) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Sheet1")
    sheet.append([neutralise(h) for h in headers])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(x) for x in row])
        count += 1
    workbook.save(target)
    return count


def write_workbook(target: str | Path | IO[bytes], sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """Several tables in one XLSX workbook, one sheet each (title, headers, rows), with the same
    cell rules as write_table (formulas neutralised, dates YYYY-MM-DD, exact numbers)."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31] or "Sheet")
        sheet.append([neutralise(h) for h in headers])
        for row in rows:
            sheet.append([_xlsx_cell(x) for x in row])
    workbook.save(target)


def write_table(
    path: str | Path | IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    fmt: str | None = None,
    sheet_title: str = "数据",
) -> int:
    """Write one header row and `rows` to `path` (.csv or .xlsx, or a binary file with `fmt`).

    Values may be str, int, Decimal, date, bool or None. CSV is UTF-8 with a BOM (Excel then reads
    the Chinese correctly; imports accept the BOM). Returns the number of data rows written.
    """
    if fmt is None:
        if not isinstance(path, str | Path):
            raise ExportFormatError("写入文件对象时须指明格式 csv 或 xlsx")
        fmt = table_format(path)
    if fmt not in FORMATS:
        raise ExportFormatError(f"不支持的文件格式「{fmt}」：请使用 csv 或 xlsx")
    if fmt == "xlsx":
        return _write_xlsx(path, headers, rows, sheet_title)
    if isinstance(path, str | Path):
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            return _write_csv(out, headers, rows)
    wrapper = io.TextIOWrapper(path, encoding="utf-8-sig", newline="", write_through=True)
    try:
        return _write_csv(wrapper, headers, rows)
    finally:
        wrapper.detach()
