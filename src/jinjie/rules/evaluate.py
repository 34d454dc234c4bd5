"""The evaluation (测评, SPEC 2.3) and the qualification checks (SPEC 2.2 gap, SPEC 3).

Facts in (frozen dataclasses), outcome with reasons out. No I/O, no Django: the caller gathers the
facts of a whole period in bulk and calls ``evaluate`` once per employee with one parsed book.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .book import LadderBook, MonopolyBook
from .calendar import Period, months_between
from .criteria import Node, Reason
from .ladder import (
    COUNTED_AUTHOR_ROLES,
    COUNTED_JOURNAL_LEVELS,
    MOVE_LABELS,
    RANKS,
    TOP_STEP,
    demotion_step,
    flags_reassignment,
    move_between,
)

__all__ = [
    "LadderFacts",
    "MonopolyFacts",
    "Outcome",
    "Qualification",
    "check_monopoly",
    "check_rank",
    "evaluate",
    "ladder_values",
    "monopoly_values",
]


# --- facts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LadderFacts:
    """Everything the engine needs about one customer manager / market administrator for one period.

    The caller may pass more records than the windows need: the engine filters exams to
    [boundary − 12 months, boundary) and violations/contributions to [start, boundary).
    """

    employee_no: str
    track: str
    step: int  # 0 = 见习 … 9 = 高级A
    scores: tuple[Decimal | None, Decimal | None, Decimal | None]  # monthly scores, in month order
    role_start_date: date | None = None
    education: str | None = None
    vocational_level: str | None = None
    exams: tuple[tuple[date, Decimal], ...] = ()  # training records of kind 考试: (date, score)
    ability: Decimal | None = None  # 综合能力测评 recorded for the period
    violation_dates: tuple[date, ...] = ()
    contribution_dates: tuple[date, ...] = ()
    rank_since: date | None = None  # None: the rank predates the records, counts as held all period
    previous_change_was_demotion: bool = False


@dataclass(frozen=True, slots=True)
class MonopolyFacts:
    """Everything needed to check one 专卖管理员 against a monopoly level (SPEC 3)."""

    employee_no: str
    role_start_date: date | None = None
    pay_grade: int | None = None  # smaller is higher
    education: str | None = None
    exams: tuple[tuple[date, str, bool], ...] = ()  # 等级考试 records: (date, level, passed)
    law_cert_valid_until: date | None = None
    shuangneng: Mapping[int, str] = field(default_factory=dict)  # year → 专卖双能 rating
    publications: tuple[tuple[date, str, str], ...] = ()  # (date, journal_level, author_role)
    qualifications: Mapping[str, date] = field(default_factory=dict)  # level → granted_date


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of evaluating one employee for one period."""

    from_step: int
    to_step: int
    move: str  # grade_up, level_up, skip_grade, skip_level, grade_down, level_down, hold, incomplete
    reassign: bool  # demoted to 见习 twice in a row (连续两次降级): flag for HR
    route: tuple[str, ...]  # approval steps from the book; () for hold and incomplete
    reasons: tuple[Reason, ...]
    summary: str

    @property
    def from_rank(self) -> str:
        return RANKS[self.from_step]

    @property
    def to_rank(self) -> str:
        return RANKS[self.to_step]

    @property
    def move_label(self) -> str:
        return MOVE_LABELS[self.move]

    @property
    def failed(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.passed)

    @property
    def reasons_text(self) -> str:
        """All reasons in one line, for exports."""
        return "；".join(r.text for r in self.reasons)

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, for storing on a proposal."""
        return {
            "from_rank": self.from_rank,
            "to_rank": self.to_rank,
            "move": self.move,
            "reassign": self.reassign,
            "route": list(self.route),
            "reasons": [r._asdict() for r in self.reasons],
            "summary": self.summary,
        }


@dataclass(frozen=True, slots=True)
class Qualification:
    """Does someone meet a rank's (or monopoly level's) criteria? Every criterion with its verdict."""

    target: str
    met: bool
    reasons: tuple[Reason, ...]
    manual: tuple[str, ...] = ()  # conditions reviewers judge by hand (monopoly levels)

    @property
    def failed(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.passed)

    @property
    def gap(self) -> str:
        """ "还差: …" text: the failed criteria, without marks; empty when met."""
        return "；".join(r.body for r in self.reasons if not r.passed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "met": self.met,
            "reasons": [r._asdict() for r in self.reasons],
            "manual": list(self.manual),
        }


# --- ladder values -----------------------------------------------------------------------------


def _latest_exam(exams: tuple[tuple[date, Decimal], ...], since: date, before: date) -> Decimal | None:
    best_day: date | None = None
    best: Decimal | None = None
    for day, score in exams:
        if score is None or day < since or day >= before:
            continue
        if best_day is None or day > best_day or (day == best_day and score > best):  # type: ignore[operator]
            best_day, best = day, score
    return best


def ladder_values(facts: LadderFacts, period: Period, book: LadderBook) -> dict[str, Any]:
    """The fact values criteria test (fact name → value), computed once per employee."""
    start = period.start
    boundary = period.boundary
    s1, s2, s3 = facts.scores
    fail_line = book.fail_line
    if s1 is None or s2 is None or s3 is None:
        total = low = None
        failed = sum(1 for s in facts.scores if s is not None and s < fail_line)
    else:
        total = s1 + s2 + s3
        low = min(s1, s2, s3)
        failed = (s1 < fail_line) + (s2 < fail_line) + (s3 < fail_line)
    rs = facts.role_start_date
    return {
        "months_in_role": None if rs is None else months_between(rs, boundary),
        "education": facts.education,
        "vocational_level": facts.vocational_level,
        "perf_avg": total,  # the SUM: perf_avg ≥ t is checked as sum ≥ 3·t
        "perf_min": low,
        "failed_months": failed,
        "training_score": _latest_exam(facts.exams, period.lookback_start, boundary) if facts.exams else None,
        "ability": facts.ability,
        "violations": sum(1 for d in facts.violation_dates if start <= d < boundary),
        "contributions": sum(1 for d in facts.contribution_dates if start <= d < boundary),
    }


def _run(nodes: tuple[Node, ...], values: Mapping[str, Any], out: list[Reason]) -> bool:
    ok = True
    for node in nodes:
        reason = node.check(values)
        out.append(reason)
        if not reason.passed:
            ok = False
    return ok


# --- the evaluation ----------------------------------------------------------------------------

_SCORES_LABEL = "月度绩效考核"
_TOP_RANK_REASON = Reason(
    "top_rank", "最高职级", "—", RANKS[TOP_STEP], True, f"已是最高职级 {RANKS[TOP_STEP]}"
)


def _failed_bodies(reasons: list[Reason], limit: int = 3) -> str:
    bodies = [r.body for r in reasons if not r.passed]
    if len(bodies) > limit:
        return "；".join(bodies[:limit]) + f" 等 {len(bodies)} 项"
    return "；".join(bodies)


@lru_cache(maxsize=4096)
def _rank_since_reason(since: date | None, start: date) -> Reason:
    """The gate "rank held the whole period" (a few thousand distinct dates in a bureau: each worded once)."""
    required = f"≤ {start.isoformat()}"
    if since is None:
        return Reason("gate.rank_since", "现职级起始日期", required, "未记录", True, "现职级任满整个测评期 ✓")
    shown = since.isoformat()
    if since > start:
        return Reason(
            "gate.rank_since", "现职级起始日期", required, shown, False, f"现职级自 {shown} 起，未任满整个测评期 ✗"
        )
    return Reason(
        "gate.rank_since", "现职级起始日期", required, shown, True, f"现职级自 {shown} 起，任满整个测评期 ✓"
    )


@lru_cache(maxsize=64)
def _violations_reason(violations: int) -> Reason:
    """The gate "no violation in the period"."""
    if violations:
        return Reason(
            "gate.violations",
            "本测评期违规记录",
            "无",
            f"{violations} 次",
            False,
            f"本测评期有违规记录 {violations} 次 ✗",
        )
    return Reason("gate.violations", "本测评期违规记录", "无", "无", True, "本测评期无违规记录 ✓")


def evaluate(facts: LadderFacts, period: Period, book: LadderBook) -> Outcome:
    """One outcome per employee, following SPEC 2.3 in order.

    1. a missing score → incomplete; 2. under the level floor or two months 不合格 → down one level
    (max(0, r−3)); 3. under the keep line or one month 不合格 → down one step; 4. promotion only if the
    rank was held the whole period, no violation in it and r < 9: skip (r+2) when outstanding, allowed
    from r's level/grade and qualified for r+2, else r+1 when qualified; 5. otherwise hold.
    """
    r = facts.step
    if not 0 <= r <= TOP_STEP:
        raise ValueError(f"职级序号应为 0–{TOP_STEP}，实为 {r!r}")
    scores = facts.scores
    if len(scores) != 3:
        raise ValueError(f"应有三个月的绩效考核得分，实为 {len(scores)} 个")

    # 1. incomplete
    if scores[0] is None or scores[1] is None or scores[2] is None:
        missing = [m for m, s in zip(period.months, scores, strict=True) if s is None]
        reasons = tuple(
            Reason("scores", _SCORES_LABEL, "三个月齐全", f"{m} 缺失", False, f"缺少 {m} {_SCORES_LABEL} ✗")
            for m in missing
        )
        return Outcome(
            r, r, "incomplete", False, (), reasons, f"数据不全：缺少 {'、'.join(missing)} {_SCORES_LABEL}"
        )

    values = ladder_values(facts, period, book)
    reasons: list[Reason] = []

    # 2./3. demotions
    if r >= 1:
        floor_ok = _run(book.floors_by_step[r], values, reasons)
        keep_ok = _run(book.ranks[r].keep, values, reasons)  # type: ignore[union-attr]
        if not floor_ok or not keep_ok:
            to = demotion_step(r, "level" if not floor_ok else "grade")
            move = move_between(r, to)
            reassign = flags_reassignment(to, facts.previous_change_was_demotion)
            decisive = [x for x in reasons if x.code.startswith("floor.")] if not floor_ok else reasons
            summary = f"{MOVE_LABELS[move]}：{RANKS[r]} → {RANKS[to]}（{_failed_bodies(decisive)}）"
            if reassign:
                summary += "；连续两次降级，建议调整岗位"
            return Outcome(r, to, move, reassign, book.route_for(move, to), tuple(reasons), summary)

    # 4. promotion
    if r == TOP_STEP:
        reasons.append(_TOP_RANK_REASON)
        return Outcome(r, r, "hold", False, (), tuple(reasons), f"保持 {RANKS[r]}（已是最高职级）")

    gate = [_rank_since_reason(facts.rank_since, period.start), _violations_reason(values["violations"])]
    gate_ok = gate[0].passed and gate[-1].passed

    if gate_ok and book.skip_from[r]:
        outstanding = book.outstanding.check(values)
        if outstanding.passed:
            target: list[Reason] = []
            if _run(book.ranks[r + 2].criteria, values, target):  # type: ignore[union-attr]
                move = move_between(r, r + 2)
                return Outcome(
                    r,
                    r + 2,
                    move,
                    False,
                    book.route_for(move, r + 2),
                    tuple(gate + [outstanding] + target),
                    f"{MOVE_LABELS[move]}：{RANKS[r]} → {RANKS[r + 2]}",
                )
            # Outstanding but not qualified for r+2: say why, then consider r+1.
            word = MOVE_LABELS[move_between(r, r + 2)]
            prefix = f"{word}至{RANKS[r + 2]}："
            gate.append(outstanding)
            gate.extend(
                x._replace(code="skip." + x.code, text=prefix + x.text) for x in target if not x.passed
            )

    entry: list[Reason] = []
    qualified = _run(book.ranks[r + 1].criteria, values, entry)  # type: ignore[union-attr]
    if gate_ok and qualified:
        move = move_between(r, r + 1)
        return Outcome(
            r,
            r + 1,
            move,
            False,
            book.route_for(move, r + 1),
            tuple(gate + entry),
            f"{MOVE_LABELS[move]}：{RANKS[r]} → {RANKS[r + 1]}",
        )

    # 5. hold
    reasons += gate
    reasons += entry
    why = _failed_bodies(gate + entry)
    return Outcome(
        r, r, "hold", False, (), tuple(reasons), f"保持 {RANKS[r]}：{why}" if why else f"保持 {RANKS[r]}"
    )


def check_rank(facts: LadderFacts, period: Period, book: LadderBook, target_step: int) -> Qualification:
    """Check the entry criteria of one rank (for "还差: …" — the gap to the next grade or level).

    Only the rank's own criteria: the evaluation's gates (rank held all period, no violation) are not
    part of a rank's standard.
    """
    if not 0 <= target_step <= TOP_STEP:
        raise ValueError(f"职级序号应为 0–{TOP_STEP}，实为 {target_step!r}")
    if target_step == 0:
        return Qualification(RANKS[0], True, ())
    values = ladder_values(facts, period, book)
    reasons: list[Reason] = []
    met = _run(book.ranks[target_step].criteria, values, reasons)  # type: ignore[union-attr]
    return Qualification(RANKS[target_step], met, tuple(reasons))


# --- monopoly administrators -------------------------------------------------------------------


def monopoly_values(facts: MonopolyFacts, level: str, as_of: date) -> dict[str, Any]:
    """The fact values for checking ``facts`` against ``level`` at ``as_of`` (SPEC 3)."""
    rs = facts.role_start_date
    passed_on: date | None = None
    tried = False
    for day, exam_level, passed in facts.exams:
        if exam_level != level or day > as_of:
            continue
        tried = True
        if passed and (passed_on is None or day > passed_on):
            passed_on = day
    if passed_on is not None:
        exam: tuple[bool, str] | None = (True, f"已通过（{passed_on.isoformat()}）")
    else:
        exam = (False, "未通过") if tried else None
    cert = facts.law_cert_valid_until
    if cert is None:
        law: tuple[bool, str] | None = None
    elif cert >= as_of:
        law = (True, f"有效（有效期至 {cert.isoformat()}）")
    else:
        law = (False, f"已过期（有效期至 {cert.isoformat()}）")
    counted = national = 0
    for day, journal_level, author_role in facts.publications:
        if day <= as_of and journal_level in COUNTED_JOURNAL_LEVELS and author_role in COUNTED_AUTHOR_ROLES:
            counted += 1
            national += journal_level == "国家级"
    values: dict[str, Any] = {
        "exp_months": None if rs is None else months_between(rs, as_of),
        "pay_grade": facts.pay_grade,
        "education": facts.education,
        "level_exam": exam,
        "law_cert": law,
        "shuangneng": facts.shuangneng.get(as_of.year - 1),
        "publications": counted,
        "national_publications": national,
    }
    for held_level, granted in facts.qualifications.items():
        if granted is not None and granted <= as_of:
            values[f"held_months:{held_level}"] = months_between(granted, as_of)
    return values


def check_monopoly(facts: MonopolyFacts, level: str, book: MonopolyBook, as_of: date) -> Qualification:
    """Check the automatic conditions of a monopoly level at ``as_of``; list the manual ones."""
    rule = book.level(level)
    values = monopoly_values(facts, level, as_of)
    reasons: list[Reason] = []
    met = _run(rule.criteria, values, reasons)
    return Qualification(level, met, tuple(reasons), rule.manual)
