"""Open an uploaded file as a table: its header row and a stream of data rows.

CSV or XLSX (first sheet), decided by the content, not the name. Limits from settings are checked
before anything is parsed; a file that cannot be read raises FileRefused with one clear Chinese
message. Rows stream: nothing here holds the file's rows.

A CSV is UTF-8 (BOM or not) or, when its bytes are not UTF-8, GB18030 — the superset of GBK that
Chinese Excel writes for "CSV (逗号分隔)". The choice is made from the bytes around the first
non-ASCII byte (an ASCII-only prefix says nothing), then every line is decoded as it is read, so a
file that changes encoding half-way is refused naming the row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from .xlsx import SheetReader, XlsxError

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# How much text after the first non-ASCII byte decides the encoding: thousands of Chinese
# characters, of which GBK text would have to be valid UTF-8 by chance (it never is).
_SNIFF_BYTES = 64 * 1024
_SCAN_BYTES = 256 * 1024
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# One physical line of a CSV is read whole before it is parsed: no real row comes near this.
MAX_LINE_BYTES = 1024 * 1024
_BARE_CR = re.compile(r"(?<=\r)(?!\n)")
UTF8, GB18030 = "utf-8", "gb18030"
_SAVE_AS = "请将文件另存为“CSV UTF-8(逗号分隔)”，或直接上传 .xlsx"


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


class _Undecodable(Exception):
    """A line that the file's encoding cannot decode (the row number is added by the reader)."""


class _LineTooLong(Exception):
    pass


def sniff_csv_encoding(source: IO[bytes]) -> tuple[str, int]:
    """(encoding, bytes to skip) of a CSV: UTF-8 with or without BOM, else GB18030 (GBK).

    Reads up to the first non-ASCII byte (_SCAN_BYTES at a time, nothing kept) and decodes what follows
    it; an ASCII-only file is UTF-8. The source is left at its start.
    """
    source.seek(0)
    if source.read(3) == codecs.BOM_UTF8:
        source.seek(0)
        return UTF8, 3
    source.seek(0)
    encoding = UTF8
    while chunk := source.read(_SCAN_BYTES):
        if chunk.isascii():
            continue
        start = _NON_ASCII.search(chunk).start()
        sample = chunk[start : start + _SNIFF_BYTES]
        if len(sample) < _SNIFF_BYTES:
            sample += source.read(_SNIFF_BYTES - len(sample))
        try:
            # Not final: the sample may end inside a character.
            codecs.getincrementaldecoder(UTF8)().decode(sample, final=False)
        except UnicodeDecodeError:
            encoding = GB18030
        break
    source.seek(0)
    return encoding, 0


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f} MB"


class Table:
    """A header row (the cells of spreadsheet row 1) and the data rows after it."""

    def __init__(self, source: IO[bytes], name: str, *, owns_source: bool):
        self._source, self._owns = source, owns_source
        self.name = name
        self.max_rows = settings.JINJIE_IMPORT_MAX_ROWS
        self._sheet: SheetReader | None = None
        self.encoding: str | None = None  # of a CSV, once its rows are read
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

    def _csv_lines(self, skip: int) -> Iterator[str]:
        """The decoded physical lines, each as csv.reader wants it (line ending kept)."""
        source, encoding = self._source, self.encoding
        source.seek(skip)
        readline = source.readline
        while line := readline(MAX_LINE_BYTES + 1):
            if len(line) > MAX_LINE_BYTES:
                raise _LineTooLong
            try:
                text = line.decode(encoding)
            except UnicodeDecodeError:
                raise _Undecodable from None
            cr = text.find("\r")
            if cr != -1 and text[cr + 1 : cr + 2] not in ("\n", ""):
                # Lines ended by a bare CR (old Mac files): what text mode with newline="" does.
                yield from (piece for piece in _BARE_CR.split(text) if piece)
            else:
                yield text

    def _csv_rows(self) -> Iterator[tuple[int, list[Any]]]:
        self.encoding, skip = sniff_csv_encoding(self._source)
        reader = csv.reader(self._csv_lines(skip))
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):  # noqa: B007 - used after the loop
                if number > self.max_rows + 1:
                    raise FileRefused(f"数据行数超过上限 {self.max_rows} 行")
                yield number, cells
        except _Undecodable:
            # The row being read when the bad line came is the next one after the last complete row.
            if self.encoding == UTF8:
                reason = f"第 {number + 1} 行不是 UTF-8 编码，而文件在它之前是 UTF-8：同一文件混用了两种编码"
            else:
                reason = f"第 {number + 1} 行含有 GBK/GB18030 编码以外的字节"
            raise FileRefused(f"{reason}。{_SAVE_AS}") from None
        except _LineTooLong:
            raise FileRefused(f"第 {number + 1} 行过长（一行超过 {MAX_LINE_BYTES // 1048576} MB），不是有效的 CSV 文件") from None
        except csv.Error as exc:
            raise FileRefused(f"不是有效的 CSV 文件（第 {number + 1} 行：{_csv_reason(exc)}）") from None

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


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"单元格超过 {csv.field_size_limit()} 个字符"
    if "NUL" in text:
        return "含有空字符(NUL)"
    if "new-line character seen in unquoted field" in text:
        return "未加引号的单元格中有换行符"
    return text


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
