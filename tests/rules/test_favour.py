"""Favour lists (SPEC 2.6): exclusions in order, Decimal half-up averages, the bonus of the rank held
on 31 December, and shared positions (1, 2, 2, 4) — worked by hand, then as properties."""

import copy
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinjie.rules import DEFAULT_LADDER_BOOK, RuleBookError, parse_ladder_book
from jinjie.rules.favour import (
    REASON_ANNUAL,
    REASON_MONTHS,
    REASON_VIOLATION,
    FavourFacts,
    favour_list,
    rank_held_on,
)

D = Decimal


def person(no, step=1, rating="称职", severities=(), scores=(80,) * 12):
    return FavourFacts(no, step, rating, tuple(severities), len(scores), sum((D(str(s)) for s in scores), D(0)))


def test_exclusions_apply_in_the_spec_order_with_their_reasons():
    rows = favour_list([
        person("E1", rating=None, severities=("严重",), scores=(90,)),  # 1 wins over 2 and 3
        person("E2", rating="基本称职"),
        person("E3", severities=("一般", "较重"), scores=(90,)),  # 2 wins over 3
        person("E4", scores=(90,) * 5),
        person("E5", severities=("一般",), scores=(90,) * 6),  # a 一般 violation does not exclude
    ])
    by_no = {r.employee_no: r for r in rows}
    assert [by_no[n].excluded for n in ("E1", "E2", "E3", "E4")] == [REASON_ANNUAL, REASON_ANNUAL, REASON_VIOLATION, REASON_MONTHS]
    assert all(by_no[n].score is None and by_no[n].position is None for n in ("E1", "E2", "E3", "E4"))
    assert (by_no["E5"].excluded, by_no["E5"].position, by_no["E5"].score) == ("", 1, D("90.00"))
    # ranked first, then the excluded by employee number
    assert [r.employee_no for r in rows] == ["E5", "E1", "E2", "E3", "E4"]


def test_hand_worked_list_with_bonuses_and_ties():
    # avg of (85, 86, 84, 85, 86, 84) = 85.00; 中级 +3 → 88.00
    # 高级C with avg 82.005 (half-up → 82.01) + 6 = 88.01 → first
    rows = favour_list([
        person("A3", step=4, scores=(85, 86, 84, 85, 86, 84)),       # 88.00, step 4
        person("A1", step=7, scores=(82.01, 82, 82, 82, 82, 82.02)),  # sum 492.03 / 6 = 82.005 → 82.01 + 6
        person("A2", step=4, scores=(88, 88, 88, 88, 88, 88), rating="优秀"),  # 88 + 3 = 91
        person("A4", step=4, scores=(85,) * 6),                       # 88.00, step 4: ties A3
        person("A5", step=3, scores=(88,) * 6),                       # 88.00, step 3 (no bonus): after the tie
        person("A6", step=4, scores=(85,) * 7),                       # 88.00, step 4: ties too
    ])
    shown = [(r.employee_no, str(r.avg), str(r.bonus), str(r.score), r.position) for r in rows]
    assert shown == [
        ("A2", "88.00", "3", "91.00", 1),
        ("A1", "82.01", "6", "88.01", 2),
        ("A3", "85.00", "3", "88.00", 3),
        ("A4", "85.00", "3", "88.00", 3),
        ("A6", "85.00", "3", "88.00", 3),
        ("A5", "88.00", "0", "88.00", 6),
    ]


def test_the_average_rounds_half_up_not_to_even():
    # 80.125 → 80.13 (banker's rounding would give 80.12)
    rows = favour_list([person("E1", scores=(80.25, 80, 80, 80, 80, 80.5))])
    assert rows[0].avg == D("80.13")


def test_the_rank_held_on_31_december_comes_from_the_history():
    history = [(date(2025, 4, 1), "", "初级C"), (date(2026, 7, 1), "初级C", "中级C"), (date(2027, 1, 1), "中级C", "中级B")]
    dec31 = date(2026, 12, 31)
    assert rank_held_on(history, dec31, current="中级B") == "中级C"
    # only a later change: the rank it started from
    assert rank_held_on([(date(2027, 1, 1), "初级A", "中级C")], dec31, current="中级C") == "初级A"
    # no history at all: the current rank
    assert rank_held_on([], dec31, current="高级C") == "高级C"
    # a change effective on 31 December counts
    assert rank_held_on([(dec31, "中级A", "高级C")], dec31, current="高级C") == "高级C"


def test_the_bonus_comes_from_the_rule_book_and_old_books_get_the_default():
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    del doc["favour"]
    assert dict(parse_ladder_book(doc).favour_bonus) == {"中级": D(3), "高级": D(6)}
    doc["favour"] = {"bonus": {"初级": "1", "中级": "2.5"}}
    book = parse_ladder_book(doc)
    rows = favour_list([person("E1", step=2), person("E2", step=5), person("E3", step=8)], bonus=book.favour_bonus)
    assert {r.employee_no: str(r.bonus) for r in rows} == {"E1": "1", "E2": "2.5", "E3": "0"}


@pytest.mark.parametrize(
    ("favour", "message"),
    [
        ({"bonus": {"特级": "3"}}, "favour.bonus: 未知的职级级别 '特级'"),
        ({"bonus": {"中级": "-1"}}, "favour.bonus.中级: 加分不能为负数"),
        ({"bonus": {"中级": 3.5}}, "favour.bonus.中级: 数值无效"),
        ({"points": {}}, "favour: 缺少字段 'bonus'"),
        ("3", "favour: 应为对象"),
    ],
)
def test_a_bad_favour_section_is_refused_in_chinese(favour, message):
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["favour"] = favour
    with pytest.raises(RuleBookError) as info:
        parse_ladder_book(doc)
    assert any(e.startswith(message) for e in info.value.errors), info.value.errors


facts = st.builds(
    person,
    st.from_regex(r"\AE[0-9]{3}\Z"),
    st.integers(0, 9),
    st.sampled_from([None, "不称职", "基本称职", "称职", "优秀"]),
    st.lists(st.sampled_from(["一般", "较重", "严重"]), max_size=2),
    st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=0, max_size=12),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(facts, max_size=30, unique_by=lambda f: f.employee_no))
def test_positions_follow_score_then_step_and_ties_share_a_position(people):
    rows = favour_list(people)
    assert sorted(r.employee_no for r in rows) == sorted(p.employee_no for p in people)
    ranked = [r for r in rows if not r.excluded]
    for i, row in enumerate(ranked):
        assert row.score == row.avg + row.bonus
        # the position is one more than the number of rows strictly ahead
        ahead = sum(1 for o in ranked if (o.score, o.step) > (row.score, row.step))
        assert row.position == ahead + 1
        if i:
            before = ranked[i - 1]
            assert (before.score, before.step, row.employee_no) >= (row.score, row.step, "") or before.position == row.position
            assert (before.score, before.step) >= (row.score, row.step)
    assert all(r.position is None for r in rows if r.excluded)
