"""竞聘上岗 (SPEC 4) as arithmetic: eligibility at the 报名 deadline, the three scores, the total,
positions with ties, and who goes on to 考察. Plain Python, no Django: facts in, results out.

- Eligibility criteria are data, parsed by the rule books' own parser (criteria.py's facts of the
  "selection" book, its operator table, ALL/ANY groups), and checked against one applicant's
  facts at the deadline *d* into the usual Reasons (required / actual / 符合).
- 演讲答辩: the mean of the judges' marks; with ≥ 5 judges (default) the highest and the lowest
  are dropped first. 民主测评: (100·优秀 + 80·称职 + 60·基本称职 + 0·不称职) / valid ballots.
  Both are rounded half-up to 2 places before the total is computed.
- total = 笔试 × 0.30 + 演讲答辩 × 0.40 + 民主测评 × 0.30 (weights summing to 1), half-up to 2
  places; 笔试 below the pass line stops there (未进入面试); any score missing → 成绩不全.
- Per post: total descending, ties by 演讲答辩 then 笔试, still equal → the same position
  (1, 2, 2, 4). 考察: position ≤ ratio · places and total ≥ the minimum.

Every number is a Decimal; nothing depends on the order the candidates are given in.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jinjie.core.errors import DomainError

from .book import parse_criteria_list
from .calendar import add_months, months_between
from .criteria import SELECTION, Node, Reason
from .ladder import LADDER_TRACKS

__all__ = [
    "BALLOT_LABELS",
    "DEFAULT_CRITERIA",
    "DEFAULT_SCHEME",
    "NOTE_BELOW_PASS",
    "NOTE_FAILED_REVIEW",
    "NOTE_INCOMPLETE",
    "ApplicantFacts",
    "Ballots",
    "Candidate",
    "Eligibility",
    "Scheme",
    "SchemeError",
    "Standing",
    "Weights",
    "ballot_score",
    "check_eligibility",
    "eligibility_values",
    "half_up",
    "parse_criteria",
    "parse_scheme",
    "rank",
    "speech_score",
    "total_of",
]

CENT = Decimal("0.01")
ONE = Decimal(1)
HUNDRED = Decimal(100)

NOTE_FAILED_REVIEW = "资格审查未通过"
NOTE_BELOW_PASS = "未进入面试"
NOTE_INCOMPLETE = "成绩不全"

BALLOT_LABELS = ("优秀", "称职", "基本称职", "不称职")
SERIOUS_SEVERITIES = frozenset({"较重", "严重"})

# SPEC 4 (default): the posting's eligibility, as the data HR edits per selection.
DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {
        "any": [
            {"type": "ladder_rank", "op": ">=", "value": "中级C"},
            {"type": "monopoly_level", "op": ">=", "value": "中级专卖管理员"},
        ],
        "code": "rank",
        "label": "职级或专卖管理员等级",
    },
    {"type": "service_months", "op": ">=", "value": "36"},
    {"type": "education", "op": ">=", "value": "大专"},
    {"type": "age", "op": "<=", "value": "45"},
    {"type": "serious_violations", "op": "==", "value": "0"},
    {"type": "annual_rating", "op": ">=", "value": "称职"},
]


class SchemeError(DomainError, ValueError):
    """A scoring scheme that cannot be used (weights not summing to 1 …); the message is Chinese."""


def half_up(value: Decimal) -> Decimal:
    """Rounded half-up to 2 places (SPEC 4): 84.125 → 84.13."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value: Any, what: str, *, low: Decimal = Decimal(0), high: Decimal = HUNDRED) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise SchemeError(f"{what}应写成数字文本，例如 \"0.30\"")
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise SchemeError(f"{what}不是有效的数字：{value!r}") from None
    if not d.is_finite() or not low <= d <= high:
        raise SchemeError(f"{what}应在 {low} 到 {high} 之间，实为 {value}")
    if d.as_tuple().exponent < -4:  # type: ignore[operator]
        raise SchemeError(f"{what}最多 4 位小数")
    return d


