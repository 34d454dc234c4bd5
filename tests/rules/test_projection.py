"""The projection (SPEC 5): if the scores stay as they are, the earliest period in which the
months-in-role condition holds, and what else must change."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from jinjie.rules import DEFAULT_LADDER_BOOK, LadderFacts, Period, parse_ladder_book
from jinjie.rules.projection import project_rank

BOOK = parse_ladder_book(DEFAULT_LADDER_BOOK)
Q3 = Period.parse("2026Q3")
D = Decimal

# SPEC 8 case C: 初级A, role since 2024-04-01, 高中, 四级, scores 88/87/86, training 75, ability 72
CASE_C = LadderFacts(
    "C", "客户经理", 3, (D(88), D(87), D(86)), role_start_date=date(2024, 4, 1), education="高中",
    vocational_level="四级", exams=((date(2026, 6, 1), D(75)),), ability=D(72), rank_since=date(2026, 1, 1),
)


def test_case_c_reaches_36_months_in_2027q1():
    p = project_rank(CASE_C, Q3, BOOK, 4)
    # 2024-04-01 → boundary 2027-04-01 is 36 months
    assert (p.target, str(p.period), p.others, p.ready) == ("中级C", "2027Q1", (), True)
    assert p.text == "保持当前绩效，2027Q1 可晋级中级C"


def test_what_else_must_change_is_listed():
    p = project_rank(replace(CASE_C, exams=((date(2026, 6, 1), D(65)),), vocational_level="五级"), Q3, BOOK, 4)
    assert str(p.period) == "2027Q1"
    assert p.others == ("职业技能等级 ≥ 四级", "培训成绩 ≥ 70")
    assert p.text == "保持当前绩效，2027Q1 可晋级中级C；还需：职业技能等级 ≥ 四级；培训成绩 ≥ 70"


def test_the_reduced_months_with_education_count():
    # 大专: 24 months suffice (case B): already in 2026Q3
    p = project_rank(replace(CASE_C, education="大专"), Q3, BOOK, 4)
    assert (str(p.period), p.text) == ("2026Q3", "保持当前绩效，本测评期可晋级中级C")


def test_a_rank_taken_recently_waits_for_a_whole_period():
    # 初级B since 2026-08-15: months are plenty (2020), but the rank is held a whole period only from 2026Q4
    facts = replace(CASE_C, step=2, role_start_date=date(2020, 1, 1), rank_since=date(2026, 8, 15))
    p = project_rank(facts, Q3, BOOK, 3)
    assert (str(p.period), p.text) == ("2026Q4", "保持当前绩效，2026Q4 可晋档初级A")


def test_no_role_start_date_cannot_be_projected():
    p = project_rank(replace(CASE_C, role_start_date=None), Q3, BOOK, 4)
    assert p.period is None and p.text == "缺少本岗位起始日期，无法推算何时可晋级中级C"


def test_beyond_the_horizon_says_so():
    p = project_rank(replace(CASE_C, role_start_date=date(2026, 9, 1)), Q3, BOOK, 4, horizon=8)
    assert p.period is None and p.text == "2 年内任职时间仍不满足晋级中级C的条件"
