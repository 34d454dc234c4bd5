"""SPEC 2.3: one outcome per employee, the rules applied in order; SPEC 2.4 routes.

The employee below meets every non-score criterion of every rank, so that the scores (and the
fact under test) decide.
"""

from datetime import date
from decimal import Decimal

import pytest
from ladder_facts import BOOK, Q3, qualified_employee

from jinjie.rules import (
    check_rank,
    evaluate,
    rank_step,
)


def employee(rank="初级B", scores=("85", "86", "84"), **overrides):
    return qualified_employee(rank, scores, track="客户经理", **overrides)


def outcome_of(rank, scores, **overrides):
    return evaluate(employee(rank, scores, **overrides), Q3, BOOK)


def codes(reasons):
    return {r.code for r in reasons}


# 1. incomplete


def test_rule_1_any_missing_score_is_incomplete_and_nothing_else_is_checked():
    outcome = outcome_of("中级B", (None, "30", None))  # the 30 would otherwise demote
    assert (outcome.move, outcome.to_step, outcome.route, outcome.reassign) == ("incomplete", 5, (), False)
    assert [r.text for r in outcome.reasons] == ["缺少 2026-07 月度绩效考核 ✗", "缺少 2026-09 月度绩效考核 ✗"]
    assert outcome.summary == "数据不全：缺少 2026-07、2026-09 月度绩效考核"


# 2. down one level


def test_rule_2_average_under_the_level_floor_drops_to_the_same_grade_one_level_lower():
    outcome = outcome_of("中级A", ("74", "74", "74"))
    assert (outcome.to_rank, outcome.move, outcome.route) == ("初级A", "level_down", ("committee",))
    assert "floor.perf_avg" in codes(outcome.failed)


def test_rule_2_two_failed_months_drop_a_level_even_above_the_floor():
    outcome = outcome_of("初级B", ("59", "59", "100"))  # average 72.67 ≥ the 初级 floor 70
    assert (outcome.to_rank, outcome.move) == ("见习", "level_down")
    assert codes(outcome.failed) >= {"floor.failed_months"}
    assert "floor.perf_avg" not in codes(outcome.failed)


@pytest.mark.parametrize("rank", ["初级C", "初级B", "初级A"])
def test_rule_2_junior_falls_to_trainee(rank):
    assert outcome_of(rank, ("50", "50", "50")).to_rank == "见习"


def test_rule_2_senior_falls_to_intermediate_same_grade():
    assert outcome_of("高级B", ("70", "70", "70")).to_rank == "中级B"


def test_trainee_is_never_demoted():
    outcome = outcome_of("见习", ("10", "20", "30"))
    assert (outcome.to_rank, outcome.move) == ("见习", "hold")


# 3. down one step


def test_rule_3_average_under_the_keep_line_drops_one_grade():
    outcome = outcome_of("高级B", ("85", "85", "85"))  # floor 80 kept, keep line 86 missed
    assert (outcome.to_rank, outcome.move, outcome.route) == ("高级C", "grade_down", ("committee",))
    assert codes(outcome.failed) == {"keep.perf_avg"}


def test_rule_3_one_failed_month_drops_one_grade():
    outcome = outcome_of("中级B", ("59", "95", "95"))  # average 83 ≥ keep line 82
    assert (outcome.to_rank, outcome.move) == ("中级C", "grade_down")
    assert codes(outcome.failed) == {"keep.failed_months"}
    assert "中级B保级线：不合格 1 个月 ≥ 1 个月 ✗" in [r.text for r in outcome.reasons]


def test_rule_3_one_step_down_from_a_c_grade_crosses_the_level_and_is_a_level_down():
    outcome = outcome_of("中级C", ("78", "78", "78"))  # floor 75 kept, keep line 81 missed
    assert (outcome.to_rank, outcome.move) == ("初级A", "level_down")


def test_rule_3_junior_c_under_keep_line_becomes_trainee():
    outcome = outcome_of("初级C", ("72", "72", "72"))
    assert (outcome.to_rank, outcome.move) == ("见习", "level_down")


