"""The outcome reports against the hand-built bureau of conftest.py (SPEC 8's cases in 甲市局)."""

from decimal import Decimal

import pytest

from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import Proposal, ProposalState
from jinjie.org.models import Role
from jinjie.reports.outcomes import flows, pay_changes, rates
from jinjie.rules.calendar import Period

pytestmark = pytest.mark.django_db

Q2, Q3 = Period.parse("2026Q2"), Period.parse("2026Q3")


def table(chart) -> list[tuple]:
    return [tuple(row) for row in chart.rows]


def test_flows_link_every_from_rank_to_its_outcome_in_the_users_subtree(users, tree, evaluated):
    report = flows(user=users[Role.LEADER], unit=tree["city_a"], period=Q3)
    sankey = report.chart("flows")
    assert table(sankey) == [
        ("初级C", "见习", "降级", 1),
        ("初级B", "初级B", "保持", 1),
        ("初级B", "初级B", "数据不全", 1),
        ("初级B", "初级A", "晋档", 3),  # A, A2, X — never 乙市局's Y
        ("初级A", "初级A", "保持", 2),
        ("初级A", "中级C", "晋级", 1),
        ("中级C", "中级A", "跳档", 1),
        ("中级B", "中级C", "降档", 2),
    ]
    links = {(link["source"], link["target"]): link["value"] for link in sankey.data["links"]}
    assert links == {
        ("原 初级C", "新 见习"): 1, ("原 初级B", "新 初级B"): 2, ("原 初级B", "新 初级A"): 3,
        ("原 初级A", "新 初级A"): 2, ("原 初级A", "新 中级C"): 1, ("原 中级C", "新 中级A"): 1,
        ("原 中级B", "新 中级C"): 2,
    }
    # Every node a link names is declared once; before and after are separate nodes (no cycles).
    assert sorted(sankey.data["nodes"]) == sorted({n for pair in links for n in pair})
    assert sum(links.values()) == 12


def test_counts_per_move_are_per_unit_below_with_the_citys_own_people_apart(users, tree, evaluated):
    moves = flows(user=users[Role.LEADER], unit=tree["city_a"], period=Q3).chart("moves")
    assert moves.columns == ("单位", "晋档", "晋级", "跳档", "跳级", "降档", "降级", "保持", "数据不全", "合计")
    assert table(moves) == [
        ("甲县局", 1, 1, 1, 0, 1, 1, 2, 1, 8),
        ("丙县局", 1, 0, 0, 0, 1, 0, 1, 0, 3),
        ("甲市局（本级）", 1, 0, 0, 0, 0, 0, 0, 0, 1),
    ]
    assert moves.data["categories"] == ["甲县局", "丙县局", "甲市局（本级）"]
    assert moves.data["series"][0] == {"name": "晋档", "data": [1, 1, 1]}


def test_a_track_filter_and_a_county_scope_narrow_the_flows(users, tree, evaluated):
    report = flows(user=users[Role.LEADER], unit=tree["city_a"], period=Q3, track="市场管理员")
    assert table(report.chart("flows")) == [("初级A", "初级A", "保持", 1)]
    county = flows(user=users["leader_county"], unit=tree["county_c"], period=Q3).chart("moves")
    # A unit with nothing below it is one group, named after itself.
    assert table(county) == [("丙县局", 1, 0, 0, 0, 1, 0, 1, 0, 3)]


def test_a_superseded_outcome_is_not_counted(users, tree, evaluated):
    g = evaluated["G"]
    Proposal.objects.create(period="2026Q3", employee=g.employee, from_rank="初级B", to_rank="中级C",
                            move="skip_level", state=ProposalState.SUPERSEDED, rulebook=g.rulebook)
    assert ("初级B", "中级C", "跳级", 1) not in table(flows(user=users[Role.LEADER], unit=tree["city_a"], period=Q3)
                                                       .chart("flows"))


def test_a_unit_outside_the_users_subtree_is_refused(users, tree, evaluated):
    with pytest.raises(NotPermitted):
        flows(user=users[Role.LEADER], unit=tree["city_b"], period=Q3)
    with pytest.raises(NotPermitted):
        flows(user=users["leader_county"], unit=tree["city_a"], period=Q3)
    # Roles outside SPEC 9's readers are refused too, whatever the unit.
    with pytest.raises(NotPermitted):
        flows(user=users[Role.ASSESSOR], unit=tree["city_a"], period=Q3)


def _q2_outcome(employee, rulebook, move, from_rank, to_rank):
    return Proposal.objects.create(period="2026Q2", employee=employee, from_rank=from_rank, to_rank=to_rank, move=move,
                                   state=ProposalState.APPLIED if move != "hold" else ProposalState.NO_ACTION,
                                   rulebook=rulebook)


