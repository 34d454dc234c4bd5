"""Boundaries of SPEC 2.1–2.3: exact sums, day-of-month edges, windows and the period itself."""

from datetime import date
from decimal import Decimal

from ladder_facts import BOOK, Q3, qualified_employee

from jinjie.rules import evaluate
from jinjie.rules.evaluate import ladder_values


def employee(rank="初级B", scores=("90", "90", "90"), **overrides):
    return qualified_employee(rank, scores, track="市场管理员", **overrides)


def outcome_of(rank, scores, **overrides):
    return evaluate(employee(rank, scores, **overrides), Q3, BOOK)


def reason(outcome, code):
    return next(r for r in outcome.reasons if r.code == code)


# perf_avg ≥ t means sum ≥ 3·t, exactly


def test_a_sum_exactly_three_times_the_threshold_passes():
    outcome = outcome_of("初级B", ("83.99", "84", "84.01"))  # sum 252 = 3 × 84
    assert outcome.move == "grade_up"
    assert reason(outcome, "perf_avg").text == "平均绩效 84 ≥ 84 ✓"


def test_a_sum_one_cent_short_fails_and_does_not_display_as_equal():
    outcome = outcome_of("初级B", ("83.99", "84", "84"))  # average 83.99666…
    assert outcome.move == "hold"
    avg = reason(outcome, "perf_avg")
    assert not avg.passed
    assert avg.text == "平均绩效 83.9966 < 84 ✗"


def test_keep_line_exactly_met_is_kept():
    assert outcome_of("中级B", ("82", "82", "82"), exams=()).move == "hold"  # keep line 82
    assert outcome_of("中级B", ("81.99", "82", "82"), exams=()).move == "grade_down"


def test_level_floor_exactly_met_is_not_a_level_down():
    assert outcome_of("中级B", ("75", "75", "75")).move == "grade_down"  # floor 75 kept, keep 82 missed
    assert outcome_of("中级B", ("74.99", "75", "75")).move == "level_down"


def test_a_score_of_exactly_60_is_not_a_failed_month():
    assert outcome_of("初级B", ("60", "100", "100")).move != "grade_down"
    assert outcome_of("初级B", ("59.99", "100", "100")).move == "grade_down"


def test_perf_min_exactly_at_threshold_passes():
    outcome = outcome_of("初级B", ("74", "90", "90"))  # 初级A needs min 74
    assert reason(outcome, "perf_min").passed


# months in role: full months to the boundary


def test_role_started_on_the_first_counts_the_full_month():
    facts = employee("初级A", ("90", "90", "90"), role_start_date=date(2023, 10, 1), education="高中")
    assert ladder_values(facts, Q3, BOOK)["months_in_role"] == 36
    assert evaluate(facts, Q3, BOOK).to_rank == "中级C"  # 36 months with 高中


def test_role_started_on_the_second_is_one_month_short():
    facts = employee("初级A", ("90", "90", "90"), role_start_date=date(2023, 10, 2), education="高中")
    assert ladder_values(facts, Q3, BOOK)["months_in_role"] == 35
    assert evaluate(facts, Q3, BOOK).move == "hold"


def test_role_started_on_the_31st():
    late = employee("初级A", ("90", "90", "90"), role_start_date=date(2023, 10, 31), education="高中")
    early = employee("初级A", ("90", "90", "90"), role_start_date=date(2023, 8, 31), education="高中")
    assert ladder_values(late, Q3, BOOK)["months_in_role"] == 35
    assert ladder_values(early, Q3, BOOK)["months_in_role"] == 37
    assert evaluate(late, Q3, BOOK).move == "hold"
    assert evaluate(early, Q3, BOOK).move == "level_up"


def test_missing_role_start_date_fails_and_says_so():
    outcome = outcome_of("初级B", ("90", "90", "90"), role_start_date=None)
    assert reason(outcome, "months_in_role").text == "缺少本岗位起始日期 ✗"


# the training window [boundary − 12 months, boundary)


def training_score(*exams):
    return ladder_values(employee(exams=tuple((d, Decimal(s)) for d, s in exams)), Q3, BOOK)["training_score"]


def test_a_training_record_exactly_twelve_months_before_the_boundary_counts():
    assert training_score((date(2025, 10, 1), "70")) == Decimal("70")


def test_a_training_record_one_day_earlier_does_not_count():
    assert training_score((date(2025, 9, 30), "70")) is None
    outcome = outcome_of("初级B", ("90", "90", "90"), exams=((date(2025, 9, 30), Decimal("99")),))
    assert reason(outcome, "training_score").text == "缺少培训成绩 ✗"


def test_a_training_record_on_the_boundary_does_not_count():
    assert training_score((date(2026, 10, 1), "70")) is None


def test_the_most_recent_record_wins_even_when_lower():
    assert training_score((date(2026, 3, 1), "95"), (date(2026, 9, 30), "61")) == Decimal("61")


def test_several_records_on_the_latest_day_take_the_highest():
    assert training_score((date(2026, 9, 1), "61"), (date(2026, 9, 1), "88"), (date(2026, 5, 1), "99")) == 88


# the period [start, boundary)


def test_a_missing_middle_month_is_incomplete():
    outcome = outcome_of("初级B", ("90", None, "90"))
    assert outcome.move == "incomplete"
    assert outcome.reasons[0].text == "缺少 2026-08 月度绩效考核 ✗"


def test_a_rank_taken_during_the_period_is_not_promoted():
    assert outcome_of("初级B", ("90", "90", "90"), rank_since=date(2026, 9, 30)).move == "hold"
    assert outcome_of("初级B", ("90", "90", "90"), rank_since=date(2026, 7, 1)).move == "grade_up"


def test_a_rank_taken_during_the_period_can_still_be_demoted():
    assert outcome_of("初级B", ("70", "70", "70"), rank_since=date(2026, 8, 1)).move == "grade_down"


def test_unrecorded_rank_since_counts_as_held_the_whole_period():
    assert outcome_of("初级B", ("90", "90", "90"), rank_since=None).move == "grade_up"


def test_violations_and_contributions_count_from_start_to_before_boundary():
    values = ladder_values(
        employee(
            violation_dates=(date(2026, 6, 30), date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 1)),
            contribution_dates=(date(2026, 7, 1), date(2026, 10, 1)),
        ),
        Q3,
        BOOK,
    )
    assert (values["violations"], values["contributions"]) == (2, 1)


def test_education_synonym_counts_as_high_school():
    outcome = outcome_of("见习", ("90", "90", "90"), education="技校")
    assert outcome.to_rank == "初级C"
    assert reason(outcome, "education").text == "学历 技校 ≥ 高中 ✓"


def test_unrecognised_education_fails_and_says_so():
    outcome = outcome_of("见习", ("90", "90", "90"), education="私塾")
    assert outcome.move == "hold"
    assert reason(outcome, "education").text == "学历 “私塾”无法识别 ✗"
