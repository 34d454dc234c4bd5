"""专卖管理员 levels and who is ready but has not applied; monthly score bands and item averages."""

from datetime import date
from decimal import Decimal

import pytest

from jinjie.assessments.models import MonthlyScore
from jinjie.evaluations.models import Proposal, ProposalKind, ProposalState
from jinjie.org.models import Role
from jinjie.people.models import AnnualRating, Qualification, TrainingRecord
from jinjie.reports.monopoly import monopoly_levels
from jinjie.reports.scores import monthly_scores

pytestmark = pytest.mark.django_db

ON = date(2026, 12, 1)
D = Decimal


def administrator(make, no, unit, *, held=None, exam=None, education="高中", shuangneng="良好"):
    """A 专卖管理员 with 6 years of monopoly work, pay grade 8 and a valid certificate; `held` a level
    granted on 2022-01-01; `exam` the level whose 等级考试 they passed in 2026."""
    e = make(no, unit, track="专卖管理员", rank=held or "见习", education=education, pay_grade=8,
             law_cert_valid_until=date(2028, 1, 1), role_since=date(2020, 1, 1))
    if held:
        Qualification.objects.create(employee=e, level=held, granted_date=date(2022, 1, 1))
    if exam:
        TrainingRecord.objects.create(employee=e, date=date(2026, 5, 1), kind="等级考试", level=exam, passed=True)
    AnnualRating.objects.create(employee=e, year=2025, kind="专卖双能", rating=shuangneng)
    return e


@pytest.fixture
def administrators(tree, books, make):
    a = tree["county_a"]
    people = {
        "M1": administrator(make, "M1", a, exam="初级专卖管理员"),  # meets 初级
        "M2": administrator(make, "M2", a),  # no exam: does not
        "M3": administrator(make, "M3", a, held="初级专卖管理员", exam="中级专卖管理员", education="大专"),  # meets 中级
        "M4": administrator(make, "M4", a, held="初级专卖管理员", exam="中级专卖管理员", education="大专"),  # meets 中级
        "M5": administrator(make, "M5", tree["city_b"], exam="初级专卖管理员"),  # another city
    }
    # M3 has applied for 中级 (the application is on the workflow); M4 applied before and was rejected.
    for no, state in (("M3", ProposalState.IN_REVIEW), ("M4", ProposalState.REJECTED)):
        Proposal.objects.create(kind=ProposalKind.MONOPOLY, employee=people[no], from_rank="初级专卖管理员",
                                to_rank="中级专卖管理员", move="grant", state=state, route=["committee", "notice"])
    return people


def test_headcount_per_level_and_who_is_ready_but_has_not_applied(users, tree, administrators):
    report = monopoly_levels(user=users[Role.LEADER], unit=tree["city_a"], on=ON)
    levels = report.chart("levels")
    assert levels.columns[1:3] == ("未取得等级", "初级专卖管理员")
    assert [tuple(r) for r in levels.rows] == [
        ("甲县局", 2, 2, 0, 0, 0, 0, 4),
        ("丙县局", 0, 0, 0, 0, 0, 0, 0),
    ]
    ready = report.chart("ready")
    assert [tuple(r) for r in ready.rows] == [
        ("初级专卖管理员", 2, 1, 0, 1),  # M1 meets it and has not applied; M2 lacks the exam
        ("中级专卖管理员", 2, 2, 1, 1),  # M3 has applied; M4's application was rejected: not applied now
    ]
    assert ready.data["series"][2] == {"name": "未申报", "data": [1, 1]}


def test_a_level_granted_after_the_date_is_not_yet_held(users, tree, administrators):
    report = monopoly_levels(user=users[Role.LEADER], unit=tree["city_a"], on=date(2021, 12, 31))
    assert [tuple(r) for r in report.chart("levels").rows][0] == ("甲县局", 4, 0, 0, 0, 0, 0, 4)