def test_rates_are_promoted_and_demoted_over_everyone_evaluated_per_period(users, tree, evaluated):
    book = evaluated["A"].rulebook
    _q2_outcome(evaluated["A"].employee, book, "grade_up", "初级C", "初级B")
    _q2_outcome(evaluated["B"].employee, book, "hold", "初级A", "初级A")
    _q2_outcome(evaluated["E2"].employee, book, "level_down", "高级B", "中级B")
    report = rates(user=users[Role.LEADER], unit=tree["city_a"], period=Q3, count=3)
    chart = report.chart("rates")
    assert chart.data["categories"] == ["2026Q1", "2026Q2", "2026Q3"]
    assert table(chart) == [
        ("2026Q2", "甲县局", 2, 1, Decimal("50.00"), 0, Decimal("0.00")),
        ("2026Q3", "甲县局", 8, 3, Decimal("37.50"), 2, Decimal("25.00")),
        ("2026Q2", "丙县局", 1, 0, Decimal("0.00"), 1, Decimal("100.00")),
        ("2026Q3", "丙县局", 3, 1, Decimal("33.33"), 1, Decimal("33.33")),
        ("2026Q3", "甲市局（本级）", 1, 1, Decimal("100.00"), 0, Decimal("0.00")),
    ]
    series = {s["name"]: s for s in chart.data["series"]}
    # A period without outcomes is a gap in the line, not a zero.
    assert series["甲县局 晋升率"]["data"] == [None, 50.0, 37.5]
    assert series["丙县局 降级率"] == {"name": "丙县局 降级率", "data": [None, 100.0, 33.33], "dashed": True}


def test_pay_before_and_after_counts_decided_changes_and_shows_pending_ones_apart(users, tree, evaluated):
    states = {"A": ProposalState.APPLIED, "B": ProposalState.APPROVED, "D": ProposalState.IN_REVIEW,
              "E": ProposalState.REJECTED}  # F, A2, E2, X stay drafts: pending too
    for no, state in states.items():
        Proposal.objects.filter(pk=evaluated[no].pk).update(state=state)
    chart = pay_changes(user=users[Role.LEADER], unit=tree["city_a"], period=Q3).chart("pay")
    # 2000 × (初级C 1.2, 初级B 1.3, 初级A 1.4, 中级C 1.6, 中级B 1.75, 中级A 1.9, 见习 1.0)
    assert table(chart) == [
        # before: A 2600 + B 2800 + C 2800 + D 3200 + E 3500 + F 2400 + G 2600 + H 2600; after: A → 2800, B → 3200;
        # pending: D → 中级A +600, F → 见习 −400
        ("甲县局", 8, Decimal("22500.00"), Decimal("23100.00"), Decimal("600.00"), Decimal("200.00")),
        # A2 +200 and E2 −300 are drafts
        ("丙县局", 3, Decimal("8900.00"), Decimal("8900.00"), Decimal("0.00"), Decimal("-100.00")),
        ("甲市局（本级）", 1, Decimal("2600.00"), Decimal("2600.00"), Decimal("0.00"), Decimal("200.00")),
        ("合计", 12, Decimal("34000.00"), Decimal("34600.00"), Decimal("600.00"), Decimal("300.00")),
    ]
    assert chart.data["series"][1] == {"name": "变动后", "data": [23100.0, 8900.0, 2600.0]}
    assert chart.data["series"][2] == {"name": "审批中的变动若全部通过", "data": [23300.0, 8800.0, 2800.0]}


def test_reports_of_a_period_without_outcomes_are_empty_not_errors(users, tree, evaluated):
    report = flows(user=users[Role.LEADER], unit=tree["city_a"], period=Period.parse("2020Q1"))
    assert table(report.chart("flows")) == []
    assert [r[-1] for r in table(report.chart("moves"))] == [0, 0]  # the counties; 本级 has no data


def test_this_quarter_of_the_reports_is_the_latest_evaluated_one(evaluated, monkeypatch):
    from jinjie.reports import registry

    # 2026Q3 was run; with today in 2027Q2 the latest complete quarter 2027Q1 has no outcomes yet.
    monkeypatch.setattr(registry, "latest_complete_period", lambda: Period.parse("2027Q1"))
    assert registry.default_period() == Q3
    monkeypatch.setattr(registry, "latest_complete_period", lambda: Period.parse("2026Q2"))
    assert registry.default_period() == Q2  # nothing run up to then: the latest complete one
