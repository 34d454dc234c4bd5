"""Cell parsers: one raw cell (CSV text, or an XLSX str/Decimal/datetime/bool) → the stored value.

Each parser returns the value, or raises CellError with the reason in Chinese. A blank cell is
`None` for every parser here; whether blank is allowed is the column's business (kinds.py).
XLSX numbers arrive as Decimal built from the cell's own text, so "85.5" stays exact: no float
ever reaches a score (SPEC 2.1: compare exactly).

Key fields (工号, months, periods, dates, years and other numbers, 身份证号) are read through
core.text.to_halfwidth first: ２０２６－１１ typed in full-width mode is the month 2026-11, not a
second month beside it. Free text (names, descriptions) is stored as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from jinjie.core.text import to_halfwidth
from jinjie.org.selectors import normalize_org_path
from jinjie.people.idcard import id_number_error

# Text that a spreadsheet would run as a formula. Exports prefix such cells with ' (writers.py);
# imports take that ' off again, so a value survives export → edit → import unchanged.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "'")

# ASCII digits only (\d would also match ２ or ٢ and store them as typed): keys go through
# to_halfwidth first.
_DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_PERIOD_RE = re.compile(r"^([0-9]{4})[Qq]([1-4])$")
# Characters XML (so XLSX) cannot hold; refused on import so that every stored text can be exported.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class CellError(ValueError):
    """A cell that cannot be stored; the message is the reason shown to the user."""


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def unescape_text(text: str) -> str:
    """Undo the export's formula neutralisation: "'=1" → "=1", "''x" → "'x"; "'x" stays."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def _number_text(value: Decimal) -> str:
    """A number typed into a text column (工号 123, 手机号 138…) as the digits a person typed."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value, "f")


def as_text(raw: Any) -> str | None:
    """The cell as stripped text (None if blank); numbers and dates as a person would write them."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw.strip()
    elif isinstance(raw, bool):
        text = "是" if raw else "否"
    elif isinstance(raw, Decimal):
        text = _number_text(raw)
    elif isinstance(raw, int | float):
        text = _number_text(Decimal(str(raw)))
    elif isinstance(raw, datetime):
        text = raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    elif isinstance(raw, date):
        text = raw.isoformat()
    else:
        text = str(raw).strip()
    return text or None


def text(max_length: int) -> Callable[[Any], str | None]:
    def parse(raw: Any) -> str | None:
        value = as_text(raw)
        if value is None:
            return None
        value = unescape_text(value).replace("\r\n", "\n").replace("\r", "\n")
        if _CONTROL_RE.search(value):
            raise CellError("含有不可见的控制字符")
        if len(value) > max_length:
            raise CellError(f"长度不能超过 {max_length} 个字符")
        return value

    return parse


def key_text(raw: Any) -> str | None:
    """A key cell as ASCII where it was typed full-width: "ＬＪ０００００１" → "LJ000001"."""
    value = as_text(raw)
    return None if value is None else to_halfwidth(value)


def code(max_length: int) -> Callable[[Any], str | None]:
    """An identifier (工号, 编码): text, with full-width digits and letters read as ASCII."""
    parse_text = text(max_length)

    def parse(raw: Any) -> str | None:
        value = key_text(raw)
        return None if value is None else parse_text(value)

    return parse


def choice(options: Iterable[str]) -> Callable[[Any], str | None]:
    allowed = tuple(options)
    listed = "、".join(allowed)

    def parse(raw: Any) -> str | None:
        value = as_text(raw)
        if value is None:
            return None
        if value not in allowed:
            raise CellError(f"应为以下之一：{listed}")
        return value

    return parse


def boolean(raw: Any) -> bool | None:
    value = as_text(raw)
    if value is None:
        return None
    if value == "是":
        return True
    if value == "否":
        return False
    raise CellError("应为“是”或“否”")


def _as_decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError("不是有效的数字")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | float):
        value = Decimal(str(raw))
    else:
        try:
            value = Decimal(to_halfwidth(str(raw).strip()))
        except InvalidOperation:
            raise CellError("不是有效的数字") from None
    if not value.is_finite():
        raise CellError("不是有效的数字")
    return value


