"""Which rule holds people back: failures per entry criterion of r among those at r−1, from the
stored reasons of the hand-built bureau's 2026Q3 (conftest.py)."""

from decimal import Decimal

import pytest

from jinjie.org.models import Role
from jinjie.reports.criteria import held_back
from jinjie.rules.calendar import Period

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2026Q3")
ENTRY_初级A = ("本岗位任职月数", "学历", "职业技能等级", "平均绩效", "最低月度绩效", "培训成绩")
ENTRY_中级C = ("本岗位任职月数", "学历", "职业技能等级", "平均绩效", "最低月度绩效", "培训成绩", "综合能力测评")


def rows(report):
    return [tuple(r) for r in report.chart("criteria").rows]


def test_each_entry_criterion_of_a_rank_counts_the_failures_of_those_one_step_below(users, tree, evaluated):
    report = held_back(user=users[Role.LEADER], unit=tree["city_a"], period=Q3)
    table = rows(report)
    # 初级A: judged among those at 初级B — A, A2 and X promoted, G held by a violation (a gate, not a
    # criterion): all pass every criterion. H (数据不全) was not judged against 初级A.
    assert [r[1] for r in table if r[0] == "初级A"] == list(ENTRY_初级A)
    assert {(r[3], r[4]) for r in table if r[0] == "初级A"} == {(4, 0)}
    # 中级C: judged among those at 初级A — B promoted, C and C2 held: 30 months, 高中, short of 36.
    by_label = {r[1]: r for r in table if r[0] == "中级C"}
    assert list(by_label) == list(ENTRY_中级C)
    assert by_label["本岗位任职月数"] == (
        "中级C", "本岗位任职月数", "≥ 36 个月 或 （≥ 24 个月 且 学历 ≥ 大专）", 3, 2, Decimal("66.67")
    )
    assert all(r[4] == 0 for label, r in by_label.items() if label != "本岗位任职月数")
    # Nobody else was judged against a rank's criteria: D skipped, E/E2/F were demoted, H incomplete.
    assert {r[0] for r in table} == {"初级A", "中级C"}
    note = report.chart("criteria").note
    assert "初级B→初级A 数据不全 1 人" in note
    assert "初级C→初级B 降档/降级 1 人" in note
    assert "中级B→中级A 降档/降级 2 人" in note
    assert "中级C→中级B 跳档/跳级 1 人" in note


def test_the_heatmap_holds_the_failure_rate_of_each_target_and_criterion(users, tree, evaluated):
    chart = held_back(user=users[Role.LEADER], unit=tree["city_a"], period=Q3).chart("criteria")
    assert chart.kind == "heatmap"
    assert chart.data["y"] == ["初级A", "中级C"]
    assert chart.data["x"] == list(ENTRY_中级C)
    months = chart.data["x"].index("本岗位任职月数")
    assert [months, 1, 66.67, 2, 3] in chart.data["cells"]
    assert [months, 0, 0.0, 0, 4] in chart.data["cells"]


def test_one_target_rank_as_bars_and_a_track_or_a_county_narrows_it(users, tree, evaluated):
    report = held_back(user=users[Role.LEADER], unit=tree["city_a"], period=Q3, target="中级C")
    chart = report.chart("criteria")
    assert chart.kind == "grouped_bar"
    assert chart.title.endswith("现任初级A的人晋升中级C差在哪一条？")
    assert chart.data["series"] == [{"name": "未达到人数", "data": [2, 0, 0, 0, 0, 0, 0]}]
    market = rows(held_back(user=users[Role.LEADER], unit=tree["city_a"], period=Q3, track="市场管理员"))
    assert {(r[0], r[1], r[3], r[4]) for r in market if r[4]} == {("中级C", "本岗位任职月数", 1, 1)}
    county = rows(held_back(user=users["leader_county"], unit=tree["county_c"], period=Q3, target="初级A"))
    assert {(r[3], r[4]) for r in county} == {(1, 0)}  # A2 only


def test_the_figures_follow_a_rerun_of_the_period(users, tree, evaluated, cases):
    from jinjie.evaluations.services import evaluation_run
    from jinjie.people.models import Employee

    before = rows(held_back(user=users[Role.LEADER], unit=tree["city_a"], period=Q3, target="中级C"))
    assert before[0][3:5] == (3, 2)
    # C earns the 大专 that the reduced term needs, and the committee re-runs the period.
    Employee.objects.filter(pk=cases["C"].pk).update(education="大专")
    evaluation_run(period=Q3, org_unit=tree["county_a"])
    after = rows(held_back(user=users[Role.LEADER], unit=tree["city_a"], period=Q3, target="中级C"))
    assert after[0][3:5] == (3, 1)