# 4. promotion gates


def test_rule_4_no_promotion_when_the_rank_was_taken_during_the_period():
    outcome = outcome_of("初级B", ("90", "90", "90"), rank_since=date(2026, 7, 2))
    assert outcome.move == "hold"
    assert codes(outcome.failed) == {"gate.rank_since"}
    assert "现职级自 2026-07-02 起，未任满整个测评期 ✗" in [r.text for r in outcome.reasons]


def test_rule_4_a_rank_taken_on_the_first_day_was_held_the_whole_period():
    assert outcome_of("初级B", ("90", "90", "90"), rank_since=date(2026, 7, 1)).move == "grade_up"


def test_rule_4_no_promotion_with_a_violation_in_the_period():
    outcome = outcome_of("初级B", ("90", "90", "90"), violation_dates=(date(2026, 9, 30),))
    assert outcome.move == "hold"
    assert codes(outcome.failed) == {"gate.violations"}


def test_rule_4_violations_outside_the_period_do_not_block():
    outside = (date(2026, 6, 30), date(2026, 10, 1))
    assert outcome_of("初级B", ("90", "90", "90"), violation_dates=outside).move == "grade_up"


def test_rule_4_the_top_rank_holds():
    outcome = outcome_of("高级A", ("99", "99", "99"))
    assert (outcome.to_rank, outcome.move) == ("高级A", "hold")
    assert not outcome.failed


# 4a. skips


def test_rule_4a_outstanding_junior_b_skips_a_level_via_the_director():
    outcome = outcome_of("初级B", ("95", "96", "97"))
    assert (outcome.to_rank, outcome.move) == ("中级C", "skip_level")
    assert outcome.route == ("committee", "director", "notice")


def test_rule_4a_outstanding_junior_c_skips_a_grade():
    outcome = outcome_of("初级C", ("95", "95", "95"))
    assert (outcome.to_rank, outcome.move) == ("初级A", "skip_grade")
    assert outcome.route == ("committee", "leader", "notice")


def test_rule_4a_a_contribution_in_the_period_counts_as_outstanding():
    outcome = outcome_of("中级C", ("90", "90", "90"), contribution_dates=(date(2026, 8, 1),))
    assert (outcome.to_rank, outcome.move) == ("中级A", "skip_grade")
    old = outcome_of("中级C", ("90", "90", "90"), contribution_dates=(date(2026, 6, 30),))
    assert (old.to_rank, old.move) == ("中级B", "grade_up")


def test_rule_4a_no_skip_from_an_a_grade():
    outcome = outcome_of("初级A", ("99", "99", "99"))
    assert (outcome.to_rank, outcome.move) == ("中级C", "level_up")


def test_rule_4a_no_skip_within_the_senior_level():
    outcome = outcome_of("高级C", ("99", "99", "99"))
    assert (outcome.to_rank, outcome.move) == ("高级B", "grade_up")


def test_rule_4a_no_skip_from_trainee():
    assert outcome_of("见习", ("99", "99", "99")).to_rank == "初级C"


def test_rule_4a_outstanding_but_not_qualified_for_two_steps_moves_one_and_says_why():
    outcome = outcome_of("中级C", ("96", "96", "96"), exams=((date(2026, 6, 1), Decimal("72")),))
    assert (outcome.to_rank, outcome.move) == ("中级B", "grade_up")  # 中级B needs training 70, 中级A 75
    skip = [r for r in outcome.reasons if r.code.startswith("skip.")]
    assert [r.text for r in skip] == ["跳档至中级A：培训成绩 72 < 75 ✗"]


# 4b. one step up


def test_rule_4b_qualifying_for_the_next_rank_moves_one_step():
    outcome = outcome_of("中级A", ("90", "90", "90"))
    assert (outcome.to_rank, outcome.move) == ("高级C", "level_up")
    assert all(r.passed for r in outcome.reasons)


# 5. hold


