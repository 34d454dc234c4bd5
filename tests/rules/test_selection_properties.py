"""Properties of 竞聘 ranking that hold whatever the scores (hypothesis): nothing depends on the
order the candidates come in, weights summing to 1 weigh nothing away, positions count the better."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinjie.rules.selection import (
    Candidate,
    Scheme,
    SchemeError,
    Weights,
    rank,
    speech_score,
    total_of,
)

score = st.decimals(min_value=0, max_value=100, places=2)
maybe = st.one_of(st.none(), score)
POSTS = ("客服部主任", "订单部主任", "物流部主任")


@st.composite
def candidates(draw):
    n = draw(st.integers(0, 12))
    # Few distinct scores, so that ties (and ties at the 1:2 boundary) are common.
    pool = st.sampled_from([Decimal(v) for v in ("59.99", "60", "70", "75.5", "80", "90")]) | score
    return [
        Candidate(
            key=i,
            post=draw(st.sampled_from(POSTS)),
            written=draw(st.one_of(st.none(), pool)),
            speech=draw(st.one_of(st.none(), pool)),
            democratic=draw(st.one_of(st.none(), pool)),
            qualified=draw(st.booleans() | st.just(True)),
        )
        for i in range(n)
    ]


places = st.fixed_dictionaries({post: st.integers(1, 3) for post in POSTS})


@settings(max_examples=300, deadline=None)
@given(candidates(), places, st.randoms(use_true_random=False))
def test_totals_and_positions_never_depend_on_the_input_order(cands, n, rnd):
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert rank(shuffled, places=n) == rank(cands, places=n)


@settings(max_examples=300, deadline=None)
@given(candidates(), places)
def test_a_position_is_one_more_than_the_number_of_better_candidates(cands, n):
    standings = rank(cands, places=n)
    assert len(standings) == len(cands)
    ranked = [s for s in standings if s.position is not None]
    for s in ranked:
        better = [o for o in ranked if o.post == s.post and (o.total, o.speech, o.written) > (s.total, s.speech, s.written)]
        assert s.position == len(better) + 1
        assert s.inspect == (s.position <= 2 * n[s.post] and s.total >= 70)
    assert all(s.total is None and s.note and not s.inspect for s in standings if s.position is None)


@st.composite
def weights_summing_to_one(draw):
    a = draw(st.integers(0, 100))
    b = draw(st.integers(0, 100 - a))
    return Weights(Decimal(a) / 100, Decimal(b) / 100, Decimal(100 - a - b) / 100)


@settings(max_examples=300, deadline=None)
@given(weights_summing_to_one(), st.decimals(min_value=60, max_value=100, places=2))
def test_weights_summing_to_one_give_a_candidate_scoring_x_everywhere_a_total_of_x(weights, x):
    assert total_of(Candidate(1, "p", x, x, x), Scheme(weights=weights)) == (x, "")


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=1, places=2), st.decimals(min_value=0, max_value=1, places=2),
       st.decimals(min_value=0, max_value=1, places=2))
def test_weights_are_accepted_exactly_when_they_sum_to_one(a, b, c):
    if a + b + c == 1:
        assert Weights(a, b, c).written == a
    else:
        with pytest.raises(SchemeError):
            Weights(a, b, c)


@settings(max_examples=300, deadline=None)
@given(st.lists(score, min_size=1, max_size=9), st.randoms(use_true_random=False))
def test_the_speech_score_lies_between_the_marks_and_ignores_their_order(marks, rnd):
    shuffled = list(marks)
    rnd.shuffle(shuffled)
    result = speech_score(marks)
    assert result == speech_score(shuffled)
    assert min(marks) <= result <= max(marks)
