"""What a report hands to the page, the API and the Excel export: charts, each with its table.

A chart's `title` is the question it answers ("本季度哪些单位晋升最多？"). `columns` and `rows` are
the same numbers as the chart, as a table (exact values: Decimal, int, str); `data` is what the
page's chart script draws, plain JSON (numbers as floats), and `kind` names the drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

__all__ = ["KINDS", "Chart", "Report", "money", "percent", "plain", "rounded"]

# The drawings static/web/charts.js knows.
KINDS = ("stacked_bar", "grouped_bar", "sankey", "lines", "boxplot", "heatmap")

_CENT = Decimal("0.01")


def rounded(value: Decimal | int | float | Fraction | None, places: str = "0.01") -> Decimal | None:
    """Half-up to two places (the exact figure shown in tables and exports)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(places), ROUND_HALF_UP)
    return Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with two places; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_CENT, ROUND_HALF_UP)


def money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, ROUND_HALF_UP)


def plain(value: Any) -> Any:
    """A table value as JSON: Decimal as a string (exact), everything else as is."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


@dataclass(frozen=True)
class Chart:
    key: str  # unique within its report: the export and the page's element ids use it
    title: str  # the question the chart answers
    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    data: dict[str, Any]
    note: str = ""  # how the numbers were counted, what was left out and why

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"未知的图表类型 {self.kind}")

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "columns": list(self.columns),
            "rows": [[plain(v) for v in row] for row in self.rows],
            "data": self.data,
            "note": self.note,
        }


@dataclass(frozen=True)
class Report:
    name: str
    label: str
    scope: str  # the unit's path
    filters: dict[str, Any]  # the filters applied, as text (what a URL carries)
    charts: tuple[Chart, ...] = field(default_factory=tuple)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "scope": self.scope,
            "filters": self.filters,
            "charts": [c.as_json() for c in self.charts],
        }


def floats(values: Sequence[Decimal | int | None]) -> list[float | None]:
    """Chart values: numbers for the drawing (the table keeps the exact ones)."""
    return [None if v is None else float(v) for v in values]
