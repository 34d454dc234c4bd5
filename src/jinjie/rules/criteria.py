"""Criteria: one comparison of one fact against a threshold, and ALL/ANY groups of them.

A criterion is built once from the rule book (``book.py`` validates the JSON), with every string
that does not depend on the employee precomputed, then checked against a ``values`` mapping
(fact name → value) per employee. Each check yields a ``Reason`` carrying the required value, the
actual value and the verdict, in Chinese.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from .ladder import (
    ANNUAL_APPRAISAL_RATINGS,
    EDUCATION_LEVELS,
    MONOPOLY_LEVELS,
    RANKS,
    SHUANGNENG_RATINGS,
    VOCATIONAL_LEVELS,
    annual_appraisal_rank,
    education_rank,
    ladder_rank_index,
    monopoly_level_rank,
    shuangneng_rank,
    vocational_rank,
)

__all__ = [
    "FACTS",
    "MISSING",
    "OPS",
    "Criterion",
    "Fact",
    "Group",
    "Node",
    "Op",
    "Reason",
    "fmt_decimal",
]

PASS_MARK = "✓"
FAIL_MARK = "✗"
MISSING = "缺失"


class Reason(NamedTuple):
    """One checked criterion, for people to read: ``平均绩效 84.33 ≥ 84 ✓``."""

    code: str  # fact name, or group code; prefixed for context: "keep.perf_avg", "floor.failed_months"
    label: str  # 平均绩效
    required: str  # ≥ 84
    actual: str  # 84.33
    passed: bool
    text: str  # 平均绩效 84.33 ≥ 84 ✓

    @property
    def body(self) -> str:
        """The text without its verdict mark."""
        text = self.text
        if text.endswith((PASS_MARK, FAIL_MARK)):
            return text[:-2]
        return text


# --- the operator table ------------------------------------------------------------------------


class Op(NamedTuple):
    token: str  # as written in the rule book
    fn: Callable[[Any, Any], bool]
    symbol: str  # shown when the comparison holds
    negated: str  # shown when it does not


OPS: dict[str, Op] = {
    op.token: op
    for op in (
        Op(">=", operator.ge, "≥", "<"),
        Op("<=", operator.le, "≤", ">"),
        Op(">", operator.gt, ">", "≤"),
        Op("<", operator.lt, "<", "≥"),
        Op("==", operator.eq, "=", "≠"),
        Op("!=", operator.ne, "≠", "="),
    )
}

_SYMBOLS = frozenset(op.symbol for op in OPS.values())

# --- facts -------------------------------------------------------------------------------------

DECIMAL = "decimal"  # Decimal value, Decimal threshold
AVERAGE = "average"  # value is the SUM of the three scores; threshold t is compared as 3·t
INTEGER = "integer"  # months, counts, pay grade
ORDINAL = "ordinal"  # a name on an ordered scale (education, vocational level, 双能 rating)
BOOLEAN = "boolean"  # value is (bool, display text)

LADDER = "ladder"
MONOPOLY = "monopoly"
SELECTION = "selection"  # a selection's eligibility (竞聘报名条件, SPEC 4)


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact type that criteria may test: its kind, Chinese wording and which books may use it."""

    name: str
    kind: str
    label: str  # 本岗位任职月数
    short: str  # 本岗位任职 — used in sentences: "本岗位任职 30 个月 < 36 个月"
    books: frozenset[str]
    unit: str = ""  # " 个月"
    scale: tuple[str, ...] = ()  # ordinal names, lowest first
    rank: Callable[[str | None], int | None] | None = None
    param: str | None = None  # a criterion parameter naming the subject ("level" for held_months)
    missing: str | None = None  # body when the value is missing; default "缺少{label}"
    true_text: str = "是"  # the required text of a boolean criterion expecting True
    description: str = ""


_BOTH = frozenset({LADDER, MONOPOLY})
_S = frozenset({SELECTION})
_L = frozenset({LADDER})
_M = frozenset({MONOPOLY})

FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        # ladder (SPEC 2.1)
        Fact(
            "months_in_role",
            INTEGER,
            "本岗位任职月数",
            "本岗位任职",
            _L,
            " 个月",
            missing="缺少本岗位起始日期",
            description="本岗位起始日期至测评期结束次日的整月数",
        ),
        Fact(
            "perf_avg",
            AVERAGE,
            "平均绩效",
            "平均绩效",
            _L,
            missing="月度绩效考核不全，无法计算平均绩效",
            description="测评期三个月月度绩效考核得分的平均分",
        ),
        Fact(
            "perf_min",
            DECIMAL,
            "最低月度绩效",
            "最低月度绩效",
            _L,
            missing="月度绩效考核不全，无法计算最低月度绩效",
            description="测评期三个月中最低的月度绩效考核得分",
        ),
        Fact(
            "failed_months",
            INTEGER,
            "不合格月数",
            "不合格",
            _L,
            " 个月",
            description="测评期内月度绩效考核低于不合格线的月数",
        ),
        Fact(
            "training_score",
            DECIMAL,
            "培训成绩",
            "培训成绩",
            _L,
            description="测评期结束前 12 个月内最近一次考试成绩（同日取最高）",
        ),
        Fact("ability", DECIMAL, "综合能力测评", "综合能力测评", _L, description="本测评期综合能力测评得分"),
        Fact(
            "vocational_level",
            ORDINAL,
            "职业技能等级",
            "职业技能等级",
            _L,
            scale=VOCATIONAL_LEVELS,
            rank=vocational_rank,
            description="五级最低，一级最高",
        ),
        Fact("violations", INTEGER, "本测评期违规记录", "违规记录", _L, " 次"),
        Fact("contributions", INTEGER, "本测评期突出贡献", "突出贡献", _L, " 次"),
        # both
        Fact(
            "education",
            ORDINAL,
            "学历",
            "学历",
            _BOTH | _S,
            scale=EDUCATION_LEVELS,
            rank=education_rank,
            description="中专、职高、技校按高中",
        ),
        # monopoly ladder (SPEC 3)
        Fact(
            "exp_months",
            INTEGER,
            "专卖管理工作月数",
            "专卖管理工作",
            _M,
            " 个月",
            missing="缺少本岗位起始日期",
            description="本岗位起始日期至检查日的整月数",
        ),
        Fact(
            "held_months",
            INTEGER,
            "取得资格月数",
            "取得资格",
            _M,
            " 个月",
            param="level",
            description="取得该级资格至检查日的整月数",
        ),
        Fact("pay_grade", INTEGER, "工资档次", "工资档次", _M, " 档", description="数字越小档次越高"),
        Fact(
            "level_exam",
            BOOLEAN,
            "本级等级考试",
            "本级等级考试",
            _M,
            true_text="已通过",
            missing="缺少本级等级考试合格记录",
        ),
        Fact("law_cert", BOOLEAN, "执法资格", "执法资格", _M, true_text="有效", missing="缺少执法资格"),
        Fact(
            "shuangneng",
            ORDINAL,
            "上年度专卖双能考核",
            "上年度专卖双能",
            _M,
            scale=SHUANGNENG_RATINGS,
            rank=shuangneng_rank,
            missing="缺少上年度专卖双能考核等次",
        ),
        Fact(
            "publications", INTEGER, "省级及以上刊物论文（独著或第一作者）", "省级及以上刊物论文", _M, " 篇"
        ),
        Fact(
            "national_publications", INTEGER, "国家级刊物论文（独著或第一作者）", "国家级刊物论文", _M, " 篇"
        ),
        # a selection's eligibility at its 报名 deadline d (SPEC 4)
        Fact(
            "ladder_rank",
            ORDINAL,
            "职级",
            "职级",
            _S,
            scale=RANKS,
            rank=ladder_rank_index,
            missing="不在客户经理、市场管理员职级序列",
            description="客户经理、市场管理员在报名截止日的职级",
        ),
        Fact(
            "monopoly_level",
            ORDINAL,
            "专卖管理员等级",
            "专卖管理员等级",
            _S,
            scale=MONOPOLY_LEVELS,
            rank=monopoly_level_rank,
            missing="未取得专卖管理员等级",
            description="专卖管理员在报名截止日已取得的最高等级",
        ),
        Fact(
            "service_months",
            INTEGER,
            "工作月数",
            "工作",
            _S,
            " 个月",
            missing="缺少入职日期",
            description="入职日期至报名截止日的整月数",
        ),
        Fact("age", INTEGER, "年龄", "年龄", _S, " 岁", missing="缺少出生日期", description="报名截止日的周岁年龄"),
        Fact(
            "serious_violations",
            INTEGER,
            "近 12 个月较重及以上违规",
            "较重及以上违规",
            _S,
            " 次",
            description="报名截止日前 12 个月内情节较重或严重的违规记录",
        ),
        Fact(
            "annual_rating",
            ORDINAL,
            "上年度年度考核",
            "上年度年度考核",
            _S,
            scale=ANNUAL_APPRAISAL_RATINGS,
            rank=annual_appraisal_rank,
            missing="缺少上年度年度考核等次",
            description="报名截止日上一年度的年度考核等次",
        ),
    )
}


