"""What a draft changes: every value of the draft that differs from the book in force, side by
side, in the words of the tables (``中级C · 任职条件 · 平均绩效``: ``≥ 86`` → ``≥ 87``).

Both books are read through the parse, so a criterion is compared by what it means (its code and
its requirement), not by where it stands in a list: moving a criterion is no change, a new one is
a row with "—" in force. Sections the tables do not lay out are compared value by value under their
keys. A document that does not parse (it should not happen: drafts are checked when saved) is
compared value by value as a whole.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from jinjie.rules.book import (
    LadderBook,
    MonopolyBook,
    RuleBookError,
    parse_ladder_book,
    parse_monopoly_book,
)
from jinjie.rules.criteria import fmt_decimal
from jinjie.rules.ladder import LEVELS, RANKS

from .rulebook_tables import SECTION_LABELS, notice_text, route_label, route_order, route_text

ABSENT = "—"
_LADDER_KEYS = (
    "kind", "name", "version", "description", "ranks", "level_floors", "fail_line", "outstanding", "skip", "routes",
    "notice", "pay",
)
_MONOPOLY_KEYS = ("kind", "name", "version", "description", "levels", "route")


@dataclass(frozen=True)
class Change:
    label: str
    in_force: str
    draft: str


Values = dict[str, tuple[str, str]]  # key → (label, value as shown)


def _plain_label(node) -> str:
    return gettext(node.label.split("（", 1)[0] if node.text_prefix else node.label)


def _nodes(out: Values, key: str, title: str, nodes) -> None:
    seen: Counter[str] = Counter()
    for node in nodes:
        seen[node.code] += 1
        suffix = f"#{seen[node.code]}" if seen[node.code] > 1 else ""
        out[f"{key}.{node.code}{suffix}"] = (f"{title} · {_plain_label(node)}{suffix}", node.required)


def _header(out: Values, doc: dict) -> None:
    for key in ("name", "version", "description"):
        if key in doc:
            out[key] = (gettext(SECTION_LABELS[key]), _text(doc[key]))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _leaves(out: Values, path: tuple[str, ...], value: Any, other: bool = True) -> None:
    if isinstance(value, dict) and value:
        for key, sub in value.items():
            _leaves(out, (*path, str(key)), sub, other)
        return
    label = " › ".join(gettext(SECTION_LABELS.get(p, p)) for p in path)
    out["/".join(("other", *path))] = (gettext("其他设置 · %(label)s") % {"label": label} if other else label, _text(value))


def _others(out: Values, doc: dict, known: tuple[str, ...]) -> None:
    for key, value in doc.items():
        if key not in known:
            _leaves(out, (key,), value)


def ladder_values(book: LadderBook) -> Values:
    out: Values = {}
    _header(out, book.doc)
    for rule in book.ranks:
        if rule is not None:
            _nodes(out, f"entry.{rule.name}", gettext("%(rank)s · 任职条件") % {"rank": rule.name}, rule.criteria)
    for rule in book.ranks:
        if rule is not None:
            _nodes(out, f"keep.{rule.name}", gettext("%(rank)s · 保级线") % {"rank": rule.name}, rule.keep)
    for level, nodes in book.level_floors.items():
        _nodes(out, f"floor.{level}", gettext("%(level)s · 降级线") % {"level": level}, nodes)
    out["fail_line"] = (gettext("不合格线（月度考核低于）"), fmt_decimal(book.fail_line))
    out["outstanding"] = (gettext("表现优异"), book.outstanding.required)
    skip = "、".join(f"{lv}{g}" for lv in LEVELS if lv in book.skip_levels for g in ("C", "B", "A") if g in book.skip_grades)
    out["skip"] = (gettext("可跳档/跳级的起点职级"), skip or gettext("无"))
    for key in sorted(book.routes, key=route_order):
        out[f"route.{key}"] = (gettext("审批路径 · %(route)s") % {"route": route_label(key)}, route_text(book.routes[key]))
    out["notice"] = (gettext("公示期"), notice_text(book))
    out["pay.base"] = (gettext("岗位工资基数"), fmt_decimal(book.pay_base))
    for rank in RANKS:
        out[f"pay.{rank}"] = (gettext("薪酬系数 · %(rank)s") % {"rank": rank}, fmt_decimal(book.pay_coefficients[rank]))
    _others(out, book.doc, _LADDER_KEYS)
    return out


def monopoly_values(book: MonopolyBook) -> Values:
    out: Values = {}
    _header(out, book.doc)
    out["route"] = (gettext("审批路径"), route_text(book.route))
    for name, rule in book.levels.items():
        _nodes(out, f"level.{name}", name, rule.criteria)
        out[f"manual.{name}"] = (gettext("%(level)s · 人工评议") % {"level": name}, "；".join(rule.manual) or ABSENT)
    _others(out, book.doc, _MONOPOLY_KEYS)
    return out


def _values(kind: str, doc: dict) -> Values:
    if kind == "ladder":
        return ladder_values(parse_ladder_book(doc))
    return monopoly_values(parse_monopoly_book(doc))


def _raw(doc: dict) -> Values:
    out: Values = {}
    for key, value in doc.items():
        _leaves(out, (key,), value, other=False)
    return out


def book_diff(kind: str, in_force: dict, draft: dict) -> list[Change]:
    """Every value that differs between the book in force and the draft, in the draft's order
    (then what only the book in force had)."""
    try:
        old, new = _values(kind, in_force), _values(kind, draft)
    except RuleBookError:
        old, new = _raw(in_force), _raw(draft)
    changes = []
    for key in [*new, *(k for k in old if k not in new)]:
        label, after = new.get(key, (None, ABSENT))
        label_before, before = old.get(key, (label, ABSENT))
        if before != after:
            changes.append(Change(label or label_before, before, after))
    return changes
