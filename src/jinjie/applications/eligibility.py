"""What an application is checked against (SPEC 3.1), for one employee or a whole round at once.

Two kinds of thing can stand in the way:
- gates: who may apply for what at all — an active 专卖管理员 of the round's subtree, for the next
  level only (the one after the highest held at the check date), a level the round opens, not a
  level already held, and an employee record whose 当前职级 agrees with the levels held (taking
  effect checks the proposal's from_rank against it);
- checks: the automatic conditions of the monopoly rule book in force at the check date
  (evaluations.qualify, the engine's `check_monopoly`) with required and actual values, and not
  holding a management post on the check date (people.PostAssignment, SPEC 4).

A bulk assessment costs a handful of queries whatever the number of employees: the monopoly facts
of the round's subtree (five queries), the management posts held on the check date, the rule book.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinjie.evaluations.qualify import load_monopoly_facts
from jinjie.people.models import Employee, Status, Track
from jinjie.people.selectors import management_post_holders
from jinjie.rulebooks.models import BookKind, RuleBook
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.evaluate import MonopolyFacts, check_monopoly
from jinjie.rules.ladder import MONOPOLY_LEVELS

from .models import ApplicationRound
from .workflow import ApplicationError

__all__ = ["GATE_CODE", "POST_CODE", "Assessment", "Check", "assess", "monopoly_book_at", "next_level"]

GATE_CODE = "eligibility"
POST_CODE = "management_post"
NONE_HELD = "见习"  # a 专卖管理员 who holds no level yet (the employees import's empty 当前职级)
_CHUNK = 900


@dataclass(frozen=True)
class Check:
    """One condition as checked: required and actual value, and whether it holds."""

    code: str
    label: str
    required: str
    actual: str
    ok: bool
    text: str  # the sentence without its mark: "上年度专卖双能 合格 < 良好"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "label": self.label, "required": self.required, "actual": self.actual,
            "ok": self.ok, "text": self.text,
        }


@dataclass(frozen=True)
class Assessment:
    """One employee against one level of a round at its check date."""

    employee: Employee
    level: str | None  # the level assessed: the one applied for, else the next one
    next_level: str | None
    gates: tuple[str, ...]
    checks: tuple[Check, ...]
    manual: tuple[str, ...]
    rulebook: RuleBook

    @property
    def ok(self) -> bool:
        return not self.gates and all(c.ok for c in self.checks)

    @property
    def unmet(self) -> list[str]:
        """Every reason it fails, in Chinese, gates first ("还差: …" lists them all)."""
        return [*self.gates, *(c.text for c in self.checks if not c.ok)]

    @property
    def gap(self) -> str:
        return "还差：" + "；".join(self.unmet) if self.unmet else ""

    def frozen(self) -> list[dict[str, Any]]:
        """What the application keeps: a failed gate as a row of its own, then every condition."""
        rows = [
            Check(GATE_CODE, "申报资格", "在岗专卖管理员，逐级申报本批次开放的等级", gate, False, gate).as_dict()
            for gate in self.gates
        ]
        return rows + [c.as_dict() for c in self.checks]

    def manual_items(self) -> list[dict[str, str]]:
        return [{"code": f"manual.{n}", "label": label} for n, label in enumerate(self.manual, start=1)]


def monopoly_book_at(day: date) -> tuple[RuleBook, Any]:
    """The monopoly rule book in force on `day` (stored and parsed); refused in Chinese if none."""
    try:
        book = rulebook_in_force(kind=BookKind.MONOPOLY, on=day)
    except NoRuleBookError as e:
        raise ApplicationError(f"{day} 没有生效的专卖管理员等级申报条件，请先发布标准（{e}）") from None
    return book, parsed_rulebook(book)


def next_level(granted: Mapping[str, date | None], on: date) -> str | None:
    """The level after the highest granted by `on` (SPEC 3: 逐级申报); None when the top is held."""
    held = [MONOPOLY_LEVELS.index(level) for level, day in granted.items() if level in MONOPOLY_LEVELS and day and day <= on]
    following = max(held) + 1 if held else 0
    return MONOPOLY_LEVELS[following] if following < len(MONOPOLY_LEVELS) else None


def _highest(granted: Mapping[str, date | None]) -> str | None:
    held = [MONOPOLY_LEVELS.index(level) for level in granted if level in MONOPOLY_LEVELS]
    return MONOPOLY_LEVELS[max(held)] if held else None


def expected_rank(granted: Mapping[str, date | None]) -> str:
    """What the employee record's 当前职级 says for these levels: the highest, or 见习 with none."""
    return _highest(granted) or NONE_HELD


