"""SPEC 2 and 3: the fixed vocabulary — ranks, levels, grades and the ordered scales."""

import pytest

from jinjie.rules.ladder import (
    EDUCATION_LEVELS,
    MONOPOLY_LEVELS,
    RANKS,
    education_rank,
    grade_of,
    level_of,
    move_between,
    normalize_education,
    normalize_vocational,
    rank_step,
    shuangneng_rank,
    step_rank,
    vocational_rank,
)


def test_ten_ranks_lowest_first():
    assert RANKS == ("见习", "初级C", "初级B", "初级A", "中级C", "中级B", "中级A", "高级C", "高级B", "高级A")
    assert [rank_step(r) for r in RANKS] == list(range(10))
    assert [step_rank(i) for i in range(10)] == list(RANKS)


def test_an_empty_rank_is_trainee():
    assert rank_step("") == 0


def test_unknown_rank_is_refused():
    with pytest.raises(ValueError, match="未知的职级"):
        rank_step("特级A")
    with pytest.raises(ValueError):
        step_rank(10)


def test_levels_and_grades():
    assert [level_of(i) for i in range(10)] == ["见习"] + ["初级"] * 3 + ["中级"] * 3 + ["高级"] * 3
    assert [grade_of(i) for i in range(10)] == [None] + ["C", "B", "A"] * 3


def test_education_order_with_high_school_synonyms():
    assert EDUCATION_LEVELS == ("初中及以下", "高中", "大专", "本科", "硕士", "博士")
    for synonym in ("中专", "职高", "技校"):
        assert normalize_education(synonym) == "高中"
        assert education_rank(synonym) == education_rank("高中")
    assert education_rank("大专") > education_rank("高中") > education_rank("初中及以下")
    assert education_rank("博士") > education_rank("硕士") > education_rank("本科")
    assert education_rank("小学文化") is None
    with pytest.raises(ValueError, match="未知的学历"):
        normalize_education("小学文化")


def test_vocational_level_smaller_number_is_higher():
    assert vocational_rank("一级") > vocational_rank("二级") > vocational_rank("三级")
    assert vocational_rank("四级") > vocational_rank("五级")
    assert normalize_vocational("中级工") == "四级"
    with pytest.raises(ValueError, match="未知的职业技能等级"):
        normalize_vocational("六级")


def test_shuangneng_ratings_order():
    assert (
        shuangneng_rank("不合格")
        < shuangneng_rank("合格")
        < shuangneng_rank("良好")
        < shuangneng_rank("优秀")
    )


def test_monopoly_levels_in_order():
    assert MONOPOLY_LEVELS == (
        "初级专卖管理员",
        "中级专卖管理员",
        "高级专卖管理员",
        "专卖管理师",
        "高级专卖管理师",
    )


@pytest.mark.parametrize(
    ("from_rank", "to_rank", "move"),
    [
        ("初级B", "初级A", "grade_up"),
        ("见习", "初级C", "level_up"),
        ("初级A", "中级C", "level_up"),
        ("中级C", "中级A", "skip_grade"),
        ("初级B", "中级C", "skip_level"),
        ("中级B", "中级C", "grade_down"),
        ("中级C", "初级A", "level_down"),
        ("中级A", "初级A", "level_down"),
        ("初级C", "见习", "level_down"),
        ("高级A", "高级A", "hold"),
    ],
)
def test_the_name_of_a_move_follows_from_the_steps(from_rank, to_rank, move):
    assert move_between(rank_step(from_rank), rank_step(to_rank)) == move
