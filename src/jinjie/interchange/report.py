"""The error report of an import: every bad row, as a spreadsheet shows it (header = row 1)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .writers import write_table

REPORT_HEADERS = ("行号", "列", "值", "原因")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem. `row` is None for a problem of the whole file (not a spreadsheet, too large …)."""

    row: int | None
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row is not None else "文件"
        column = f" {self.column}" if self.column else ""
        return f"{where}{column} {self.reason}"

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.row or 0, self.column)


def short_value(value: object, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_lines(errors: Iterable[RowError]) -> list[str]:
    return [str(e) + (f"（值：{e.value}）" if e.value else "") for e in errors]


def write_report_csv(path: str | Path, errors: Iterable[RowError]) -> None:
    """The full report as CSV, through the shared writer (BOM for Excel, formulas neutralised:
    a report quotes the very cells that were refused, "=A1+1" among them)."""
    rows = (("" if e.row is None else e.row, e.column, e.value, e.reason) for e in errors)
    write_table(path, REPORT_HEADERS, rows, fmt="csv")