@dataclass(frozen=True)
class Weights:
    """笔试、演讲答辩、民主测评 weights; they must sum to exactly 1 (SPEC 4), else SchemeError."""

    written: Decimal = Decimal("0.30")
    speech: Decimal = Decimal("0.40")
    democratic: Decimal = Decimal("0.30")

    def __post_init__(self) -> None:
        for name, label in (("written", "笔试权重"), ("speech", "演讲答辩权重"), ("democratic", "民主测评权重")):
            object.__setattr__(self, name, _decimal(getattr(self, name), label, high=ONE))
        total = self.written + self.speech + self.democratic
        if total != ONE:
            raise SchemeError(
                f"三项权重之和应为 1，现为 {self.written} + {self.speech} + {self.democratic} = {total.normalize():f}"
            )


@dataclass(frozen=True)
class Scheme:
    """How a selection scores and cuts (SPEC 4 defaults, editable per selection)."""

    weights: Weights = field(default_factory=Weights)
    pass_line: Decimal = Decimal(60)  # 笔试 below it: 未进入面试
    inspect_ratio: int = 2  # 1:2 — positions ≤ ratio · places are inspected …
    inspect_min: Decimal = Decimal(70)  # … when their total reaches this
    drop_extremes_from: int = 5  # with at least this many judges, drop one highest and one lowest
    ballot_points: tuple[Decimal, Decimal, Decimal, Decimal] = (HUNDRED, Decimal(80), Decimal(60), Decimal(0))

    def __post_init__(self) -> None:
        object.__setattr__(self, "pass_line", _decimal(self.pass_line, "笔试合格线"))
        object.__setattr__(self, "inspect_min", _decimal(self.inspect_min, "考察最低总成绩"))
        if isinstance(self.inspect_ratio, bool) or not isinstance(self.inspect_ratio, int) or not 1 <= self.inspect_ratio <= 10:
            raise SchemeError(f"考察比例应为 1–10 的整数（1:n），实为 {self.inspect_ratio!r}")
        if isinstance(self.drop_extremes_from, bool) or not isinstance(self.drop_extremes_from, int) or not (
            3 <= self.drop_extremes_from <= 99
        ):
            raise SchemeError(f"去掉最高分和最低分所需的评委人数应为 3–99，实为 {self.drop_extremes_from!r}")
        if len(self.ballot_points) != 4:
            raise SchemeError("民主测评分值应为四项：优秀、称职、基本称职、不称职")
        points = tuple(_decimal(p, f"民主测评“{label}”的分值") for p, label in zip(self.ballot_points, BALLOT_LABELS, strict=True))
        object.__setattr__(self, "ballot_points", points)

    def to_doc(self) -> dict[str, Any]:
        """The scheme as stored (numbers as text, so no float ever creeps in)."""
        return {
            "weights": {k: str(getattr(self.weights, k)) for k in ("written", "speech", "democratic")},
            "pass_line": str(self.pass_line),
            "inspect_ratio": self.inspect_ratio,
            "inspect_min": str(self.inspect_min),
            "drop_extremes_from": self.drop_extremes_from,
            "ballot_points": [str(p) for p in self.ballot_points],
        }


DEFAULT_SCHEME = Scheme()

_SCHEME_KEYS = ("weights", "pass_line", "inspect_ratio", "inspect_min", "drop_extremes_from", "ballot_points")


