"""Assessment schemes (SPEC 5): a scheme's items and maximum points are validated, and a score row's
item columns are checked against them — every bad case refused in Chinese with its column."""

from decimal import Decimal

import pytest

from jinjie.rules.scheme import DEFAULT_SCHEMES, SchemeError, check_items, parse_scheme

D = Decimal
CM = parse_scheme("客户经理", DEFAULT_SCHEMES["客户经理"])


def test_the_default_schemes_are_spec_5():
    assert [(i.name, i.max) for i in CM.items] == [("卷烟营销指标", 50), ("服务质量指标", 30), ("基础管理与纪律", 20)]
    ma = parse_scheme("市场管理员", DEFAULT_SCHEMES["市场管理员"])
    assert sum(i.max for i in ma.items) == 100 and len(ma.items) == 7


def test_all_items_with_an_empty_score_store_their_sum():
    assert check_items(CM, {"卷烟营销指标": D("42.5"), "服务质量指标": D(28), "基础管理与纪律": D(19)}, None) == (D("89.5"), [])


def test_a_given_score_must_equal_the_sum():
    items = {"卷烟营销指标": D(42), "服务质量指标": D(28), "基础管理与纪律": D(19)}
    assert check_items(CM, items, D(89)) == (D(89), [])
    _, errors = check_items(CM, items, D(90))
    assert errors == [("score", "考核得分 90 与分项合计 89 不一致")]


def test_no_items_needs_a_score():
    assert check_items(CM, {}, D(85)) == (D(85), [])
    assert check_items(CM, {}, None)[1] == [("score", "必填，不能为空（未填写分项时须填写考核得分）")]


def test_some_items_but_not_all_is_refused_per_missing_item():
    _, errors = check_items(CM, {"卷烟营销指标": D(40)}, None)
    assert [c for c, _ in errors] == ["服务质量指标", "基础管理与纪律"]
    assert "填写分项时须填全客户经理的全部分项" in errors[0][1]


@pytest.mark.parametrize("value", [D("-0.5"), D("50.01"), D(60)])
def test_an_item_outside_zero_and_its_maximum_is_refused(value):
    _, errors = check_items(CM, {"卷烟营销指标": value, "服务质量指标": D(28), "基础管理与纪律": D(19)}, None)
    assert errors == [("卷烟营销指标", f"分项「卷烟营销指标」应在 0 到 50 之间，实为 {value.normalize():f}")]


def test_an_unknown_item_is_refused_naming_the_schemes_items():
    _, errors = check_items(CM, {"市场巡查": D(20)}, D(80))
    assert errors == [("市场巡查", "未知的分项「市场巡查」：客户经理的考核分项为 卷烟营销指标、服务质量指标、基础管理与纪律")]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "分项应为非空列表"),
        ([{"name": "A", "max": "60"}, {"name": "B", "max": "30"}], "各分项满分合计应为 100，实为 90"),
        ([{"name": "A", "max": "50"}, {"name": "A", "max": "50"}], "第 2 个分项：名称「A」重复"),
        ([{"name": " ", "max": "100"}], "第 1 个分项：名称不能为空"),
        ([{"name": "A", "max": 50.5}, {"name": "B", "max": "49.5"}], "第 1 个分项「A」：满分应为 0 到 100 之间的正数"),
        ([{"name": "A", "max": "-100"}], "第 1 个分项「A」：满分应为"),
        ([{"name": "A", "max": "abc"}], "第 1 个分项「A」：满分应为"),
    ],
)
def test_a_bad_scheme_is_refused_in_chinese(doc, message):
    with pytest.raises(SchemeError) as info:
        parse_scheme("客户经理", doc)
    assert any(e.startswith(message) for e in info.value.errors), info.value.errors
