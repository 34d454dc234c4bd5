"""Rule books as data: parse and validate the JSON documents HR edits (SPEC 2.2, 2.4, 2.5, 3).

``parse_ladder_book(doc)`` and ``parse_monopoly_book(doc)`` check everything and raise
``RuleBookError`` listing every problem, each prefixed with the path of the bad element
(``ranks.中级C.criteria[2]: 未知的比较运算符 '>>'``). The parsed books are immutable and
hold pre-built criteria, so a run over 100,000 employees parses nothing.

Shape of a ladder book (numbers are strings, so that no float ever creeps in)::

    {"kind": "ladder", "version": "2026.1",
     "ranks": {"初级C": {"criteria": [{"type": "months_in_role", "op": ">=", "value": "12"}, ...],
                         "keep": [{"type": "perf_avg", "op": ">=", "value": "75"}, ...]}, ...},
     "level_floors": {"初级": [...], "中级": [...], "高级": [...]},
     "fail_line": "60",
     "outstanding": {"any": [{"type": "perf_min", "op": ">=", "value": "95"},
                             {"type": "contributions", "op": ">=", "value": "1"}]},
     "skip": {"levels": ["初级", "中级"], "grades": ["C", "B"]},
     "routes": {"grade_up:初级": ["track_review"], "level_down": ["committee"], ...},
     "notice": {"days": "7", "counting": "calendar"},
     "pay": {"base": "2000", "coefficients": {"见习": "1.0", ...}},
     "favour": {"bonus": {"中级": "3", "高级": "6"}}}

``favour`` (SPEC 2.6, the favour lists' bonus by the level of the rank held on 31 December) is
optional: a book without it gets the defaults, so books stored before it existed stay valid.

Groups are ``{"all": [...]}`` / ``{"any": [...]}`` with optional ``"code"`` and ``"label"``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from jinjie.core.errors import DomainError

from .criteria import AVERAGE, BOOLEAN, FACTS, INTEGER, LADDER, MONOPOLY, OPS, ORDINAL, Criterion, Group, Node
from .favour import DEFAULT_FAVOUR_BONUS
from .ladder import (
    GRADES,
    LEVELS,
    MONOPOLY_LEVELS,
    RANKS,
    ROUTE_STEPS,
    TOP_STEP,
    grade_of,
    level_of,
    move_between,
)

__all__ = [
    "AUTOMATIC_MOVES",
    "LadderBook",
    "MonopolyBook",
    "MonopolyLevelRule",
    "RankRule",
    "RuleBookError",
    "parse_criterion",
    "parse_criteria_list",
    "parse_ladder_book",
    "parse_monopoly_book",
]

# A route lists distinct kinds of step (track_review, committee, leader, director, notice), so it is
# short; the cap also lets the approval queues find "the current step is mine" in SQL.
MAX_ROUTE_STEPS = 6

ROUTE_KINDS = (
    "grade_up",
    "level_up",
    "skip_grade",
    "skip_level",
    "grade_down",
    "level_down",
    "immediate_demotion",
)
NOTICE_COUNTINGS = {"calendar": "自然日", "working": "工作日"}
# Moves whose route may be empty: taken at once, without any approval (自动晋档). The source
# document says "达到晋档要求的…可以自动晋升一档"; every other move changes a level or demotes and
# is decided by someone (晋级 and the skips need the committee and a notice, demotions the committee).
AUTOMATIC_MOVES = frozenset({"grade_up"})


class RuleBookError(DomainError, ValueError):
    """A rule book that cannot be used. ``errors`` lists every problem, each with its path."""

    def __init__(self, errors: list[str] | tuple[str, ...]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


# --- parsed books ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RankRule:
    """Entry criteria and keep line (保级线) of one rank."""

    step: int
    name: str
    criteria: tuple[Node, ...]
    keep: tuple[Node, ...]


@dataclass(frozen=True, eq=False)
class LadderBook:
    """A parsed, validated ladder rule book. ``ranks[step]`` (None for 见习)."""

    ranks: tuple[RankRule | None, ...]
    level_floors: Mapping[str, tuple[Node, ...]]
    fail_line: Decimal
    outstanding: Node
    skip_levels: frozenset[str]
    skip_grades: frozenset[str]
    routes: Mapping[str, tuple[str, ...]]
    notice_days: int
    notice_counting: str  # "calendar" or "working"
    pay_base: Decimal
    pay_coefficients: Mapping[str, Decimal]
    doc: dict[str, Any]  # a deep copy of the source document (JSON-serialisable); do not mutate
    name: str | None = None
    version: str | None = None
    # favour lists (SPEC 2.6): level → bonus points; a level not named gets 0
    favour_bonus: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType(dict(DEFAULT_FAVOUR_BONUS)))
    # precomputed per step, for the engine
    floors_by_step: tuple[tuple[Node, ...], ...] = field(default=(), repr=False)
    skip_from: tuple[bool, ...] = field(default=(), repr=False)

    def to_doc(self) -> dict[str, Any]:
        """A fresh copy of the source document, for storing or editing."""
        return copy.deepcopy(self.doc)

    def rank(self, step_or_name: int | str) -> RankRule:
        step = step_or_name if isinstance(step_or_name, int) else RANKS.index(step_or_name)
        rule = self.ranks[step]
        if rule is None:
            raise ValueError("见习 是起点职级，没有任职条件")
        return rule

    def can_skip_from(self, step: int) -> bool:
        """May an outstanding employee at ``step`` be considered for ``step + 2``?"""
        return self.skip_from[step]

    def route_for(self, move: str, to_step: int | None = None) -> tuple[str, ...]:
        """Approval route of a move ending at ``to_step``: ``"move:level"`` first, then ``"move"``.

        ``hold`` and ``incomplete`` have no route. ``immediate_demotion`` needs no step. An empty
        route of an automatic move (AUTOMATIC_MOVES) means: approved at once, without any step.
        """
        if move in ("hold", "incomplete"):
            return ()
        if to_step is not None:
            route = self.routes.get(f"{move}:{level_of(to_step)}")
            if route is not None:
                return route
        route = self.routes.get(move)
        if route is None:
            raise KeyError(f"规则中没有 {move} 的审批路径")
        return route

    def pay_for(self, step: int) -> Decimal:
        """Monthly rank pay: base × coefficient (SPEC 2.5)."""
        return self.pay_base * self.pay_coefficients[RANKS[step]]


@dataclass(frozen=True, eq=False)
class MonopolyLevelRule:
    index: int
    name: str
    criteria: tuple[Node, ...]
    manual: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class MonopolyBook:
    levels: Mapping[str, MonopolyLevelRule]
    route: tuple[str, ...]
    doc: dict[str, Any]  # a deep copy of the source document (JSON-serialisable); do not mutate
    name: str | None = None
    version: str | None = None
    # The notice (公示) of a granted level: None when the book sets none (the ladder book's applies).
    notice_days: int | None = None
    notice_counting: str | None = None

    def to_doc(self) -> dict[str, Any]:
        """A fresh copy of the source document, for storing or editing."""
        return copy.deepcopy(self.doc)

    def level(self, name: str) -> MonopolyLevelRule:
        try:
            return self.levels[name]
        except KeyError:
            raise ValueError(f"未知的专卖管理员等级 {name!r}，应为：{'、'.join(MONOPOLY_LEVELS)}") from None


# --- parsing -----------------------------------------------------------------------------------


def _q(value: Any) -> str:
    """Quote a bad value for a message."""
    if isinstance(value, str):
        return f"'{value}'"
    return repr(value)


class _Parser:
    def __init__(self, book: str) -> None:
        self.book = book
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    # scalars

    def mapping(self, doc: Any, path: str, what: str = "对象") -> Mapping[str, Any] | None:
        if not isinstance(doc, Mapping):
            self.error(path, f"应为{what}（JSON 对象），实为 {_q(doc)}")
            return None
        return doc

    def keys(
        self,
        doc: Mapping[str, Any],
        path: str,
        allowed: set[str] | tuple[str, ...],
        required: tuple[str, ...] = (),
    ) -> bool:
        ok = True
        for key in required:
            if key not in doc:
                self.error(path, f"缺少字段 '{key}'")
                ok = False
        for key in doc:
            if key not in allowed:
                self.error(path, f"未知的字段 {_q(key)}")
                ok = False
        return ok

    def decimal(self, value: Any, path: str, *, positive: bool = False) -> Decimal | None:
        if isinstance(value, bool) or isinstance(value, float) or not isinstance(value, str | int):
            self.error(path, f'数值无效 {_q(value)}（应写成字符串，例如 "84"）')
            return None
        try:
            d = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            self.error(path, f'数值无效 {_q(value)}（应写成字符串，例如 "84"）')
            return None
        if not d.is_finite():
            self.error(path, f"数值无效 {_q(value)}")
            return None
        # Thresholds are scores, months, grades and pay: a bound keeps the exact arithmetic on them
        # (sums, 3 × threshold) inside the decimal context instead of overflowing it.
        if d != 0 and (d.adjusted() >= 9 or d.as_tuple().exponent < -6):
            self.error(path, f"数值超出范围 {_q(value)}（应小于 10 亿，最多 6 位小数）")
            return None
        if positive and d <= 0:
            self.error(path, f"应为正数，实为 {_q(value)}")
            return None
        return d

    def integer(self, value: Any, path: str, *, positive: bool = False) -> int | None:
        d = self.decimal(value, path, positive=positive)
        if d is None:
            return None
        if d != d.to_integral_value():
            self.error(path, f"应为整数，实为 {_q(value)}")
            return None
        return int(d)

    def text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.error(path, f"应为非空文字，实为 {_q(value)}")
            return None
        return value.strip()

    # criteria

    def node(self, doc: Any, path: str, *, code_prefix: str = "", context: str = "") -> Node | None:
        doc = self.mapping(doc, path, "条件")
        if doc is None:
            return None
        if "all" in doc or "any" in doc:
            return self.group(doc, path, code_prefix=code_prefix, context=context)
        return self.criterion(doc, path, code_prefix=code_prefix, context=context)

    def group(self, doc: Mapping[str, Any], path: str, *, code_prefix: str, context: str) -> Group | None:
        kinds = [k for k in ("all", "any") if k in doc]
        if len(kinds) != 1:
            self.error(path, "条件组只能有 'all' 或 'any' 之一")
            return None
        kind = kinds[0]
        self.keys(doc, path, {kind, "code", "label"})
        items_doc = doc[kind]
        if not isinstance(items_doc, list) or not items_doc:
            self.error(f"{path}.{kind}", "条件组应为非空列表")
            return None
        items = [self.node(item, f"{path}.{kind}[{i}]") for i, item in enumerate(items_doc)]
        code = self.text(doc["code"], f"{path}.code") if "code" in doc else None
        label = self.text(doc["label"], f"{path}.label") if "label" in doc else None
        if any(item is None for item in items):
            return None
        return Group(
            kind,
            tuple(items),
            code=code,
            label=label,
            code_prefix=code_prefix,  # type: ignore[arg-type]
            context=context,
            source=copy.deepcopy(dict(doc)),
        )

    def criterion(
        self, doc: Mapping[str, Any], path: str, *, code_prefix: str, context: str
    ) -> Criterion | None:
        if "type" not in doc:
            self.error(path, "缺少字段 'type'（条件类型）")
            return None
        name = doc["type"]
        fact = FACTS.get(name) if isinstance(name, str) else None
        if fact is None or self.book not in fact.books:
            self.error(path, f"未知的条件类型 {_q(name)}")
            return None
        allowed = {"type", "op", "value"} | ({fact.param} if fact.param else set())
        required = ("op", "value") + ((fact.param,) if fact.param else ())
        if not self.keys(doc, path, allowed, required):
            return None
        op = OPS.get(doc["op"]) if isinstance(doc["op"], str) else None
        if op is None:
            self.error(path, f"未知的比较运算符 {_q(doc['op'])}，应为：{' '.join(OPS)}")
            return None
        raw = doc["value"]
        value: Any
        threshold: Any
        if fact.kind == BOOLEAN:
            if op.token not in ("==", "!="):
                self.error(path, f"条件类型 '{fact.name}' 只能用 == 或 !=")
                return None
            if not isinstance(raw, bool):
                self.error(path, f"数值无效 {_q(raw)}（应为 true 或 false）")
                return None
            value = threshold = raw
        elif fact.kind == ORDINAL:
            rank = fact.rank(raw) if isinstance(raw, str) and fact.rank else None
            if rank is None:
                self.error(path, f"未知的{fact.label} {_q(raw)}，应为：{'、'.join(fact.scale)}")
                return None
            value, threshold = fact.scale[rank], rank
        elif fact.kind == INTEGER:
            value = threshold = self.integer(raw, path)
            if value is None:
                return None
        else:
            value = self.decimal(raw, path)
            if value is None:
                return None
            threshold = value * 3 if fact.kind == AVERAGE else value
        param = None
        if fact.param:
            param = doc[fact.param]
            if param not in MONOPOLY_LEVELS:
                self.error(path, f"未知的专卖管理员等级 {_q(param)}，应为：{'、'.join(MONOPOLY_LEVELS)}")
                return None
        return Criterion(
            fact,
            op,
            value,
            threshold,
            param=param,
            code_prefix=code_prefix,
            context=context,
            source=copy.deepcopy(dict(doc)),
        )

    def criteria(self, doc: Any, path: str, *, code_prefix: str = "", context: str = "") -> tuple[Node, ...]:
        if not isinstance(doc, list):
            self.error(path, f"应为条件列表，实为 {_q(doc)}")
            return ()
        nodes = [
            self.node(item, f"{path}[{i}]", code_prefix=code_prefix, context=context)
            for i, item in enumerate(doc)
        ]
        return tuple(n for n in nodes if n is not None)

    def steps(self, doc: Any, path: str, *, may_be_empty: bool = False) -> tuple[str, ...]:
        if isinstance(doc, list) and not doc and may_be_empty:
            return ()  # an automatic move (AUTOMATIC_MOVES): no step to take
        if not isinstance(doc, list) or not doc:
            hint = "；只有晋档(grade_up)的路径可以为空列表 []，即自动晋档、不经审批" if isinstance(doc, list) else ""
            self.error(path, f'审批路径应为非空列表，例如 ["committee", "leader", "notice"]{hint}')
            return ()
        if len(doc) > MAX_ROUTE_STEPS:
            self.error(path, f"审批路径最多 {MAX_ROUTE_STEPS} 个环节")
            return ()
        out = []
        for i, step in enumerate(doc):
            if step not in ROUTE_STEPS:
                self.error(f"{path}[{i}]", f"未知的审批环节 {_q(step)}，应为：{'、'.join(ROUTE_STEPS)}")
            else:
                out.append(step)
        return tuple(out)

    def notice(self, doc: Any) -> tuple[int, str]:
        """The `notice` settings (days, counting); 7 calendar days where a value is missing or bad."""
        days, counting = 7, "calendar"
        notice_doc = self.mapping(doc, "notice")
        if notice_doc is not None:
            self.keys(notice_doc, "notice", ("days", "counting"), ("days", "counting"))
            if "days" in notice_doc:
                days = self.integer(notice_doc["days"], "notice.days", positive=True) or 7
            if "counting" in notice_doc:
                counting = notice_doc["counting"]
                if counting not in NOTICE_COUNTINGS:
                    self.error(
                        "notice.counting",
                        f"应为 'calendar'（自然日）或 'working'（工作日），实为 {_q(counting)}",
                    )
        return days, counting

    def header(self, doc: Mapping[str, Any], kind: str) -> tuple[str | None, str | None]:
        if "kind" in doc and doc["kind"] != kind:
            self.error("kind", f"应为 '{kind}'，实为 {_q(doc['kind'])}")
        name = self.text(doc["name"], "name") if "name" in doc else None
        version = self.text(str(doc["version"]), "version") if "version" in doc else None
        if "description" in doc and not isinstance(doc["description"], str):
            self.error("description", "应为文字")
        return name, version


def parse_criterion(doc: Any, *, book: str, path: str = "条件") -> Node:
    """One criterion or ALL/ANY group as a rule book of ``book`` (LADDER or MONOPOLY) holds it.

    For editors that show a condition they do not lay out as a table (its ``describe()``), with
    the same checks and messages as the whole book. Raises ``RuleBookError``.
    """
    p = _Parser(book)
    node = p.node(doc, path)
    if p.errors or node is None:
        raise RuleBookError(p.errors or [f"{path}: 条件无效"])
    return node


_LADDER_KEYS = (
    "kind",
    "name",
    "version",
    "description",
    "ranks",
    "level_floors",
    "fail_line",
    "outstanding",
    "skip",
    "routes",
    "notice",
    "pay",
    "favour",
)
_LADDER_REQUIRED = ("ranks", "level_floors", "fail_line", "outstanding", "skip", "routes", "notice", "pay")


def parse_ladder_book(doc: Mapping[str, Any]) -> LadderBook:
    """Validate a ladder rule book document and build the engine's book. Raises ``RuleBookError``."""
    p = _Parser(LADDER)
    if p.mapping(doc, "(根)", "规则文件") is None:
        raise RuleBookError(p.errors)
    p.keys(doc, "(根)", _LADDER_KEYS, _LADDER_REQUIRED)
    name, version = p.header(doc, LADDER)

    # ranks
    ranks: list[RankRule | None] = [None] * len(RANKS)
    ranks_doc = p.mapping(doc.get("ranks", {}), "ranks")
    if ranks_doc is not None:
        for key in ranks_doc:
            if key == RANKS[0]:
                p.error("ranks", "见习 是起点职级，不设任职条件")
            elif key not in RANKS:
                p.error("ranks", f"未知的职级 {_q(key)}，应为：{'、'.join(RANKS[1:])}")
        for step in range(1, len(RANKS)):
            rank = RANKS[step]
            if rank not in ranks_doc:
                p.error("ranks", f"缺少职级 '{rank}'")
                continue
            path = f"ranks.{rank}"
            entry = p.mapping(ranks_doc[rank], path)
            if entry is None:
                continue
            p.keys(entry, path, ("criteria", "keep"), ("criteria", "keep"))
            criteria = p.criteria(entry.get("criteria", []), f"{path}.criteria")
            keep = p.criteria(
                entry.get("keep", []), f"{path}.keep", code_prefix="keep.", context=f"{rank}保级线"
            )
            ranks[step] = RankRule(step, rank, criteria, keep)

    # level floors
    floors: dict[str, tuple[Node, ...]] = {}
    floors_doc = p.mapping(doc.get("level_floors", {}), "level_floors")
    if floors_doc is not None:
        for key in floors_doc:
            if key not in LEVELS[1:]:
                p.error("level_floors", f"未知的职级级别 {_q(key)}，应为：{'、'.join(LEVELS[1:])}")
        for level in LEVELS[1:]:
            if level not in floors_doc:
                p.error("level_floors", f"缺少级别 '{level}' 的降级线")
                continue
            floors[level] = p.criteria(
                floors_doc[level], f"level_floors.{level}", code_prefix="floor.", context=f"{level}降级线"
            )

    fail_line = p.decimal(doc.get("fail_line", "60"), "fail_line")

    outstanding = None
    if "outstanding" in doc:
        parsed = p.node(doc["outstanding"], "outstanding")
        if parsed is not None:
            # Always a group, so that its reason reads "表现优异" with code "outstanding".
            items, kind = (parsed.items, parsed.kind) if isinstance(parsed, Group) else ((parsed,), "all")
            outstanding = Group(
                kind,
                items,
                code="outstanding",
                label=parsed.source.get("label", "表现优异"),
                source=parsed.source,
            )

    # skip rule
    skip_levels: frozenset[str] = frozenset()
    skip_grades: frozenset[str] = frozenset()
    skip_doc = p.mapping(doc.get("skip", {}), "skip")
    if skip_doc is not None:
        p.keys(skip_doc, "skip", ("levels", "grades"), ("levels", "grades"))
        for key, allowed, label in (("levels", LEVELS[1:], "级别"), ("grades", GRADES, "档次")):
            values = skip_doc.get(key, [])
            if not isinstance(values, list):
                p.error(f"skip.{key}", f"应为列表，实为 {_q(values)}")
                continue
            for i, v in enumerate(values):
                if v not in allowed:
                    p.error(f"skip.{key}[{i}]", f"未知的{label} {_q(v)}，应为：{'、'.join(allowed)}")
        if isinstance(skip_doc.get("levels"), list):
            skip_levels = frozenset(v for v in skip_doc["levels"] if v in LEVELS)
        if isinstance(skip_doc.get("grades"), list):
            skip_grades = frozenset(v for v in skip_doc["grades"] if v in GRADES)
    skip_from = tuple(
        step + 2 <= TOP_STEP and level_of(step) in skip_levels and grade_of(step) in skip_grades
        for step in range(len(RANKS))
    )

    # routes
    routes: dict[str, tuple[str, ...]] = {}
    routes_doc = p.mapping(doc.get("routes", {}), "routes")
    if routes_doc is not None:
        for key, steps in routes_doc.items():
            move, _, level = key.partition(":") if isinstance(key, str) else (key, "", "")
            if move not in ROUTE_KINDS or (level and level not in LEVELS):
                p.error("routes", f"未知的路径类别 {_q(key)}，应为 {'、'.join(ROUTE_KINDS)}，可加 ':级别'")
                continue
            routes[key] = p.steps(steps, f"routes.{key}", may_be_empty=move in AUTOMATIC_MOVES)
        needed: set[tuple[str, int]] = set()
        for step in range(len(RANKS)):
            targets = [step + 1, step - 1, max(0, step - 3)]
            if skip_from[step]:
                targets.append(step + 2)
            for to in targets:
                if 0 <= to <= TOP_STEP and to != step:
                    needed.add((move_between(step, to), to))
        for move, to in sorted(needed, key=lambda mt: (ROUTE_KINDS.index(mt[0]), mt[1])):
            key = f"{move}:{level_of(to)}"
            if key not in routes_doc and move not in routes_doc:
                p.error("routes", f"缺少 '{key}' 的审批路径（或通用的 '{move}'）")
        if "immediate_demotion" not in routes_doc:
            p.error("routes", "缺少 'immediate_demotion'（即时降档/降级）的审批路径")

    notice_days, notice_counting = p.notice(doc.get("notice", {}))

    # pay
    pay_base = Decimal(0)
    coefficients: dict[str, Decimal] = {}
    pay_doc = p.mapping(doc.get("pay", {}), "pay")
    if pay_doc is not None:
        p.keys(pay_doc, "pay", ("base", "coefficients"), ("base", "coefficients"))
        pay_base = p.decimal(pay_doc.get("base", "0"), "pay.base", positive=True) or Decimal(0)
        coeff_doc = p.mapping(pay_doc.get("coefficients", {}), "pay.coefficients")
        if coeff_doc is not None:
            for key in coeff_doc:
                if key not in RANKS:
                    p.error("pay.coefficients", f"未知的职级 {_q(key)}")
            for rank in RANKS:
                if rank not in coeff_doc:
                    p.error("pay.coefficients", f"缺少职级 '{rank}' 的系数")
                    continue
                c = p.decimal(coeff_doc[rank], f"pay.coefficients.{rank}", positive=True)
                if c is not None:
                    coefficients[rank] = c

    favour_bonus = _favour_bonus(p, doc)

    if p.errors:
        raise RuleBookError(p.errors)
    assert outstanding is not None and fail_line is not None
    floors_by_step = tuple(() if step == 0 else floors[level_of(step)] for step in range(len(RANKS)))
    return LadderBook(
        ranks=tuple(ranks),
        level_floors=MappingProxyType(floors),
        fail_line=fail_line,
        outstanding=outstanding,
        skip_levels=skip_levels,
        skip_grades=skip_grades,
        routes=MappingProxyType(routes),
        notice_days=notice_days,
        notice_counting=notice_counting,
        pay_base=pay_base,
        pay_coefficients=MappingProxyType(coefficients),
        doc=copy.deepcopy(dict(doc)),
        name=name,
        version=version,
        favour_bonus=MappingProxyType(favour_bonus),
        floors_by_step=floors_by_step,
        skip_from=skip_from,
    )