@pytest.fixture
def scored(tree, make):
    a, c = tree["county_a"], tree["county_c"]
    rows = [
        (a, "S1", "55", {"卷烟营销指标": 30, "服务质量指标": 15, "基础管理与纪律": 10}),
        (a, "S2", "85", {"卷烟营销指标": 45, "服务质量指标": 25, "基础管理与纪律": 15}),
        (a, "S3", "95", {"卷烟营销指标": 48, "服务质量指标": 28, "基础管理与纪律": 19, "备注": "优"}),
        (c, "S4", "70", {"市场巡查": 20.5}),
        (c, "S5", "79.5", {}),
        (tree["city_b"], "S6", "99", {"卷烟营销指标": 50}),
    ]
    for unit, no, score, items in rows:
        e = make(no, unit, track="市场管理员" if unit == c else "客户经理")
        MonthlyScore.objects.create(employee=e, month="2026-09", score=D(score), items=items)
        MonthlyScore.objects.create(employee=e, month="2026-08", score=D("60"), items={"卷烟营销指标": 1})


def test_score_bands_per_unit_with_their_average(users, tree, scored):
    chart = monthly_scores(user=users[Role.LEADER], unit=tree["city_a"], month="2026-09").chart("bands")
    assert chart.columns == ("单位", "人数", "平均分", "60以下(不合格)", "60–70", "70–80", "80–85", "85–90", "90–95",
                             "95及以上")
    assert [tuple(r) for r in chart.rows] == [
        ("甲县局", 3, D("78.33"), 1, 0, 0, 0, 1, 0, 1),  # 85 is in 85–90: a band holds its lower bound
        ("丙县局", 2, D("74.75"), 0, 0, 2, 0, 0, 0, 0),
    ]


def test_item_averages_per_unit_count_only_numeric_items_of_those_who_have_them(users, tree, scored):
    chart = monthly_scores(user=users[Role.LEADER], unit=tree["city_a"], month="2026-09").chart("items")
    assert [tuple(r) for r in chart.rows] == [
        ("甲县局", "卷烟营销指标", 3, D("41.00")),
        ("甲县局", "基础管理与纪律", 3, D("14.67")),  # 44 / 3
        ("甲县局", "服务质量指标", 3, D("22.67")),  # 68 / 3
        ("丙县局", "市场巡查", 1, D("20.50")),
    ]
    # The items most people have first, then by name.
    assert chart.data["categories"] == ["卷烟营销指标", "基础管理与纪律", "服务质量指标", "市场巡查"]
    assert chart.data["series"][1] == {"name": "丙县局", "data": [None, None, None, 20.5]}
    market = monthly_scores(user=users[Role.LEADER], unit=tree["city_a"], month="2026-09", track="市场管理员")
    assert [tuple(r) for r in market.chart("items").rows] == [("丙县局", "市场巡查", 1, D("20.50"))]
    assert [tuple(r)[:2] for r in market.chart("bands").rows] == [("甲县局", 0), ("丙县局", 2)]


def test_a_corrected_score_shows_at_once(users, tree, scored):
    from jinjie.people.models import RecordRevision

    first = monthly_scores(user=users[Role.LEADER], unit=tree["city_a"], month="2026-09").chart("items")
    assert ("丙县局", "市场巡查", 1, D("20.50")) in [tuple(r) for r in first.rows]
    # A re-import corrects S4's items in place and, as every update does, records the revision.
    score = MonthlyScore.objects.get(employee__employee_no="S4", month="2026-09")
    MonthlyScore.objects.filter(pk=score.pk).update(items={"市场巡查": 25})
    RecordRevision.objects.create(kind="scores", record_key="S4/2026-09", employee=score.employee,
                                  old_values={"items": {"市场巡查": 20.5}}, new_values={"items": {"市场巡查": 25}})
    again = monthly_scores(user=users[Role.LEADER], unit=tree["city_a"], month="2026-09").chart("items")
    assert ("丙县局", "市场巡查", 1, D("25.00")) in [tuple(r) for r in again.rows]
