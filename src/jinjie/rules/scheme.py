"""Monthly assessment schemes (考核方案, SPEC 5): the items of a track's monthly score and their
maximum points, and the checks a score row with item columns must pass.

Plain Python. The scheme document HR edits is a list of items::

    [{"name": "卷烟营销指标", "max": "50", "note": "销量任务, 销售结构, 重点品牌培育 …"}, …]

Maximum points are strings (Decimal on parse) and add up to 100, the range of a monthly score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jinjie.core.errors import DomainError

from .criteria import fmt_decimal

__all__ = ["DEFAULT_SCHEMES", "Scheme", "SchemeError", "SchemeItem", "check_items", "parse_scheme"]

FULL_MARKS = Decimal(100)
MAX_ITEMS = 30
MAX_NAME = 50


class SchemeError(DomainError, ValueError):
    """A scheme that cannot be used; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True, slots=True)
class SchemeItem:
    name: str
    max: Decimal
    note: str = ""


@dataclass(frozen=True)
class Scheme:
    track: str
    items: tuple[SchemeItem, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.items)

    def item(self, name: str) -> SchemeItem | None:
        return next((i for i in self.items if i.name == name), None)


def parse_scheme(track: str, doc: Any) -> Scheme:
    """Validate a scheme's items; raises SchemeError listing every problem in Chinese."""
    errors: list[str] = []
    if not isinstance(doc, list) or not doc:
        raise SchemeError(["分项应为非空列表"])
    if len(doc) > MAX_ITEMS:
        raise SchemeError([f"分项最多 {MAX_ITEMS} 个"])
    items: list[SchemeItem] = []
    seen: set[str] = set()
    for i, entry in enumerate(doc, start=1):
        where = f"第 {i} 个分项"
        if not isinstance(entry, Mapping):
            errors.append(f"{where}：格式无效")
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.append(f"{where}：名称不能为空")
            continue
        name = name.strip()
        if len(name) > MAX_NAME:
            errors.append(f"{where}：名称最多 {MAX_NAME} 个字")
            continue
        if name in seen:
            errors.append(f"{where}：名称「{name}」重复")
            continue
        seen.add(name)
        raw = entry.get("max")
        try:
            top = Decimal(str(raw).strip()) if isinstance(raw, str | int) and not isinstance(raw, bool) else None
        except InvalidOperation:
            top = None
        if top is None or not top.is_finite() or top <= 0 or top > FULL_MARKS or top.as_tuple().exponent < -2:
            errors.append(f"{where}「{name}」：满分应为 0 到 100 之间的正数（最多两位小数），实为 {raw!r}")
            continue
        note = entry.get("note") or ""
        if not isinstance(note, str):
            errors.append(f"{where}「{name}」：说明应为文字")
            continue
        items.append(SchemeItem(name, top, note.strip()))
    if not errors:
        total = sum((i.max for i in items), Decimal(0))
        if total != FULL_MARKS:
            errors.append(f"各分项满分合计应为 100，实为 {fmt_decimal(total)}")
    if errors:
        raise SchemeError(errors)
    return Scheme(track, tuple(items))


def check_items(
    scheme: Scheme, items: Mapping[str, Decimal], score: Decimal | None
) -> tuple[Decimal | None, list[tuple[str, str]]]:
    """A score row's items against the scheme in force (SPEC 5): (the score to store, errors).

    Errors are (column, Chinese reason): all of the track's items or none; 0 ≤ item ≤ its maximum;
    no unknown item; with items an empty score is their sum and a given score must equal it.
    """
    errors: list[tuple[str, str]] = []
    names = "、".join(scheme.names)
    for name in items:
        if scheme.item(name) is None:
            errors.append((name, f"未知的分项「{name}」：{scheme.track}的考核分项为 {names}"))
    given = [i for i in scheme.items if i.name in items]
    if not given:
        if not errors and score is None:
            errors.append(("score", "必填，不能为空（未填写分项时须填写考核得分）"))
        return score, errors
    for item in scheme.items:
        if item.name not in items:
            errors.append((item.name, f"缺少分项「{item.name}」：填写分项时须填全{scheme.track}的全部分项（{names}）"))
    for item in given:
        value = items[item.name]
        if value < 0 or value > item.max:
            errors.append((item.name, f"分项「{item.name}」应在 0 到 {fmt_decimal(item.max)} 之间，实为 {fmt_decimal(value)}"))
    if errors:
        return score, errors
    total = sum((items[i.name] for i in given), Decimal(0))
    if score is None:
        return total, []
    if score != total:
        errors.append(("score", f"考核得分 {fmt_decimal(score)} 与分项合计 {fmt_decimal(total)} 不一致"))
    return score, errors


def _items(*pairs: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"name": n, "max": m, "note": note} for n, m, note in pairs]


# SPEC 5 defaults (editable by HR: `jinjie init` publishes them as version 1 of each track's scheme).
DEFAULT_SCHEMES: dict[str, list[dict[str, str]]] = {
    "客户经理": _items(
        ("卷烟营销指标", "50", "销量任务、销售结构、重点品牌培育等"),
        ("服务质量指标", "30", "拜访、客户经营分析、电子台账等"),
        ("基础管理与纪律", "20", "135工作法执行、信息采集、网上订货推广等"),
    ),
    "市场管理员": _items(
        ("市场巡查", "30", ""),
        ("证件管理", "10", ""),
        ("经营户分类管理", "10", ""),
        ("专卖社区化管理", "20", ""),
        ("案件查办", "10", ""),
        ("内部监管", "10", ""),
        ("举报投诉处理", "10", ""),
    ),
}
