"""Rank distribution at a date (from the rank history) and time in rank (box plot figures)."""

from datetime import date
from decimal import Decimal

import pytest

from jinjie.org.models import Role
from jinjie.people.models import RankChange
from jinjie.reports.ranks import rank_distribution, time_in_rank
from jinjie.rules.ladder import RANKS

pytestmark = pytest.mark.django_db

D = Decimal


def counts(report) -> dict[tuple[str, str], dict[str, int]]:
    """(unit, track) → {rank: headcount} of the non-zero cells, and the row total as "合计"."""
    out = {}
    for unit, track, *numbers in report.chart("ranks").rows:
        cells = {rank: n for rank, n in zip(RANKS, numbers[:-1], strict=True) if n}
        out[(unit, track)] = {**cells, "合计": numbers[-1]}
    return out


@pytest.fixture
def staffed(cases, tree, make):
    """The cases, plus people a distribution must leave out or count only from their start."""
    make("N", tree["county_a"], rank="见习", role_since=date(2026, 11, 1), rank_since=date(2026, 11, 1))  # new
    make("L", tree["county_a"], rank="中级A", status="离岗")  # left
    make("M", tree["county_a"], rank="初级专卖管理员", track="专卖管理员")  # not on this ladder
    # A was 初级C until 2026-01-01; X came in as 见习 and became 初级B on 2025-07-01.
    RankChange.objects.create(employee=cases["A"], effective_date=date(2026, 1, 1), from_rank="初级C", to_rank="初级B")
    RankChange.objects.create(employee=cases["X"], effective_date=date(2025, 7, 1), from_rank="", to_rank="初级B")
    return cases


def test_headcount_by_unit_track_and_rank_on_a_date(users, tree, staffed):
    report = rank_distribution(user=users[Role.LEADER], unit=tree["city_a"], on=date(2026, 12, 1))
    assert counts(report) == {
        ("甲县局", "客户经理"): {"见习": 1, "初级C": 1, "初级B": 3, "初级A": 2, "中级C": 1, "中级B": 1, "合计": 9},
        ("甲县局", "市场管理员"): {"合计": 0},
        ("丙县局", "客户经理"): {"初级B": 1, "中级B": 1, "合计": 2},
        ("丙县局", "市场管理员"): {"初级A": 1, "合计": 1},
        ("甲市局（本级）", "客户经理"): {"初级B": 1, "合计": 1},
        ("甲市局（本级）", "市场管理员"): {"合计": 0},
    }
    chart = report.chart("ranks")
    assert chart.data["categories"][:2] == ["甲县局·客户经理", "甲县局·市场管理员"]
    assert chart.data["series"][RANKS.index("初级B")] == {"name": "初级B", "data": [3, 0, 1, 0, 1, 0]}


def test_a_past_date_reads_the_rank_history_and_leaves_out_those_not_yet_in_role(users, tree, staffed):
    earlier = counts(rank_distribution(user=users[Role.LEADER], unit=tree["city_a"], on=date(2025, 12, 31),
                                       track="客户经理"))
    # A held 初级C then and F still 初级B (both changed on 2026-01-01); N had not started.
    assert earlier[("甲县局", "客户经理")] == {"初级C": 1, "初级B": 3, "初级A": 2, "中级C": 1, "中级B": 1, "合计": 8}
    # Before X's first recorded change, X held the rank it started from: empty, i.e. 见习.
    assert counts(rank_distribution(user=users[Role.LEADER], unit=tree["city_a"], on=date(2025, 6, 30),
                                    track="客户经理"))[("甲市局（本级）", "客户经理")] == {"见习": 1, "合计": 1}


def test_time_in_rank_gives_quartiles_by_the_inclusive_method(users, tree, make):
    on = date(2026, 12, 1)
    unit = tree["county_c"]
    for i, since in enumerate([date(2026, 1, 1), date(2025, 12, 1), date(2025, 6, 1), date(2024, 12, 1), date(2021, 12, 1)]):
        make(f"B{i}", unit, rank="初级B", rank_since=since)  # 11, 12, 18, 24 and 60 months
    make("C1", unit, rank="中级C", rank_since=date(2026, 9, 1))  # 3 months
    make("C2", unit, rank="中级C", rank_since=date(2026, 3, 15))  # 8 full months (the 15th not reached again)
    make("U", unit, rank="中级C", rank_since=None)
    make("Later", unit, rank="中级C", rank_since=date(2027, 1, 1))
    make("Other", tree["city_b"], rank="中级C", rank_since=date(2000, 1, 1))
    report = time_in_rank(user=users[Role.LEADER], unit=tree["city_a"], on=on)
    chart = report.chart("tenure")
    assert [tuple(r) for r in chart.rows] == [
        ("初级B", 5, D("11.00"), D("12.00"), D("18.00"), D("24.00"), D("60.00")),
        # two values 3 and 8: Q1 = 3 + ¼·5, median 5.5, Q3 = 3 + ¾·5
        ("中级C", 2, D("3.00"), D("4.25"), D("5.50"), D("6.75"), D("8.00")),
    ]
    assert chart.data == {"categories": ["初级B", "中级C"], "boxes": [[11, 12, 18, 24, 60], [3, 4.25, 5.5, 6.75, 8]],
                          "unit": "月"}
    assert "另有 1 人未记录现职级起始日期" in chart.note
    assert "1 人的现职级在此日期之后才开始" in chart.note