def decimal(low: Decimal | int, high: Decimal | int, places: int) -> Callable[[Any], Decimal | None]:
    low, high = Decimal(low), Decimal(high)

    def parse(raw: Any) -> Decimal | None:
        if is_blank(raw):
            return None
        value = _as_decimal(raw)
        if not low <= value <= high:
            raise CellError(f"应在 {low} 到 {high} 之间")
        # normalize() only ever raises the exponent: skip it when the digits as typed already fit.
        if value.as_tuple().exponent < -places and value.normalize().as_tuple().exponent < -places:
            raise CellError(f"最多 {places} 位小数" if places else "应为整数")
        return value

    return parse


SCORE = decimal(0, 100, 2)


def integer(low: int, high: int) -> Callable[[Any], int | None]:
    def parse(raw: Any) -> int | None:
        if is_blank(raw):
            return None
        value = _as_decimal(raw)
        if value != value.to_integral_value():
            raise CellError("应为整数")
        number = int(value)
        if not low <= number <= high:
            raise CellError(f"应在 {low} 到 {high} 之间")
        return number

    return parse


def iso_date(raw: Any) -> date | None:
    if raw.__class__ is str:  # a CSV cell (the common case): key_text without its type tests
        text = raw.strip()
        return _date_of_text(text) if text else None
    if is_blank(raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    return _date_of_text(key_text(raw) or "")


# A file's dates repeat (start dates, the same birthdays, 现职级起始日期): each text parsed once.
# A refused text raises every time (lru_cache keeps no exceptions).
@lru_cache(maxsize=16384)
def _date_of_text(text: str) -> date:
    match = _DATE_RE.match(to_halfwidth(text))
    if not match:
        raise CellError("日期格式应为 YYYY-MM-DD，例如 2026-07-01")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError("不是有效的日期") from None


def month(raw: Any) -> str | None:
    if is_blank(raw):
        return None
    # Excel turns a typed "2026-07" into the date 2026-07-01: accept that, and only that day.
    if isinstance(raw, date) and raw.day == 1:
        return f"{raw.year:04d}-{raw.month:02d}"
    match = _MONTH_RE.match(key_text(raw) or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise CellError("月份格式应为 YYYY-MM，例如 2026-07")
    return match[0]


def period(raw: Any) -> str | None:
    if is_blank(raw):
        return None
    match = _PERIOD_RE.match(key_text(raw) or "")
    if not match:
        raise CellError("测评期格式应为 YYYYQn，例如 2026Q3")
    return f"{match[1]}Q{match[2]}"


def org_path(raw: Any) -> str | None:
    """ "省公司 / 市局 ／县局" → "省公司/市局/县局" (existence is checked against the org tree).

    Only the full-width slash is read as the separator: unit names keep their own characters
    (a name may well be written with full-width brackets, 某市局（分局）)."""
    value = as_text(raw)
    if value is None:
        return None
    return _normalized_path(value)


@lru_cache(maxsize=4096)
def _normalized_path(text: str) -> str:
    # A file of employees names the same few hundred units again and again.
    return normalize_org_path(text.replace("／", "/"))


def unit_path(max_name: int, max_path: int) -> Callable[[Any], str | None]:
    """The path of a unit being imported (org_units): org_path, and every level a valid name."""

    def parse(raw: Any) -> str | None:
        path = org_path(raw)
        if path is None:
            return None
        if _CONTROL_RE.search(path):
            raise CellError("含有不可见的控制字符")
        names = path.split("/")
        if not all(names):
            raise CellError("路径中有空的层级（两个 / 之间没有单位名称）")
        if any(len(name) > max_name for name in names):
            raise CellError(f"单位名称不能超过 {max_name} 个字符")
        if len(path) > max_path:
            raise CellError(f"路径不能超过 {max_path} 个字符")
        return path

    return parse


@dataclass(frozen=True)
class MaskedIdNumber:
    """A 身份证号 as exports show it (110105********002X): "keep the stored number", if it matches."""

    text: str


_MASKED_ID_RE = re.compile(r"^[0-9]{6}\*{8}[0-9]{3}[0-9X]$")


def id_number(raw: Any) -> str | MaskedIdNumber | None:
    value = key_text(raw)
    if value is None:
        return None
    value = value.upper()
    if "*" in value:
        if _MASKED_ID_RE.match(value):
            return MaskedIdNumber(value)
        raise CellError("身份证号格式不正确（导出的脱敏号码只能原样保留）")
    if error := id_number_error(value):
        raise CellError(error)
    return value