def fmt_decimal(d: Decimal | int) -> str:
    """``Decimal("85.50")`` → ``"85.5"``, ``Decimal("85.00")`` → ``"85"``; never scientific notation."""
    if isinstance(d, int):
        return str(d)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


_CENT = Decimal("0.01")
_TEN_THOUSANDTH = Decimal("0.0001")
_THREE = Decimal(3)


def _fmt_average(total: Decimal, threshold3: Decimal, fn: Callable[[Any, Any], bool], ok: bool) -> str:
    avg = total / _THREE
    shown = avg.quantize(_CENT, ROUND_HALF_UP)
    if fn(shown * _THREE, threshold3) != ok:
        # Rounding would make the shown average tell the opposite story (83.996 shown as "84.00 < 84").
        shown = avg.quantize(_TEN_THOUSANDTH, ROUND_FLOOR if total < threshold3 else ROUND_CEILING)
    return fmt_decimal(shown)


# --- nodes -------------------------------------------------------------------------------------


# Distinct fact values whose Reason a node keeps (see Node.check): a quarter's scores take a few
# hundred values, so a bureau of any size is served from memory bounded by this, never by N.
_MEMO_LIMIT = 2048


class Node:
    """Base of Criterion and Group.

    A node's verdict is a function of the values of its own facts alone (`keys`), and a Reason is
    immutable: `check` keeps the Reason of each distinct value seen (up to _MEMO_LIMIT) and hands
    the same one back. A quarterly run checks the same few hundred scores, months and names
    100,000 times; each combination is formatted once.
    """

    __slots__ = ("code", "label", "required", "text_prefix", "source", "keys", "_memo")

    code: str
    label: str
    required: str
    text_prefix: str
    source: Mapping[str, Any]
    keys: tuple[str, ...]  # the fact names (value keys) the verdict depends on

    def _check(self, values: Mapping[str, Any]) -> tuple[bool, str, str, tuple[str, ...] | None]:
        raise NotImplementedError

    def check(self, values: Mapping[str, Any]) -> Reason:
        """Check against the facts of one employee (fact name → value)."""
        # The type is part of the key: True == 1 == Decimal(1) but they need not read alike.
        # Equal Decimals of different exponents (85.5, 85.50) do read alike (fmt_decimal normalises).
        keys = self.keys
        if len(keys) == 1:
            v = values.get(keys[0])
            key: Any = (v.__class__, v)
        else:
            key = tuple([(v.__class__, v) for v in map(values.get, keys)])
        return self._remembered(key, values)

    def _remembered(self, key: Any, values: Mapping[str, Any]) -> Reason:
        """The Reason for the facts `key` stands for, worded once per distinct key."""
        memo = self._memo
        try:
            reason = memo.get(key)
        except TypeError:  # an unhashable value: no memo
            return self._reason(values)
        if reason is None:
            reason = self._reason(values)
            if len(memo) < _MEMO_LIMIT:
                memo[key] = reason
        return reason

    def _reason(self, values: Mapping[str, Any]) -> Reason:
        ok, actual, body, parts = self._check(values)
        if parts is not None:
            actual = "，".join(parts)
        return Reason(
            self.code,
            self.label,
            self.required,
            actual,
            ok,
            f"{self.text_prefix}{body} {PASS_MARK if ok else FAIL_MARK}",
        )

    def describe(self) -> str:
        """The requirement as a sentence: ``本岗位任职月数 ≥ 36 个月``."""
        raise NotImplementedError

    def leaves(self) -> tuple[Criterion, ...]:
        raise NotImplementedError

    def to_doc(self) -> Mapping[str, Any]:
        """The rule-book JSON this node was parsed from."""
        return self.source