def _favour_bonus(p: _Parser, doc: Mapping[str, Any]) -> dict[str, Decimal]:
    """The optional ``favour`` section: ``{"bonus": {"中级": "3", "高级": "6"}}``; absent → defaults."""
    if "favour" not in doc:
        return dict(DEFAULT_FAVOUR_BONUS)
    favour_doc = p.mapping(doc["favour"], "favour")
    if favour_doc is None:
        return {}
    p.keys(favour_doc, "favour", ("bonus",), ("bonus",))
    bonus_doc = p.mapping(favour_doc.get("bonus", {}), "favour.bonus")
    bonus: dict[str, Decimal] = {}
    if bonus_doc is None:
        return bonus
    for key, value in bonus_doc.items():
        if key not in LEVELS:
            p.error("favour.bonus", f"未知的职级级别 {_q(key)}，应为：{'、'.join(LEVELS)}")
            continue
        points = p.decimal(value, f"favour.bonus.{key}")
        if points is None:
            continue
        if points < 0:
            p.error(f"favour.bonus.{key}", f"加分不能为负数，实为 {_q(value)}")
            continue
        bonus[key] = points
    return bonus


_MONOPOLY_KEYS = ("kind", "name", "version", "description", "levels", "route", "notice")


def parse_monopoly_book(doc: Mapping[str, Any]) -> MonopolyBook:
    """Validate a monopoly administrator rule book (SPEC 3). Raises ``RuleBookError``.

    Shape::

        {"kind": "monopoly",
         "levels": {"初级专卖管理员": {"criteria": [...], "manual": ["独立完成常规专卖管理工作", ...]}, ...},
         "route": ["committee", "notice"],
         "notice": {"days": "7", "counting": "calendar"}}   # optional: else the ladder book's notice
    """
    p = _Parser(MONOPOLY)
    if p.mapping(doc, "(根)", "规则文件") is None:
        raise RuleBookError(p.errors)
    p.keys(doc, "(根)", _MONOPOLY_KEYS, ("levels", "route"))
    name, version = p.header(doc, MONOPOLY)
    levels: dict[str, MonopolyLevelRule] = {}
    levels_doc = p.mapping(doc.get("levels", {}), "levels")
    if levels_doc is not None:
        for key in levels_doc:
            if key not in MONOPOLY_LEVELS:
                p.error("levels", f"未知的专卖管理员等级 {_q(key)}，应为：{'、'.join(MONOPOLY_LEVELS)}")
        for index, level in enumerate(MONOPOLY_LEVELS):
            if level not in levels_doc:
                p.error("levels", f"缺少等级 '{level}'")
                continue
            path = f"levels.{level}"
            entry = p.mapping(levels_doc[level], path)
            if entry is None:
                continue
            p.keys(entry, path, ("criteria", "manual"), ("criteria",))
            criteria = p.criteria(entry.get("criteria", []), f"{path}.criteria")
            manual_doc = entry.get("manual", [])
            manual: list[str] = []
            if not isinstance(manual_doc, list):
                p.error(f"{path}.manual", f"应为文字列表，实为 {_q(manual_doc)}")
            else:
                for i, item in enumerate(manual_doc):
                    text = p.text(item, f"{path}.manual[{i}]")
                    if text is not None:
                        manual.append(text)
            levels[level] = MonopolyLevelRule(index, level, criteria, tuple(manual))
    route = p.steps(doc.get("route"), "route") if "route" in doc else ()
    notice_days = notice_counting = None
    if "notice" in doc:
        notice_days, notice_counting = p.notice(doc["notice"])
    if p.errors:
        raise RuleBookError(p.errors)
    return MonopolyBook(
        levels=MappingProxyType(levels),
        route=route,
        doc=copy.deepcopy(dict(doc)),
        name=name,
        version=version,
        notice_days=notice_days,
        notice_counting=notice_counting,
    )


def parse_criteria_list(doc: Any, *, book: str, path: str = "criteria") -> tuple[Node, ...]:
    """A bare list of criteria for `book` (a selection's eligibility, SPEC 4): the same criterion
    and group shapes, facts and operators as the rule books. Raises ``RuleBookError``."""
    p = _Parser(book)
    nodes = p.criteria(doc, path)
    if not nodes and not p.errors:
        p.error(path, "至少需要一项条件")
    if p.errors:
        raise RuleBookError(p.errors)
    return nodes
