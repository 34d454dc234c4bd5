"""The projection on 我的职业发展 (SPEC 5): for a target rank, the earliest period in which the
time-based conditions will hold if the scores stay as they are, and what else must change.

"If the scores stay as they are": the monthly scores, the training score and the ability score of
the base period are carried forward unchanged; only time moves — the months in role grow and the
current rank is held for longer (the evaluation considers a promotion only when the rank was held
the whole period). Plain Python, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from .book import LadderBook
from .calendar import Period, months_between
from .criteria import Node
from .evaluate import LadderFacts, ladder_values
from .ladder import RANKS, level_index

__all__ = ["HORIZON", "Projection", "project_rank"]

HORIZON = 48  # quarters looked ahead (twelve years): beyond that the projection says "not in sight"
TIME_FACTS = frozenset({"months_in_role"})


@dataclass(frozen=True, slots=True)
class Projection:
    target: str
    period: Period | None  # the earliest period the time-based conditions hold; None: not in sight
    others: tuple[str, ...]  # what else must change then: the other unmet criteria, as requirements
    text: str  # "保持当前绩效，2027Q2 可晋级中级C；还需：培训成绩 ≥ 80"

    @property
    def ready(self) -> bool:
        return self.period is not None and not self.others


def _time_based(node: Node) -> bool:
    return any(leaf.fact.name in TIME_FACTS for leaf in node.leaves())


def project_rank(
    facts: LadderFacts, base: Period, book: LadderBook, target_step: int, *, horizon: int = HORIZON
) -> Projection:
    """Scan base, base+1, … for the first period whose time-based criteria of `target_step` hold and
    whose start is on or after `rank_since`; report the other criteria still unmet then."""
    if not 1 <= target_step < len(RANKS):
        raise ValueError(f"目标职级序号应为 1–{len(RANKS) - 1}，实为 {target_step!r}")
    target = RANKS[target_step]
    criteria = book.ranks[target_step].criteria  # type: ignore[union-attr]
    timed = [n for n in criteria if _time_based(n)]
    rest = [n for n in criteria if not _time_based(n)]
    word = "晋级" if level_index(target_step) != level_index(facts.step) else "晋档"
    if facts.role_start_date is None and timed:
        return Projection(target, None, (), f"缺少本岗位起始日期，无法推算何时可{word}{target}")
    values = ladder_values(facts, base, book)
    period = base
    for _ in range(horizon):
        held = facts.rank_since is None or facts.rank_since <= period.start
        if held:
            if facts.role_start_date is not None:
                values["months_in_role"] = months_between(facts.role_start_date, period.boundary)
            if all(n.check(values).passed for n in timed):
                others = tuple(n.describe() for n in rest if not n.check(values).passed)
                when = "本测评期" if period == base else f"{period} "
                text = f"保持当前绩效，{when}可{word}{target}"
                if others:
                    text += f"；还需：{'；'.join(others)}"
                return Projection(target, period, others, text)
        period = period.next()
    return Projection(target, None, (), f"{horizon // 4} 年内任职时间仍不满足{word}{target}的条件")