class Criterion(Node):
    """``{"type": fact, "op": ">=", "value": "84"}``, parsed and ready to check."""

    __slots__ = (
        "fact",
        "op",
        "value",
        "param",
        "key",
        "short",
        "unit",
        "threshold",
        "value_text",
        "missing_body",
        "_fn",
        "_symbol",
        "_negated",
        "_rank",
        "_check",
    )

    def __init__(
        self,
        fact: Fact,
        op: Op,
        value: Any,
        threshold: Any,
        *,
        param: str | None = None,
        code_prefix: str = "",
        context: str = "",
        source: Mapping[str, Any] | None = None,
    ) -> None:
        self.fact = fact
        self.op = op.token
        self.value = value  # the parsed book value: Decimal, int, canonical name or bool
        self.param = param
        self.key = f"{fact.name}:{param}" if param else fact.name
        self.keys = (self.key,)
        self._memo: dict[Any, Reason] = {}
        self.code = code_prefix + self.key
        if param:
            label, short = f"取得{param}资格月数", f"取得{param}资格"
            missing = f"未取得{param}资格"
        else:
            label, short = fact.label, fact.short
            missing = fact.missing or f"缺少{fact.label}"
        self.short = short
        self.unit = fact.unit
        self.threshold = threshold
        self._fn = op.fn
        self._symbol = op.symbol
        self._negated = op.negated
        self._rank = fact.rank
        kind = fact.kind
        if kind == BOOLEAN:
            self.value_text = fact.true_text if value else f"非{fact.true_text}"
            required = self.value_text if op.token == "==" else f"非{self.value_text}"
            self._check = self._check_boolean
        else:
            if kind == ORDINAL:
                self.value_text = str(value)
                self._check = self._check_ordinal
            elif kind == AVERAGE:
                self.value_text = fmt_decimal(value)
                self._check = self._check_average
            else:
                self.value_text = fmt_decimal(value) + fact.unit
                self._check = self._check_number
            required = f"{op.symbol} {self.value_text}"
        self.required = required
        self.label = f"{label}（{context}）" if context else label
        self.text_prefix = f"{context}：" if context else ""
        self.missing_body = missing
        self.source = source if source is not None else {"type": fact.name, "op": op.token, "value": value}

    def check(self, values: Mapping[str, Any]) -> Reason:
        """Node.check for the one fact of a criterion (the engine's commonest call)."""
        v = values.get(self.key)
        return self._remembered((v.__class__, v), values)

    def _check_number(self, values: Mapping[str, Any]) -> tuple[bool, str, str, None]:
        v = values.get(self.key)
        if v is None:
            return False, MISSING, self.missing_body, None
        ok = self._fn(v, self.threshold)
        actual = fmt_decimal(v) + self.unit
        return (
            ok,
            actual,
            f"{self.short} {actual} {self._symbol if ok else self._negated} {self.value_text}",
            None,
        )

    def _check_average(self, values: Mapping[str, Any]) -> tuple[bool, str, str, None]:
        total = values.get(self.key)
        if total is None:
            return False, MISSING, self.missing_body, None
        ok = self._fn(total, self.threshold)
        actual = _fmt_average(total, self.threshold, self._fn, ok)
        return (
            ok,
            actual,
            f"{self.short} {actual} {self._symbol if ok else self._negated} {self.value_text}",
            None,
        )

    def _check_ordinal(self, values: Mapping[str, Any]) -> tuple[bool, str, str, None]:
        v = values.get(self.key)
        if v is None:
            return False, MISSING, self.missing_body, None
        rank = self._rank(v)  # type: ignore[misc]
        if rank is None:
            return False, str(v), f"{self.short} “{v}”无法识别", None
        ok = self._fn(rank, self.threshold)
        return ok, v, f"{self.short} {v} {self._symbol if ok else self._negated} {self.value_text}", None

    def _check_boolean(self, values: Mapping[str, Any]) -> tuple[bool, str, str, None]:
        v = values.get(self.key)
        if v is None:
            return False, MISSING, self.missing_body, None
        flag, shown = v
        return self._fn(flag, self.threshold), shown, f"{self.short} {shown}", None

    def describe(self) -> str:
        return f"{self.label} {self.required}"

    def leaves(self) -> tuple[Criterion, ...]:
        return (self,)

    def __repr__(self) -> str:
        return f"Criterion({self.code} {self.op} {self.value!r})"


