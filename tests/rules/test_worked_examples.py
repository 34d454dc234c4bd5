"""SPEC 8: the worked examples (default rule book, period 2026Q3, rank held since 2026-01-01)."""

from datetime import date
from decimal import Decimal

from jinjie.rules import DEFAULT_LADDER_BOOK, LadderFacts, Period, evaluate, parse_ladder_book, rank_step
from jinjie.rules.evaluate import ladder_values

BOOK = parse_ladder_book(DEFAULT_LADDER_BOOK)
Q3 = Period.parse("2026Q3")


def facts(rank, scores, **named):
    """Only the named facts; everything else is absent (facts not named do not matter)."""
    return LadderFacts(
        employee_no="E001",
        track="客户经理",
        step=rank_step(rank),
        scores=tuple(None if s is None else Decimal(s) for s in scores),
        rank_since=date(2026, 1, 1),
        **named,
    )


def exam(score, on=date(2026, 6, 15)):
    return ((on, Decimal(score)),)


def reason(outcome, code):
    return next(r for r in outcome.reasons if r.code == code)


def test_case_a_grade_up_within_junior_after_32_months_in_role():
    a = facts(
        "初级B",
        ("85", "86", "84"),
        role_start_date=date(2024, 1, 15),
        education="高中",
        vocational_level="五级",
        exams=exam("70"),
    )
    outcome = evaluate(a, Q3, BOOK)
    assert ladder_values(a, Q3, BOOK)["months_in_role"] == 32
    assert (outcome.to_rank, outcome.move, outcome.route) == ("初级A", "grade_up", ("track_review",))
    assert reason(outcome, "months_in_role").text == "本岗位任职 32 个月 ≥ 18 个月 ✓"
    assert all(r.passed for r in outcome.reasons)


def test_case_b_level_up_with_college_needs_24_months():
    b = facts(
        "初级A",
        ("88", "87", "86"),
        role_start_date=date(2024, 4, 1),
        education="大专",
        vocational_level="四级",
        exams=exam("75"),
        ability=Decimal("72"),
    )
    outcome = evaluate(b, Q3, BOOK)
    assert (outcome.to_rank, outcome.move) == ("中级C", "level_up")
    assert outcome.route == ("committee", "leader", "notice")
    months = reason(outcome, "months_in_role")
    assert (
        months.passed and "本岗位任职 30 个月 ≥ 24 个月" in months.text and "学历 大专 ≥ 大专" in months.text
    )


def test_case_c_same_as_b_with_high_school_holds_for_36_months():
    c = facts(
        "初级A",
        ("88", "87", "86"),
        role_start_date=date(2024, 4, 1),
        education="高中",
        vocational_level="四级",
        exams=exam("75"),
        ability=Decimal("72"),
    )
    outcome = evaluate(c, Q3, BOOK)
    assert (outcome.to_rank, outcome.move, outcome.route) == ("初级A", "hold", ())
    [failed] = outcome.failed
    assert failed.code == "months_in_role"
    assert "本岗位任职 30 个月 < 36 个月" in failed.text
    assert "本岗位任职 30 个月 < 36 个月" in outcome.summary


def test_case_d_outstanding_intermediate_c_skips_to_a():
    d = facts(
        "中级C",
        ("96", "97", "95"),
        education="本科",
        vocational_level="四级",
        role_start_date=date(2019, 3, 1),
        exams=exam("80"),
        ability=Decimal("80"),
    )
    outcome = evaluate(d, Q3, BOOK)
    assert (outcome.to_rank, outcome.move) == ("中级A", "skip_grade")
    assert outcome.route == ("committee", "leader", "notice")
    assert reason(outcome, "outstanding").passed


def test_case_e_grade_down_between_the_floor_and_the_keep_line():
    e = facts("中级B", ("74", "80", "81"))
    outcome = evaluate(e, Q3, BOOK)
    assert (outcome.to_rank, outcome.move, outcome.route) == ("中级C", "grade_down", ("committee",))
    floor, keep = reason(outcome, "floor.perf_avg"), reason(outcome, "keep.perf_avg")
    assert floor.passed and floor.actual == "78.33" and floor.required == "≥ 75"
    assert not keep.passed and keep.text == "中级B保级线：平均绩效 78.33 < 82 ✗"


def test_case_f_second_demotion_in_a_row_to_trainee_flags_reassignment():
    f = facts("初级C", ("55", "58", "90"), previous_change_was_demotion=True)
    outcome = evaluate(f, Q3, BOOK)
    assert (outcome.to_rank, outcome.move, outcome.reassign) == ("见习", "level_down", True)
    assert reason(outcome, "floor.failed_months").text == "初级降级线：不合格 2 个月 ≥ 2 个月 ✗"
    assert "调整岗位" in outcome.summary


def test_case_g_a_violation_in_the_period_blocks_promotion():
    g = facts(
        "初级B",
        ("85", "86", "84"),
        violation_dates=(date(2026, 8, 3),),
        role_start_date=date(2024, 1, 15),
        education="高中",
        vocational_level="五级",
        exams=exam("70"),
    )
    outcome = evaluate(g, Q3, BOOK)
    assert (outcome.to_rank, outcome.move) == ("初级B", "hold")
    assert [r.code for r in outcome.failed] == ["gate.violations"]


def test_case_h_a_missing_month_is_incomplete():
    h = facts("初级B", ("85", "86", None))
    outcome = evaluate(h, Q3, BOOK)
    assert (outcome.to_rank, outcome.move, outcome.route) == ("初级B", "incomplete", ())
    assert [r.text for r in outcome.reasons] == ["缺少 2026-09 月度绩效考核 ✗"]