def test_rule_5_hold_lists_every_failed_criterion_of_the_next_rank():
    facts = employee(
        "初级A",
        ("86", "86", "86"),
        role_start_date=date(2024, 4, 1),
        education="高中",
        vocational_level="五级",
        ability=None,
    )
    outcome = evaluate(facts, Q3, BOOK)
    assert (outcome.move, outcome.to_rank) == ("hold", "初级A")
    gap = check_rank(facts, Q3, BOOK, rank_step("中级C"))
    assert codes(outcome.failed) == codes(gap.failed) == {"months_in_role", "vocational_level", "ability"}
    texts = [r.text for r in outcome.reasons]
    assert "缺少综合能力测评 ✗" in texts
    assert "职业技能等级 五级 < 四级 ✗" in texts
    assert outcome.summary.startswith("保持 初级A：")


# reassignment


def test_demotion_to_trainee_twice_flags_reassignment():
    assert outcome_of("初级A", ("50", "50", "50"), previous_change_was_demotion=True).reassign is True


def test_first_demotion_to_trainee_does_not_flag_reassignment():
    assert outcome_of("初级A", ("50", "50", "50"), previous_change_was_demotion=False).reassign is False


def test_second_demotion_ending_above_trainee_does_not_flag_reassignment():
    outcome = outcome_of("中级A", ("50", "50", "50"), previous_change_was_demotion=True)
    assert (outcome.to_rank, outcome.reassign) == ("初级A", False)


# routes (SPEC 2.4)


@pytest.mark.parametrize(
    ("rank", "scores", "move", "route"),
    [
        ("初级C", ("90", "90", "90"), "grade_up", ("track_review",)),
        ("中级C", ("90", "90", "90"), "grade_up", ("committee", "leader")),
        ("高级B", ("94", "94", "94"), "grade_up", ("committee", "leader")),
        ("见习", ("90", "90", "90"), "level_up", ("track_review", "notice")),
        ("初级A", ("90", "90", "90"), "level_up", ("committee", "leader", "notice")),
        ("中级A", ("90", "90", "90"), "level_up", ("committee", "leader", "notice")),
        ("中级C", ("95", "95", "95"), "skip_grade", ("committee", "leader", "notice")),
        ("中级B", ("95", "95", "95"), "skip_level", ("committee", "director", "notice")),
        ("中级B", ("80", "80", "80"), "grade_down", ("committee",)),
        ("中级B", ("60", "60", "60"), "level_down", ("committee",)),
    ],
)
def test_each_move_takes_its_route(rank, scores, move, route):
    outcome = outcome_of(rank, scores)
    assert (outcome.move, outcome.route) == (move, route)


def test_immediate_demotion_goes_to_the_committee():
    assert BOOK.route_for("immediate_demotion") == ("committee",)


# reasons read as Chinese sentences


def test_reason_texts_show_required_actual_and_verdict():
    outcome = outcome_of("初级B", ("85", "85", "83"))  # average 84.33
    avg = next(r for r in outcome.reasons if r.code == "perf_avg")
    assert (avg.label, avg.required, avg.actual, avg.passed) == ("平均绩效", "≥ 84", "84.33", True)
    assert avg.text == "平均绩效 84.33 ≥ 84 ✓"


def test_check_rank_gives_the_gap_to_the_next_rank():
    facts = employee("初级A", ("86", "86", "86"), role_start_date=date(2024, 4, 1), education="高中")
    q = check_rank(facts, Q3, BOOK, rank_step("中级C"))
    assert (q.target, q.met) == ("中级C", False)
    assert q.gap == "本岗位任职 30 个月 < 36 个月 或 学历 高中 < 大专"
    assert check_rank(facts, Q3, BOOK, rank_step("初级A")).met


def test_outcome_serialises_for_storage():
    data = outcome_of("初级B", ("90", "90", "90")).as_dict()
    assert data["from_rank"] == "初级B" and data["to_rank"] == "初级A" and data["move"] == "grade_up"
    assert data["reasons"][0].keys() == {"code", "label", "required", "actual", "passed", "text"}
