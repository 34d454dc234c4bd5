"""专卖管理员 (SPEC 3, 9): headcount per level held, and who meets the conditions of their next
level but has not applied for it.

Every active 专卖管理员 of the scope is checked at the date against the level after the highest one
held by then (SPEC 3.1: next level only) with the engine (rules.check_monopoly) on the facts
evaluations.qualify loads in bulk — the same check as their 我的职业发展 page. "Applied" means an
open 专卖管理员等级申报 for that level on the workflow: a proposal of kind `monopoly` not yet
rejected, superseded or applied. The check of ~12,000 people (100,000 employees) takes ~0.6 s,
so the figures are cached (cache.py) under a fingerprint of the records it reads.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from jinjie.core.errors import DomainError
from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
from jinjie.evaluations.qualify import load_monopoly_facts
from jinjie.org.models import User
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import NoRuleBookError, parsed_rulebook, rulebook_in_force
from jinjie.rules.evaluate import check_monopoly
from jinjie.rules.ladder import MONOPOLY_LEVELS

from .cache import monopoly_rows, remember
from .charts import Chart, Report
from .scope import Scope, report_scope

__all__ = ["NONE_HELD", "monopoly_levels"]

NONE_HELD = "未取得等级"
_CLOSED = (ProposalState.REJECTED, ProposalState.SUPERSEDED, ProposalState.APPLIED)


def _compute(scope: Scope, on: date) -> list[tuple]:
    """(unit id, level held or NONE_HELD, next level or "", meets it, applied for it, headcount)."""
    try:
        book = parsed_rulebook(rulebook_in_force(kind=BookKind.MONOPOLY, on=on))
    except NoRuleBookError as e:
        raise DomainError(str(e)) from None
    people = load_monopoly_facts(org_unit=scope.unit, as_of=on)
    open_applications = _open_applications(scope)
    counts: dict[tuple, int] = defaultdict(int)
    for pk, (person, facts) in people.items():
        held = [MONOPOLY_LEVELS.index(level) for level, day in facts.qualifications.items()
                if level in MONOPOLY_LEVELS and day is not None and day <= on]
        top = max(held, default=-1)
        following = MONOPOLY_LEVELS[top + 1] if top + 1 < len(MONOPOLY_LEVELS) else ""
        meets = bool(following) and check_monopoly(facts, following, book, on).met
        applied = bool(following) and (pk, following) in open_applications
        counts[(person.org_unit_id, MONOPOLY_LEVELS[top] if top >= 0 else NONE_HELD, following, meets, applied)] += 1
    return [(*k, n) for k, n in counts.items()]


def _open_applications(scope: Scope) -> set[tuple[int, str]]:
    return set(
        Proposal.objects.filter(kind=ProposalKind.MONOPOLY, employee__org_unit_id__in=scope.unit_ids)
        .exclude(state__in=_CLOSED)
        .values_list("employee_id", "to_rank")
    )


def monopoly_levels(*, user: User, unit, on: date) -> Report:
    scope = report_scope(user=user, unit=unit)
    rows = remember("monopoly", (scope.unit.pk, on.isoformat()), monopoly_rows(), lambda: _compute(scope, on))
    levels = (NONE_HELD, *MONOPOLY_LEVELS)
    held: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(levels, 0))
    nexts: dict[str, list[int]] = {level: [0, 0, 0] for level in MONOPOLY_LEVELS}  # checked, meet, meet & applied
    for unit_id, level, following, meets, applied, n in rows:
        held[scope.group_of(unit_id)][level] += n
        if following:
            f = nexts[following]
            f[0] += n
            f[1] += n if meets else 0
            f[2] += n if meets and applied else 0
    shown = scope.shown(set(held))
    level_rows, series = [], {level: [] for level in levels}
    for g in shown:
        counts = held.get(g, dict.fromkeys(levels, 0))
        level_rows.append((scope.groups[g].label, *(counts[x] for x in levels), sum(counts.values())))
        for x in levels:
            series[x].append(counts[x])
    total = sum(r[-1] for r in level_rows)
    headcount = Chart(
        key="levels",
        title="各单位的专卖管理员各取得了哪一等级？",
        kind="stacked_bar",
        columns=("单位", *levels, "合计"),
        rows=tuple(level_rows),
        data={"categories": [scope.groups[g].label for g in shown],
              "series": [{"name": x, "data": series[x]} for x in levels], "unit": "人"},
        note=f"在岗专卖管理员 {total} 人，按 {on.isoformat()} 已取得的最高等级统计。",
    )
    next_rows = [(level, checked, meet, applied, meet - applied) for level, (checked, meet, applied) in nexts.items()
                 if checked]
    ready = Chart(
        key="ready",
        title="有多少人已符合下一等级的申报条件，却还没有申报？",
        kind="grouped_bar",
        columns=("下一等级", "核对人数", "符合自动审核条件", "其中已申报", "其中未申报"),
        rows=tuple(next_rows),
        data={"categories": [r[0] for r in next_rows],
              "series": [{"name": "符合条件", "data": [r[2] for r in next_rows]},
                         {"name": "已申报", "data": [r[3] for r in next_rows]},
                         {"name": "未申报", "data": [r[4] for r in next_rows]}],
              "unit": "人"},
        note=f"每人按已取得最高等级的下一等级（逐级申报），以 {on.isoformat()} 的数据核对自动审核条件（人工审核项"
        "不在其内）。已申报 = 该等级的申报在审批中（未否决、未生效）。",
    )
    return Report("monopoly", "专卖管理员等级", scope.unit.path, {"date": on.isoformat()}, (headcount, ready))