def parse_scheme(doc: Mapping[str, Any] | None) -> Scheme:
    """A stored or submitted scheme → Scheme; missing keys take the SPEC 4 defaults. SchemeError."""
    if doc is None:
        return DEFAULT_SCHEME
    if not isinstance(doc, Mapping):
        raise SchemeError("计分办法应为 JSON 对象")
    unknown = sorted(set(doc) - set(_SCHEME_KEYS))
    if unknown:
        raise SchemeError(f"计分办法中有未知的项：{'、'.join(map(str, unknown))}")
    kwargs: dict[str, Any] = {}
    if "weights" in doc:
        w = doc["weights"]
        if not isinstance(w, Mapping) or set(w) != {"written", "speech", "democratic"}:
            raise SchemeError("权重应为 {written, speech, democratic} 三项")
        kwargs["weights"] = Weights(w["written"], w["speech"], w["democratic"])
    for key in ("pass_line", "inspect_min"):
        if key in doc:
            kwargs[key] = doc[key]
    for key in ("inspect_ratio", "drop_extremes_from"):
        if key in doc:
            value = doc[key]
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            kwargs[key] = value
    if "ballot_points" in doc:
        points = doc["ballot_points"]
        if not isinstance(points, list | tuple):
            raise SchemeError("民主测评分值应为四项的列表")
        kwargs["ballot_points"] = tuple(points)
    return Scheme(**kwargs)


# --- the three scores ----------------------------------------------------------------------------


def speech_score(marks: Sequence[Decimal], *, drop_extremes_from: int = 5) -> Decimal | None:
    """The 演讲答辩 score from the judges' marks: their mean, with one highest and one lowest mark
    dropped first when there are at least `drop_extremes_from` judges; half-up to 2 places.
    None without marks."""
    if not marks:
        return None
    ordered = sorted(marks)
    if len(ordered) >= drop_extremes_from:
        ordered = ordered[1:-1]
    return half_up(sum(ordered, Decimal(0)) / len(ordered))


@dataclass(frozen=True)
class Ballots:
    """民主测评 ballot counts of one candidate (no ballot is stored per voter)."""

    excellent: int = 0  # 优秀
    competent: int = 0  # 称职
    basic: int = 0  # 基本称职
    incompetent: int = 0  # 不称职

    def __post_init__(self) -> None:
        for value in (self.excellent, self.competent, self.basic, self.incompetent):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise SchemeError(f"票数应为不小于 0 的整数，实为 {value!r}")

    @property
    def valid(self) -> int:
        return self.excellent + self.competent + self.basic + self.incompetent

    def counts(self) -> tuple[int, int, int, int]:
        return (self.excellent, self.competent, self.basic, self.incompetent)


def ballot_score(ballots: Ballots, points: Sequence[Decimal] = DEFAULT_SCHEME.ballot_points) -> Decimal | None:
    """(100·优秀 + 80·称职 + 60·基本称职 + 0·不称职) / valid ballots, half-up to 2 places; None
    when there is no valid ballot."""
    if ballots.valid == 0:
        return None
    weighted = sum((Decimal(n) * p for n, p in zip(ballots.counts(), points, strict=True)), Decimal(0))
    return half_up(weighted / ballots.valid)


# --- totals and positions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One applicant for one post, with the three final scores (None: missing)."""

    key: Hashable  # the application's id: sorts the fully tied, so the output never depends on input order
    post: Hashable
    written: Decimal | None
    speech: Decimal | None  # the 演讲答辩 score (speech_score of the marks, or the final score given)
    democratic: Decimal | None
    qualified: bool = True  # passed 资格审查


@dataclass(frozen=True)
class Standing:
    key: Hashable
    post: Hashable
    written: Decimal | None
    speech: Decimal | None
    democratic: Decimal | None
    total: Decimal | None
    position: int | None
    inspect: bool
    note: str  # "" or 资格审查未通过 / 未进入面试 / 成绩不全


def total_of(candidate: Candidate, scheme: Scheme = DEFAULT_SCHEME) -> tuple[Decimal | None, str]:
    """(total, note): the weighted total half-up to 2 places, or None and why there is none."""
    if not candidate.qualified:
        return None, NOTE_FAILED_REVIEW
    if candidate.written is not None and candidate.written < scheme.pass_line:
        return None, NOTE_BELOW_PASS
    if candidate.written is None or candidate.speech is None or candidate.democratic is None:
        return None, NOTE_INCOMPLETE
    w = scheme.weights
    speech, democratic = half_up(candidate.speech), half_up(candidate.democratic)
    return half_up(candidate.written * w.written + speech * w.speech + democratic * w.democratic), ""


