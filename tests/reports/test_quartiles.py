"""Box-plot figures: the inclusive quartiles of statistics.quantiles, from counted values."""

import statistics
from collections import Counter
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from jinjie.reports.quartiles import box


def test_hand_worked_quartiles():
    # 1 2 3 4 10: positions 1, 2, 3 of 0..4 fall on data points.
    b = box(Counter([1, 2, 3, 4, 10]))
    assert (b.n, b.minimum, b.q1, b.median, b.q3, b.maximum) == (5, 1, 2, 3, 4, 10)
    # 1 2 3 4: positions 0.75, 1.5, 2.25 interpolate: 1.75, 2.5, 3.25.
    b = box(Counter([4, 1, 3, 2]))
    assert (b.q1, b.median, b.q3) == (Fraction(7, 4), Fraction(5, 2), Fraction(13, 4))
    # Counted values: 0 × 3, 12 × 1 — sorted 0 0 0 12: positions 0.75 → 0, 1.5 → 0, 2.25 → 0 + ¼·12 = 3.
    b = box({0: 3, 12: 1, 7: 0})
    assert (b.n, b.q1, b.median, b.q3, b.maximum) == (4, 0, 0, 3, 12)


def test_one_value_is_every_figure_and_no_value_is_no_box():
    b = box({5: 1})
    assert (b.minimum, b.q1, b.median, b.q3, b.maximum) == (5, 5, 5, 5, 5)
    assert box({}) is None
    assert box({3: 0}) is None


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=2, max_size=60))
def test_the_quartiles_are_pythons_inclusive_quantiles(values):
    b = box(Counter(values))
    expected = statistics.quantiles([Fraction(v) for v in values], n=4, method="inclusive")
    assert [b.q1, b.median, b.q3] == expected
    assert (b.minimum, b.maximum, b.n) == (min(values), max(values), len(values))
