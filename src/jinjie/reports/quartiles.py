"""Box-plot figures from counted values: minimum, quartiles, maximum.

The quartiles are those of Python's `statistics.quantiles(data, n=4, method="inclusive")`: the
data sorted as x[0] … x[N−1], the i-th quartile (i = 1, 2, 3) lies at position h = i·(N−1)/4 and
is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) — linear interpolation between the two values around
it (Excel's QUARTILE.INC, NumPy's default). With one value, every figure is that value.

The data come as (value → how many): a report counts months in rank with GROUP BY, so a bureau of
100,000 people is a few thousand distinct values, never a list of 100,000. Arithmetic is exact
(Fraction), so months give quarter-months: 2, 2.25, 2.5 …
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Box", "box"]


@dataclass(frozen=True)
class Box:
    n: int
    minimum: Fraction
    q1: Fraction
    median: Fraction
    q3: Fraction
    maximum: Fraction


def box(counts: Mapping[int | Fraction, int]) -> Box | None:
    """The five figures of the values counted in `counts` (value → count); None without data."""
    values = sorted(v for v, c in counts.items() if c > 0)
    if not values:
        return None
    ends: list[int] = []  # ends[k]: how many data lie at or below values[k]
    total = 0
    for v in values:
        total += counts[v]
        ends.append(total)

    def at(index: int) -> Fraction:
        # The value at a 0-based position of the sorted data.
        return Fraction(values[bisect_right(ends, index)])

    def quartile(i: int) -> Fraction:
        j, delta = divmod(i * (total - 1), 4)
        low = at(j)
        if delta == 0:
            return low
        return (low * (4 - delta) + at(j + 1) * delta) / 4

    return Box(total, Fraction(values[0]), quartile(1), quartile(2), quartile(3), Fraction(values[-1]))
