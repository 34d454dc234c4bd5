"""SPEC 2.1: evaluation periods, the months-in-role formula and month arithmetic."""

from datetime import date

import pytest

from jinjie.rules.calendar import Period, add_months, months_between


def test_a_period_is_a_calendar_quarter_with_start_boundary_and_months():
    q3 = Period.parse("2026Q3")
    assert (q3.year, q3.quarter) == (2026, 3)
    assert q3.start == date(2026, 7, 1)
    assert q3.boundary == date(2026, 10, 1)
    assert q3.months == ("2026-07", "2026-08", "2026-09")
    assert str(q3) == "2026Q3"


def test_the_fourth_quarter_ends_on_new_years_day():
    q4 = Period.parse("2026Q4")
    assert q4.months == ("2026-10", "2026-11", "2026-12")
    assert q4.boundary == date(2027, 1, 1)


def test_training_window_starts_twelve_months_before_the_boundary():
    assert Period.parse("2026Q3").lookback_start == date(2025, 10, 1)


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "2026-3", "26Q3", "", "2026Q", "Q3 2026"])
def test_a_malformed_period_is_refused_in_chinese(text):
    with pytest.raises(ValueError, match="测评期格式应为 YYYYQn，例如 2026Q3"):
        Period.parse(text)


def test_periods_order_and_step():
    q4 = Period(2026, 4)
    assert q4.next() == Period(2027, 1)
    assert Period(2027, 1).previous() == q4
    assert Period(2026, 3) < q4
    assert Period.containing(date(2026, 8, 15)) == Period(2026, 3)


@pytest.mark.parametrize(
    ("start", "boundary", "months"),
    [
        (date(2024, 1, 15), date(2026, 10, 1), 32),  # worked example A
        (date(2024, 4, 1), date(2026, 10, 1), 30),  # worked example B
        (date(2023, 10, 1), date(2026, 10, 1), 36),  # started on the 1st: full months exactly
        (date(2023, 10, 2), date(2026, 10, 1), 35),
        (date(2023, 10, 31), date(2026, 10, 1), 35),  # started on the 31st
        (date(2023, 8, 31), date(2026, 10, 1), 37),
        (date(2024, 1, 31), date(2024, 3, 1), 1),
        (date(2026, 10, 1), date(2026, 10, 1), 0),
        (date(2026, 11, 1), date(2026, 10, 1), -1),
    ],
)
def test_months_between_counts_full_months(start, boundary, months):
    assert months_between(start, boundary) == months


@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (date(2026, 10, 1), -12, date(2025, 10, 1)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_add_months_clamps_the_day(d, n, expected):
    assert add_months(d, n) == expected
