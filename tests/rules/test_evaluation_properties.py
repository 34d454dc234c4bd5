"""Properties of the evaluation that hold for every employee (hypothesis)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jinjie.rules import (
    DEFAULT_LADDER_BOOK,
    EDUCATION_LEVELS,
    VOCATIONAL_LEVELS,
    LadderFacts,
    Period,
    check_rank,
    evaluate,
    parse_ladder_book,
)
from jinjie.rules.ladder import level_index

BOOK = parse_ladder_book(DEFAULT_LADDER_BOOK)
Q3 = Period.parse("2026Q3")

score = st.decimals(min_value=0, max_value=100, places=2)
day = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def ladder_facts(draw, *, complete=True):
    month = score if complete else st.one_of(st.none(), score)
    return LadderFacts(
        employee_no="E001",
        track=draw(st.sampled_from(["客户经理", "市场管理员"])),
        step=draw(st.integers(0, 9)),
        scores=(draw(month), draw(month), draw(month)),
        role_start_date=draw(st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2026, 9, 30)))),
        education=draw(st.one_of(st.none(), st.sampled_from(EDUCATION_LEVELS + ("中专", "职高", "技校")))),
        vocational_level=draw(st.one_of(st.none(), st.sampled_from(VOCATIONAL_LEVELS))),
        exams=tuple(draw(st.lists(st.tuples(day, score), max_size=3))),
        ability=draw(st.one_of(st.none(), score)),
        violation_dates=tuple(draw(st.lists(day, max_size=1))),
        contribution_dates=tuple(draw(st.lists(day, max_size=1))),
        rank_since=draw(st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2026, 9, 30)))),
        previous_change_was_demotion=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(ladder_facts(), st.integers(0, 2), st.decimals(min_value="0.01", max_value=100, places=2))
def test_a_higher_score_never_gives_a_lower_outcome(facts, month, raise_by):
    scores = list(facts.scores)
    scores[month] = min(Decimal(100), scores[month] + raise_by)
    better = replace(facts, scores=tuple(scores))
    assert evaluate(better, Q3, BOOK).to_step >= evaluate(facts, Q3, BOOK).to_step


@settings(max_examples=300, deadline=None)
@given(ladder_facts(complete=False))
def test_a_move_is_one_step_except_a_skip_or_a_level_down(facts):
    outcome = evaluate(facts, Q3, BOOK)
    delta = outcome.to_step - outcome.from_step
    if outcome.move in ("skip_grade", "skip_level"):
        assert delta == 2
    elif outcome.move == "level_down" and delta != -1:
        assert delta == -3 or outcome.to_step == 0
    else:
        assert delta in (-1, 0, 1)
    assert 0 <= outcome.to_step <= 9


@settings(max_examples=300, deadline=None)
@given(ladder_facts())
def test_a_demotion_never_exceeds_one_level(facts):
    outcome = evaluate(facts, Q3, BOOK)
    if outcome.to_step < outcome.from_step:
        assert level_index(outcome.to_step) >= level_index(outcome.from_step) - 1
        assert outcome.move in ("grade_down", "level_down")
        assert any(not r.passed and r.code.startswith(("floor.", "keep.")) for r in outcome.reasons)


@settings(max_examples=200, deadline=None)
@given(ladder_facts(complete=False))
def test_the_same_facts_give_the_same_outcome(facts):
    assert evaluate(facts, Q3, BOOK) == evaluate(replace(facts), Q3, BOOK)


@settings(max_examples=300, deadline=None)
@given(ladder_facts())
def test_every_failed_criterion_appears_in_the_reasons_of_a_hold(facts):
    outcome = evaluate(facts, Q3, BOOK)
    if outcome.move == "hold" and outcome.from_step < 9:
        gap = check_rank(facts, Q3, BOOK, outcome.from_step + 1)
        failed = {(r.code, r.text) for r in outcome.reasons if not r.passed}
        assert {(r.code, r.text) for r in gap.failed} <= failed
        assert gap.failed or any(r.code.startswith("gate.") for r in outcome.failed)


@settings(max_examples=200, deadline=None)
@given(ladder_facts(complete=False))
def test_every_outcome_is_explained(facts):
    outcome = evaluate(facts, Q3, BOOK)
    assert outcome.summary and outcome.reasons
    assert all(r.text.endswith(("✓", "✗")) or r.code == "top_rank" for r in outcome.reasons)
    assert bool(outcome.route) == (outcome.move not in ("hold", "incomplete"))
    assert not outcome.reassign or (outcome.to_step == 0 and facts.previous_change_was_demotion)


@settings(max_examples=200, deadline=None)
@given(ladder_facts())
def test_a_promotion_means_every_criterion_of_the_target_rank_is_met(facts):
    outcome = evaluate(facts, Q3, BOOK)
    if outcome.to_step > outcome.from_step:
        assert check_rank(facts, Q3, BOOK, outcome.to_step).met
        assert facts.rank_since is None or facts.rank_since <= Q3.start
        assert not any(Q3.start <= d < Q3.boundary for d in facts.violation_dates)


def _exponent_changed(value):
    # 85.50 → 85.5, 90.00 → 9E+1: the same number written differently, as the databases may return it.
    return None if value is None else value.normalize()


@settings(max_examples=300, deadline=None)
@given(ladder_facts(complete=False), st.booleans())
def test_a_book_that_has_judged_others_judges_as_a_fresh_one(facts, rewrite):
    # BOOK keeps the Reason of every value it has seen (criteria memo); a freshly parsed book has
    # seen nothing. Both must say the same, word for word, however the numbers are written.
    if rewrite:
        facts = replace(
            facts,
            scores=tuple(_exponent_changed(s) for s in facts.scores),
            ability=_exponent_changed(facts.ability),
            exams=tuple((d, _exponent_changed(s)) for d, s in facts.exams),
        )
    assert evaluate(facts, Q3, BOOK) == evaluate(facts, Q3, parse_ladder_book(DEFAULT_LADDER_BOOK))


def test_what_a_criterion_keeps_is_bounded():
    from jinjie.rules.criteria import _MEMO_LIMIT

    book = parse_ladder_book(DEFAULT_LADDER_BOOK)
    node = book.ranks[5].criteria[0]  # 中级B: 39 months, or 27 with 大专 (a group of two facts)
    fresh = parse_ladder_book(DEFAULT_LADDER_BOOK).ranks[5].criteria[0]
    assert node.keys == ("months_in_role", "education")
    for months in range(_MEMO_LIMIT + 500):
        values = {"months_in_role": months, "education": "本科" if months % 2 else "高中"}
        assert node.check(values) == fresh._reason(values)
    assert len(node._memo) == _MEMO_LIMIT
    values = {"months_in_role": 30, "education": "大专"}
    assert node.check(values) == node.check(dict(values)) == fresh._reason(values)
    assert node.check(values).passed and not node.check({**values, "education": "高中"}).passed
