"""Stored values as people write them and as history keeps them (JSON): shared by the imports, the
exports and every place that records the values an edit replaced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


def plain_decimal(value: Decimal) -> Decimal:
    """85.50 → 85.5 and 100.00 → 100 (never 1E+2): the number as a person writes it."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def to_json(value: Any) -> Any:
    """A stored value as history keeps it: dates ISO, exact numbers as plain text, the rest as is."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(plain_decimal(value))
    return value