class Group(Node):
    """``{"all": [...]}`` or ``{"any": [...]}``, nestable."""

    __slots__ = ("kind", "items")

    def __init__(
        self,
        kind: str,
        items: tuple[Node, ...],
        *,
        code: str | None = None,
        label: str | None = None,
        code_prefix: str = "",
        context: str = "",
        source: Mapping[str, Any] | None = None,
    ) -> None:
        if kind not in ("all", "any"):
            raise ValueError(kind)
        self.kind = kind
        self.items = items
        leaves = self.leaves()
        keys: list[str] = []
        for leaf in leaves:
            if leaf.key not in keys:
                keys.append(leaf.key)
        self.keys = tuple(keys)
        self._memo = {}
        if code is None:
            code = "+".join(keys)
        self.code = code_prefix + code
        if label is None:
            labels: list[str] = []
            for leaf in leaves:
                plain = leaf.label.split("（", 1)[0] if leaf.text_prefix else leaf.label
                if plain not in labels:
                    labels.append(plain)
            label = "、".join(labels)
        self.label = f"{label}（{context}）" if context else label
        self.text_prefix = f"{context}：" if context else ""
        self.required = self._requirement(label)
        self.source = source if source is not None else {kind: [item.to_doc() for item in items]}

    @property
    def _word(self) -> str:
        return " 且 " if self.kind == "all" else " 或 "

    def _join(self, parts: list[str]) -> str:
        if len(parts) == 1:
            return parts[0]
        other = " 或 " if self.kind == "all" else " 且 "
        return self._word.join(f"（{p}）" if other in p else p for p in parts)

    def _requirement(self, label: str) -> str:
        """The requirement; leaves whose label is the group's own say only "≥ 36 个月"."""
        parts = []
        for item in self.items:
            if isinstance(item, Criterion):
                parts.append(item.required if item.label == label else item.describe())
            else:
                parts.append(item._requirement(label))  # type: ignore[attr-defined]
        return self._join(parts)

    def _check(self, values: Mapping[str, Any]) -> tuple[bool, str, str, tuple[str, ...]]:
        results = []
        parts: list[str] = []
        for item in self.items:
            ok, actual, body, sub = item._check(values)
            results.append((ok, body))
            if sub is None:
                sub = (body if actual is MISSING else f"{item.short} {actual}",)  # type: ignore[attr-defined]
            for p in sub:
                if p not in parts:
                    parts.append(p)
        if self.kind == "all":
            ok = all(r[0] for r in results)
            shown = [b for _, b in results] if ok else [b for r_ok, b in results if not r_ok]
        else:
            ok = any(r[0] for r in results)
            shown = [next(b for r_ok, b in results if r_ok)] if ok else [b for _, b in results]
        return ok, "", self._join(shown), tuple(parts)

    def describe(self) -> str:
        separator = " " if self.required[:1] in _SYMBOLS else "："
        return f"{self.label}{separator}{self.required}"

    def leaves(self) -> tuple[Criterion, ...]:
        out: list[Criterion] = []
        for item in self.items:
            out.extend(item.leaves())
        return tuple(out)

    def __repr__(self) -> str:
        return f"Group({self.kind}, {list(self.items)!r})"
