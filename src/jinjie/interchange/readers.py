"""Open an uploaded file as a table: its header row and a stream of data rows.

CSV (UTF-8, BOM allowed) or XLSX (first sheet), decided by the content, not the name. Limits from
settings are checked before anything is parsed; a file that cannot be read raises FileRefused with
one clear Chinese message. Rows stream: nothing here holds the file's rows.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from .xlsx import SheetReader, XlsxError

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f} MB"


class Table:
    """A header row (the cells of spreadsheet row 1) and the data rows after it."""

    def __init__(self, source: IO[bytes], name: str, *, owns_source: bool):
        self._source, self._owns = source, owns_source
        self.name = name
        self.max_rows = settings.JINJIE_IMPORT_MAX_ROWS
        self._sheet: SheetReader | None = None
        source.seek(0, io.SEEK_END)
        self.size = source.tell()
        source.seek(0)
        if self.size == 0:
            raise FileRefused("文件为空")
        if self.size > settings.JINJIE_IMPORT_MAX_BYTES:
            raise FileRefused(f"文件大小 {_mb(self.size)} 超过上限 {_mb(settings.JINJIE_IMPORT_MAX_BYTES)}")
        head = source.read(4096)
        source.seek(0)
        suffix = Path(name).suffix.lower()
        if head.startswith(_OLE_MAGIC):
            raise FileRefused("不支持 Excel 97-2003 (.xls) 或加密的工作簿：请另存为 .xlsx 或 CSV UTF-8")
        if head.startswith(_ZIP_MAGIC):
            self.format = "xlsx"
            try:
                self._sheet = SheetReader(
                    source,
                    max_unpacked_bytes=settings.JINJIE_IMPORT_MAX_UNPACKED_BYTES,
                    max_rows=self.max_rows,
                    max_cell_chars=settings.JINJIE_IMPORT_MAX_CELL_CHARS,
                    max_shared_strings_bytes=settings.JINJIE_IMPORT_MAX_SHARED_STRINGS_BYTES,
                )
            except XlsxError as exc:
                raise FileRefused(str(exc)) from None
        elif suffix in (".xlsx", ".xlsm", ".xls"):
            raise FileRefused(f"「{name}」不是有效的 XLSX 文件")
        elif b"\x00" in head:
            raise FileRefused("不是 CSV 或 XLSX 文件")
        else:
            self.format = "csv"
        self._rows = self._stream()
        self.header = self._read_header()

    # -- rows -------------------------------------------------------------------------------

    def _stream(self) -> Iterator[tuple[int, list[Any]]]:
        if self._sheet is not None:
            return self._xlsx_rows()
        return self._csv_rows()

    def _xlsx_rows(self) -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from self._sheet.rows()
        except XlsxError as exc:
            raise FileRefused(str(exc)) from None

    def _csv_rows(self) -> Iterator[tuple[int, list[Any]]]:
        text = io.TextIOWrapper(self._source, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):  # noqa: B007 - used after the loop
                if number > self.max_rows + 1:
                    raise FileRefused(f"数据行数超过上限 {self.max_rows} 行")
                yield number, cells
        except UnicodeDecodeError:
            raise FileRefused(
                f"文件不是 UTF-8 编码（第 {number + 1} 行附近）：从 Excel 保存时请选择“CSV UTF-8”，或直接上传 .xlsx"
            ) from None
        except csv.Error as exc:
            raise FileRefused(f"不是有效的 CSV 文件（第 {number + 1} 行：{exc}）") from None
        finally:
            if not self._source.closed:
                text.detach()  # leave the binary file to its owner

    def _read_header(self) -> list[str]:
        first = next(self._rows, None)
        if first is None:
            raise FileRefused("文件为空")
        number, cells = first
        header = ["" if c is None else str(c).strip() for c in cells] if number == 1 else []
        if not any(header):
            raise FileRefused("第 1 行应为表头（列名）")
        return header

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Data rows: (spreadsheet row number, cells). Blank rows are left out."""
        if self.format == "csv":
            for number, cells in self._rows:
                if "".join(cells).strip():  # every CSV cell is a str: one C-level test per row
                    yield number, cells
            return
        for number, cells in self._rows:
            if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                yield number, cells

    def estimated_rows(self) -> int | None:
        """For a progress bar: declared rows of a sheet, or newlines of a CSV (one fast pass)."""
        if self._sheet is not None:
            return self._sheet.declared_rows - 1 if self._sheet.declared_rows else None
        position = self._source.tell()
        self._source.seek(0)
        lines = 0
        while chunk := self._source.read(1 << 20):
            lines += chunk.count(b"\n")
        self._source.seek(position)
        return max(lines - 1, 0)

    def close(self) -> None:
        self._rows.close()  # finish the row generator while its file is still open
        if self._sheet is not None:
            self._sheet.close()
        if self._owns:
            self._source.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_table(source: str | Path | IO[bytes], name: str | None = None) -> Table:
    """A Table over a path or a binary file object (an upload). Non-seekable streams are spooled."""
    if isinstance(source, str | Path):
        handle = open(source, "rb")  # noqa: SIM115 - the Table closes it
        name = name or Path(source).name
        owns = True
    else:
        handle, owns = source, False
        if not (getattr(handle, "seekable", lambda: False)()):
            spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
            shutil.copyfileobj(handle, spool)
            handle, owns = spool, True
    try:
        return Table(handle, name or getattr(source, "name", "") or "", owns_source=owns)
    except BaseException:
        if owns:
            handle.close()
        raise
