"""竞聘 ranking worked by hand (SPEC 4): totals, the pass line, a missing score, the judges' marks with
and without the highest and lowest dropped, ballots, positions with ties and the 1:2 cut."""

from decimal import Decimal as D

import pytest

from jinjie.rules.selection import (
    NOTE_BELOW_PASS,
    NOTE_FAILED_REVIEW,
    NOTE_INCOMPLETE,
    Ballots,
    Candidate,
    Scheme,
    SchemeError,
    Weights,
    ballot_score,
    parse_scheme,
    rank,
    speech_score,
    total_of,
)


def c(key, written, speech, democratic, post="主任", qualified=True):
    as_d = lambda v: None if v is None else D(str(v))  # noqa: E731
    return Candidate(key, post, as_d(written), as_d(speech), as_d(democratic), qualified)


def by_key(standings):
    return {s.key: s for s in standings}


def test_the_total_is_the_weighted_sum_rounded_half_up():
    # 0.30 × 81.5 + 0.40 × 88.33 + 0.30 × 76.67 = 24.45 + 35.332 + 23.001 = 82.783 → 82.78
    assert total_of(c(1, "81.5", "88.33", "76.67")) == (D("82.78"), "")
    # 0.30 × 80.05 + 0.40 × 70 + 0.30 × 70 = 24.015 + 28 + 21 = 73.015 → 73.02 (half-up, not to even)
    assert total_of(c(1, "80.05", 70, 70)) == (D("73.02"), "")


def test_ties_share_a_position_and_the_next_one_is_skipped():
    standings = rank([c("A", 90, 90, 90), c("B", 80, 85, 80), c("C", 80, 85, 80), c("D", 70, 70, 70)], places={"主任": 2})
    assert [(s.key, s.total, s.position) for s in standings] == [
        ("A", D("90.00"), 1), ("B", D("82.00"), 2), ("C", D("82.00"), 2), ("D", D("70.00"), 4),
    ]


def test_an_equal_total_is_ordered_by_the_speech_then_by_the_written_test():
    # All three total 78.00: Z and X share the speech 90 but Z wrote 80 against X's 60; Y spoke 75.
    standings = rank([c("X", 60, 90, 80), c("Y", 80, 75, 80), c("Z", 80, 90, 60)], places={"主任": 1})
    assert {s.total for s in standings} == {D("78.00")}
    assert [(s.key, s.position) for s in standings] == [("Z", 1), ("X", 2), ("Y", 3)]


def test_below_the_pass_line_the_candidate_stops_at_the_written_test():
    standings = by_key(rank([c("低", "59.99", 95, 95), c("线", 60, 60, 60)], places={"主任": 1}))
    assert standings["低"].total is None and standings["低"].position is None
    assert standings["低"].note == NOTE_BELOW_PASS and not standings["低"].inspect
    assert standings["线"].total == D("60.00") and standings["线"].position == 1


def test_a_missing_score_gives_no_total():
    standings = by_key(rank([c("缺演讲", 80, None, 80), c("缺测评", 80, 80, None), c("缺笔试", None, 80, 80), c("全", 70, 70, 70)], places={"主任": 1}))
    for key in ("缺演讲", "缺测评", "缺笔试"):
        assert (standings[key].total, standings[key].position, standings[key].note) == (None, None, NOTE_INCOMPLETE)
    assert standings["全"].position == 1


def test_a_candidate_refused_at_the_qualification_review_is_listed_with_the_reason():
    (s,) = rank([c(1, 90, 90, 90, qualified=False)], places={"主任": 1})
    assert (s.total, s.note) == (None, NOTE_FAILED_REVIEW)


def test_four_judges_are_averaged_as_they_are():
    assert speech_score([D(70), D(80), D(90), D(100)]) == D("85.00")


def test_five_judges_lose_their_highest_and_lowest_mark():
    assert speech_score([D(60), D(80), D(85), D(90), D(100)]) == D("85.00")  # (80 + 85 + 90) / 3
    # Only one of two equal extremes goes: (90 + 80 + 70) / 3.
    assert speech_score([D(90), D(90), D(80), D(70), D(70)]) == D("80.00")
    assert speech_score([D(100), D(95), D(60), D(61), D(62), D(63)]) == D("70.25")  # (95+61+62+63)/4