def _gates(
    employee: Employee, round: ApplicationRound, facts: MonopolyFacts | None, level: str | None, following: str | None
) -> list[str]:
    name = employee.name
    if employee.track != Track.MONOPOLY_ADMINISTRATOR:
        return [f"{name} 的岗位序列为{employee.track}，只有专卖管理员可以申报专卖管理员等级"]
    if employee.status != Status.ACTIVE:
        return [f"{name} 当前状态为{employee.status}，只有在岗的专卖管理员可以申报"]
    if not round.org_unit.contains(employee.org_unit):
        return [f"{name} 所在单位不在本批次范围（{round.org_unit.path}）内"]
    granted = facts.qualifications if facts is not None else {}
    gates = []
    if level is not None and level in granted:
        gates.append(f"{name} 已取得{level}")
    elif following is None:
        gates.append(f"{name} 已取得最高等级{MONOPOLY_LEVELS[-1]}，没有可申报的下一等级")
    elif level is not None and level != following:
        gates.append(f"只能逐级申报：{name} 可申报的下一等级为{following}，不是{level}")
    elif following not in round.levels:
        gates.append(f"本批次未开放{following}的申报（开放：{'、'.join(round.levels) or '无'}）")
    # Taking effect checks the proposal's starting level against the record (approvals.apply_due).
    current, expected = employee.current_rank or NONE_HELD, expected_rank(granted)
    if current != expected:
        gates.append(
            f"{name} 档案中的当前职级为“{employee.current_rank or '空'}”，与已取得的专卖管理员等级"
            f"（{_highest(granted) or '无'}）不一致，请人事劳资先核对员工档案"
        )
    return gates


def _post_check(post, day: date) -> Check:
    if post is None:
        return Check(POST_CODE, "未担任管理岗位", "否", "否", True, "未担任管理岗位")
    actual = f"担任{post.post}（{post.start_date:%Y-%m-%d} 起）"
    return Check(POST_CODE, "未担任管理岗位", "否", actual, False, f"{day:%Y-%m-%d} {actual}，担任管理岗位期间不能申报")


def _posts(employee_ids: list[int], day: date) -> dict[int, Any]:
    held: dict[int, Any] = {}
    for start in range(0, len(employee_ids), _CHUNK):
        chunk = employee_ids[start : start + _CHUNK]
        for post in management_post_holders(on=day).filter(employee_id__in=chunk).order_by("start_date", "pk"):
            held.setdefault(post.employee_id, post)
    return held


def assess(
    round: ApplicationRound,
    employees: Iterable[Employee],
    *,
    levels: Mapping[int, str] | None = None,
    book: tuple[RuleBook, Any] | None = None,
    gated_checks: bool = True,
) -> dict[int, Assessment]:
    """Assess `employees` (loaded with their org_unit) for `round` at its check date.

    `levels` maps an employee id to the level they applied for (the closing check); without it
    each is assessed for their next level (applying, the qualified list). With `gated_checks`
    False, someone a gate already refuses is not checked further (the qualified list, where only
    who qualifies matters: most of a big subtree's next level is not open).
    """
    employees = list(employees)
    if not employees:
        return {}
    day = round.check_date
    stored, parsed = book or monopoly_book_at(day)
    if len(employees) == 1:
        loaded = load_monopoly_facts(employee_id=employees[0].pk, as_of=day)
    else:
        # Every active 专卖管理员 of the subtree in five queries; anyone else fails a gate anyway.
        loaded = load_monopoly_facts(org_unit=round.org_unit, as_of=day)
    posts = _posts(sorted(e.pk for e in employees), day)
    out: dict[int, Assessment] = {}
    for employee in employees:
        facts = loaded[employee.pk][1] if employee.pk in loaded else None
        granted = facts.qualifications if facts is not None else {}
        following = next_level(granted, day)
        level = (levels or {}).get(employee.pk)
        gates = _gates(employee, round, facts, level, following)
        target = level or following
        checks: list[Check] = []
        manual: tuple[str, ...] = ()
        if facts is not None and target is not None and (gated_checks or not gates):
            result = check_monopoly(facts, target, parsed, day)
            checks = [Check(r.code, r.label, r.required, r.actual, r.passed, r.body) for r in result.reasons]
            manual = result.manual
        if gated_checks or not gates:
            checks.append(_post_check(posts.get(employee.pk), day))
        out[employee.pk] = Assessment(employee, target, following, tuple(gates), tuple(checks), manual, stored)
    return out
