"""Header and row validation: from spreadsheet cells to ParsedRow, every problem as a RowError.

Nothing here touches the database except through the org-path map handed in: what needs stored
data (unknown 工号, stored records) is planner's business (plan.py), batch by batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import fields as f
from .kinds import BLANK_ALLOWED, Column, Kind
from .report import RowError, short_value
from .xlsx import Formula


@dataclass(slots=True)
class ParsedRow:
    row: int
    values: dict[str, Any]
    items: dict[str, int | float] | None = None
    key: tuple | None = None  # RowParser.complete_key, kept for the planner


@dataclass
class HeaderMap:
    columns: list[tuple[int, Column]] = field(default_factory=list)
    items: list[tuple[int, str]] = field(default_factory=list)
    unnamed: list[int] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)  # column key → the header as written

    @property
    def present(self) -> set[str]:
        return {c.key for _, c in self.columns}

    def label(self, kind: Kind, key: str) -> str:
        return self.written.get(key) or kind.by_key[key].label


def formula_reason(cell: Formula) -> str:
    return f"单元格是公式({cell.text})，请粘贴为数值"


def map_header(kind: Kind, header: list[str]) -> tuple[HeaderMap, list[RowError]]:
    """Which column is which: English key or Chinese label, mixed allowed; blanks ignored."""
    lookup: dict[str, Column] = {}
    for column in kind.columns:
        lookup[column.key.lower()] = column
        lookup[column.label] = column
    mapped = HeaderMap()
    errors: list[RowError] = []
    seen_items: set[str] = set()
    for index, raw in enumerate(header):
        title = f.unescape_text(raw.strip().lstrip("\ufeff"))
        if not title:
            mapped.unnamed.append(index)
            continue
        column = lookup.get(title) or lookup.get(title.lower())
        if column is not None:
            if column.key in mapped.written:
                errors.append(
                    RowError(1, title, title, f"列重复（与「{mapped.written[column.key]}」是同一列）")
                )
                continue
            mapped.columns.append((index, column))
            mapped.written[column.key] = title
        elif kind.items:
            if title in seen_items:
                errors.append(RowError(1, title, title, "分项列重复"))
                continue
            seen_items.add(title)
            mapped.items.append((index, title))
        else:
            known = "、".join(f"{c.label}({c.key})" for c in kind.columns)
            errors.append(RowError(1, title, title, f"未知的列；{kind.label}的列为：{known}"))
    for column in kind.columns:
        if column.required and column.key not in mapped.written:
            errors.append(RowError(1, column.label, "", f"缺少必填列「{column.label}」({column.key})"))
    return mapped, errors


def item_value(value: Decimal) -> int | float:
    """Item scores are stored in JSON: integral as int, else the float of ≤ 2 decimals (exact repr)."""
    return int(value) if value == value.to_integral_value() else float(value)


class RowParser:
    def __init__(self, kind: Kind, header: HeaderMap, org_paths: dict[str, int] | None = None):
        self.kind = kind
        self.header = header
        self.org_paths = org_paths or {}
        blank_allowed = {key for name, key in BLANK_ALLOWED if name == kind.name}
        # (index in the row, column, header as written, blank refused), read once per row
        self._columns = [
            (
                index,
                column.parse,
                column.key,
                column.empty,
                header.written[column.key],
                column.required and column.key not in blank_allowed,
            )
            for index, column in header.columns
        ]
        # (key, what a missing column stands for, whether the file has the column): read per row
        self._key = [(k, kind.by_key[k].empty, k in header.written) for k in kind.key]

    def parse(self, number: int, cells: list[Any]) -> tuple[ParsedRow, list[RowError]]:
        """The row's values (those that parsed) and its errors; a row with errors is not written."""
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        width = len(cells)
        for index, parse, key, empty, title, required in self._columns:
            raw = cells[index] if index < width else None
            if raw.__class__ is Formula:
                errors.append(RowError(number, title, raw.text, formula_reason(raw)))
                continue
            try:
                value = parse(raw)
            except f.CellError as exc:
                errors.append(RowError(number, title, short_value(f.as_text(raw)), str(exc)))
                continue
            if value is None:
                if required:
                    errors.append(RowError(number, title, "", "必填，不能为空"))
                    continue
                value = empty
            values[key] = value
        path = values.get("org_unit")
        if path is not None and path not in self.org_paths:
            title = self.header.written["org_unit"]
            errors.append(
                RowError(
                    number,
                    title,
                    short_value(path),
                    f"单位「{short_value(path, 40)}」不存在：请先导入单位(org_units)，或填写完整路径（如 省公司/市局/县局）",
                )
            )
        items = None
        if self.header.items:
            items = {}
            for index, name in self.header.items:
                raw = cells[index] if index < width else None
                if isinstance(raw, Formula):
                    errors.append(RowError(number, name, raw.text, formula_reason(raw)))
                    continue
                try:
                    score = f.SCORE(raw)
                except f.CellError as exc:
                    errors.append(RowError(number, name, short_value(f.as_text(raw)), f"分项得分{exc}"))
                    continue
                if score is not None:
                    items[name] = item_value(score)
        for index in self.header.unnamed:
            raw = cells[index] if index < width else None
            if not f.is_blank(raw):
                errors.append(
                    RowError(number, f"第 {index + 1} 列", short_value(f.as_text(raw)), "该列没有列名")
                )
        if not errors and self.kind.check:
            for key, reason in self.kind.check(values):
                errors.append(
                    RowError(number, self.header.label(self.kind, key), short_value(values.get(key)), reason)
                )
        return ParsedRow(number, values, items), errors

    def key_complete(self, parsed: ParsedRow) -> bool:
        """Whether every key column in the file parsed (so duplicates can be looked for)."""
        return self.complete_key(parsed) is not None

    def key_of(self, parsed: ParsedRow) -> tuple:
        by_key = self.kind.by_key
        return tuple(parsed.values.get(k, by_key[k].empty) for k in self.kind.key)

    def complete_key(self, parsed: ParsedRow) -> tuple | None:
        """key_of(parsed) if key_complete(parsed), else None: one pass over the key (per row)."""
        values = parsed.values
        key = []
        for name, empty, in_file in self._key:
            if name in values:
                key.append(values[name])
            elif in_file:
                return None
            else:
                key.append(empty)
        return tuple(key)