def test_the_speech_is_rounded_before_the_total():
    speech = speech_score([D("84.12"), D("84.13")])  # 84.125 → 84.13
    assert speech == D("84.13")
    # 0.4 × 84.13 = 33.652; with 84.125 it would be 33.65 and the total one cent less.
    assert total_of(c(1, 70, speech, 70))[0] == D("75.65")


def test_no_marks_no_speech_score():
    assert speech_score([]) is None


def test_ballots_are_scored_per_valid_ballot():
    assert ballot_score(Ballots(6, 3, 1, 0)) == D("90.00")  # (600 + 240 + 60) / 10
    assert ballot_score(Ballots(1, 2, 4, 0)) == D("71.43")  # 500 / 7
    assert ballot_score(Ballots(0, 0, 0, 3)) == D("0.00")
    assert ballot_score(Ballots()) is None


def test_the_1_to_2_cut_takes_everyone_tied_at_the_boundary():
    candidates = [c("A", 90, 90, 90), c("B", 80, 85, 80), c("C", 80, 85, 80), c("D", 75, 75, 75)]
    one_place = by_key(rank(candidates, places={"主任": 1}))
    assert [one_place[k].inspect for k in "ABCD"] == [True, True, True, False]  # positions 1, 2, 2 ≤ 2
    two_places = by_key(rank(candidates, places={"主任": 2}))
    assert all(two_places[k].inspect for k in "ABCD")  # positions ≤ 4


def test_the_minimum_total_keeps_a_low_total_out_of_the_inspection():
    standings = by_key(rank([c("够", 70, 70, 70), c("差", "69.97", 70, 70)], places={"主任": 2}))
    assert standings["够"].total == D("70.00") and standings["够"].inspect
    assert standings["差"].total == D("69.99") and standings["差"].position == 2 and not standings["差"].inspect


def test_each_post_is_ranked_and_cut_on_its_own():
    standings = by_key(rank(
        [c(1, 90, 90, 90, post="客服部主任"), c(2, 80, 80, 80, post="客服部主任"), c(3, 70, 70, 70, post="客服部主任"),
         c(4, 75, 75, 75, post="订单部主任")],
        places={"客服部主任": 1, "订单部主任": 1},
    ))
    assert [standings[k].position for k in (1, 2, 3, 4)] == [1, 2, 3, 1]
    assert [standings[k].inspect for k in (1, 2, 3, 4)] == [True, True, False, True]


def test_a_scheme_with_other_weights_ratio_and_lines():
    scheme = Scheme(weights=Weights(D("0.5"), D("0.5"), D(0)), pass_line=D(50), inspect_ratio=1, inspect_min=D(60))
    standings = by_key(rank([c(1, 55, 65, None), c(2, 90, 50, None)], places={"主任": 1}, scheme=scheme))
    # A zero weight still needs the score (SPEC 4: any of the three missing → no total).
    assert standings[1].note == NOTE_INCOMPLETE
    standings = by_key(rank([c(1, 55, 65, 0), c(2, 90, 50, 0)], places={"主任": 1}, scheme=scheme))
    assert (standings[1].total, standings[2].total) == (D("60.00"), D("70.00"))
    assert (standings[2].position, standings[2].inspect, standings[1].inspect) == (1, True, False)


@pytest.mark.parametrize(
    "weights",
    [("0.3", "0.4", "0.31"), ("0.3", "0.3", "0.3"), ("1", "0.5", "-0.5"), ("0.3", "0.4", "abc"), (0.3, 0.4, 0.3)],
)
def test_weights_that_do_not_sum_to_one_are_refused_in_chinese(weights):
    with pytest.raises(SchemeError) as refused:
        parse_scheme({"weights": dict(zip(("written", "speech", "democratic"), weights, strict=True))})
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))


def test_a_stored_scheme_reads_back_as_it_was():
    scheme = Scheme(weights=Weights(D("0.2"), D("0.5"), D("0.3")), pass_line=D("65"), inspect_ratio=3)
    assert parse_scheme(scheme.to_doc()) == scheme
    assert parse_scheme({}) == Scheme()