def _sort_key(key: Hashable) -> tuple[str, Any]:
    # Keys are application ids (ints); anything else still sorts, by type name first.
    return (type(key).__name__, key)


def rank(candidates: Iterable[Candidate], *, places: Mapping[Hashable, int], scheme: Scheme = DEFAULT_SCHEME) -> list[Standing]:
    """Every candidate's standing, post by post (in `places`' order): the ranked by position, then
    those without a total. `places[post]` is the post's number of places *n*."""
    by_post: dict[Hashable, list[Candidate]] = {post: [] for post in places}
    for c in candidates:
        if c.post not in by_post:
            raise ValueError(f"candidate {c.key!r}: unknown post {c.post!r}")
        by_post[c.post].append(c)
    out: list[Standing] = []
    for post, group in by_post.items():
        cut = scheme.inspect_ratio * places[post]
        scored: list[tuple[tuple, Candidate, Decimal]] = []
        unranked: list[tuple[Candidate, str]] = []
        for c in group:
            total, note = total_of(c, scheme)
            if total is None:
                unranked.append((c, note))
            else:
                merit = (total, half_up(c.speech), c.written)  # type: ignore[arg-type]
                scored.append((merit, c, total))
        scored.sort(key=lambda row: (tuple(-v for v in row[0]), _sort_key(row[1].key)))
        position = 0
        previous = None
        for index, (merit, c, total) in enumerate(scored, start=1):
            if merit != previous:
                position, previous = index, merit
            out.append(
                Standing(
                    c.key, post, c.written, half_up(c.speech), half_up(c.democratic), total, position,  # type: ignore[arg-type]
                    position <= cut and total >= scheme.inspect_min, "",
                )
            )
        for c, note in sorted(unranked, key=lambda row: _sort_key(row[0].key)):
            speech = half_up(c.speech) if c.speech is not None else None
            democratic = half_up(c.democratic) if c.democratic is not None else None
            out.append(Standing(c.key, post, c.written, speech, democratic, None, None, False, note))
    return out


# --- eligibility ---------------------------------------------------------------------------------


def parse_criteria(doc: Any) -> tuple[Node, ...]:
    """A selection's eligibility criteria (a list, like a rule book's) → nodes; RuleBookError."""
    return parse_criteria_list(doc, book=SELECTION, path="条件")


@dataclass(frozen=True)
class ApplicantFacts:
    """What the eligibility criteria read about one applicant, as known at the deadline."""

    track: str
    ladder_rank: str | None  # the rank held on d (客户经理、市场管理员)
    monopoly_level: str | None  # the highest level granted by d (专卖管理员)
    hire_date: date | None
    birth_date: date | None
    education: str | None
    violations: tuple[tuple[date, str], ...] = ()  # (date, 情节)
    annual_ratings: Mapping[int, str] = field(default_factory=dict)  # year → 年度考核 等次


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def eligibility_values(facts: ApplicantFacts, deadline: date) -> dict[str, Any]:
    """The fact values on `deadline` (d): service in full months to d (SPEC 2.1's formula), age on
    d, 较重/严重 violations in [d − 12 months, d), the 年度考核 of d.year − 1."""
    since = add_months(deadline, -12)
    ladder = facts.track in LADDER_TRACKS
    return {
        "ladder_rank": facts.ladder_rank if ladder else None,
        "monopoly_level": None if ladder else facts.monopoly_level,
        "service_months": months_between(facts.hire_date, deadline) if facts.hire_date else None,
        "education": facts.education or None,
        "age": _age(facts.birth_date, deadline) if facts.birth_date else None,
        "serious_violations": sum(
            1 for day, severity in facts.violations if since <= day < deadline and severity in SERIOUS_SEVERITIES
        ),
        "annual_rating": facts.annual_ratings.get(deadline.year - 1),
    }


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple[Reason, ...]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.reasons)

    @property
    def failed(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.passed)


def check_eligibility(criteria: Sequence[Node], facts: ApplicantFacts, deadline: date) -> Eligibility:
    values = eligibility_values(facts, deadline)
    return Eligibility(tuple(node.check(values) for node in criteria))
