"""Rule books are data (SPEC 2.2): a malformed book is refused with every problem named in Chinese."""

import copy
import json
from decimal import Decimal

import pytest

from jinjie.rules import (
    DEFAULT_LADDER_BOOK,
    DEFAULT_MONOPOLY_BOOK,
    OPS,
    RuleBookError,
    parse_ladder_book,
    parse_monopoly_book,
)


def ladder(**changes):
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc.update(changes)
    return doc


def errors_of(doc, parse=parse_ladder_book):
    with pytest.raises(RuleBookError) as info:
        parse(doc)
    return info.value.errors


def test_the_default_books_are_valid_json_documents():
    for doc, parse in (
        (DEFAULT_LADDER_BOOK, parse_ladder_book),
        (DEFAULT_MONOPOLY_BOOK, parse_monopoly_book),
    ):
        round_tripped = json.loads(json.dumps(doc, ensure_ascii=False))
        assert round_tripped == doc
        book = parse(round_tripped)
        assert book.to_doc() == doc


def test_parsing_leaves_the_document_untouched():
    before = copy.deepcopy(DEFAULT_LADDER_BOOK)
    book = parse_ladder_book(DEFAULT_LADDER_BOOK)
    assert DEFAULT_LADDER_BOOK == before
    book.to_doc()["fail_line"] = "0"
    assert book.doc["fail_line"] == "60"


def test_an_unknown_operator_is_named_with_its_path():
    doc = ladder()
    doc["ranks"]["中级C"]["criteria"][2]["op"] = ">>"
    with pytest.raises(RuleBookError, match=r"^ranks\.中级C\.criteria\[2\]: 未知的比较运算符 '>>'"):
        parse_ladder_book(doc)


def test_an_unknown_fact_type_is_refused():
    doc = ladder()
    doc["ranks"]["初级C"]["criteria"][0] = {"type": "height", "op": ">=", "value": "170"}
    assert errors_of(doc) == ("ranks.初级C.criteria[0]: 未知的条件类型 'height'",)


def test_a_monopoly_fact_is_unknown_in_a_ladder_book():
    doc = ladder()
    doc["ranks"]["初级C"]["criteria"].append({"type": "pay_grade", "op": "<=", "value": "10"})
    assert errors_of(doc) == ("ranks.初级C.criteria[5]: 未知的条件类型 'pay_grade'",)


def test_a_missing_rank_is_refused():
    doc = ladder()
    del doc["ranks"]["中级B"]
    assert errors_of(doc) == ("ranks: 缺少职级 '中级B'",)


def test_an_unknown_rank_is_refused():
    doc = ladder()
    doc["ranks"]["特级A"] = doc["ranks"]["高级A"]
    assert "ranks: 未知的职级 '特级A'" in errors_of(doc)[0]


@pytest.mark.parametrize("bad", ["八十四", "84分", "", "NaN", 84.5, True, None, [84]])
def test_a_non_numeric_value_is_refused(bad):
    doc = ladder()
    doc["ranks"]["初级A"]["criteria"][3]["value"] = bad  # perf_avg
    [error] = errors_of(doc)
    assert error.startswith("ranks.初级A.criteria[3]: 数值无效")


@pytest.mark.parametrize("huge", ["1e999999999", "1000000000", "-1e20", "0.0000001"])
def test_a_value_out_of_range_is_refused_before_any_arithmetic(huge):
    doc = ladder()
    doc["ranks"]["初级A"]["criteria"][3]["value"] = huge  # perf_avg, later multiplied by 3
    [error] = errors_of(doc)
    assert error.startswith("ranks.初级A.criteria[3]: 数值超出范围")


def test_months_must_be_whole():
    doc = ladder()
    doc["ranks"]["初级C"]["criteria"][0]["value"] = "12.5"
    assert errors_of(doc) == ("ranks.初级C.criteria[0]: 应为整数，实为 '12.5'",)


def test_an_unknown_education_is_refused():
    doc = ladder()
    doc["ranks"]["初级C"]["criteria"][1]["value"] = "幼儿园"
    [error] = errors_of(doc)
    assert error.startswith("ranks.初级C.criteria[1]: 未知的学历 '幼儿园'")


def test_errors_inside_groups_carry_the_nested_path():
    doc = ladder()
    doc["ranks"]["中级C"]["criteria"][0]["any"][1]["all"][1]["op"] = "≥"
    [error] = errors_of(doc)
    assert error.startswith("ranks.中级C.criteria[0].any[1].all[1]: 未知的比较运算符 '≥'")


def test_an_empty_group_is_refused():
    doc = ladder(outstanding={"any": []})
    assert errors_of(doc) == ("outstanding.any: 条件组应为非空列表",)


def test_every_problem_is_reported_at_once():
    doc = ladder(fail_line="sixty")
    doc["ranks"]["初级B"]["keep"][0]["op"] = "=>"
    del doc["level_floors"]["高级"]
    errors = errors_of(doc)
    assert len(errors) == 3
    assert any(e.startswith("ranks.初级B.keep[0]: 未知的比较运算符") for e in errors)
    assert "level_floors: 缺少级别 '高级' 的降级线" in errors
    assert any(e.startswith("fail_line: 数值无效") for e in errors)


def test_unknown_fields_are_refused_to_catch_typos():
    doc = ladder()
    doc["rnaks"] = {}
    doc["ranks"]["初级C"]["criteria"][0]["vaule"] = "12"
    errors = errors_of(doc)
    assert "(根): 未知的字段 'rnaks'" in errors
    assert "ranks.初级C.criteria[0]: 未知的字段 'vaule'" in errors


def test_routes_must_use_known_steps_and_cover_every_move():
    doc = ladder()
    doc["routes"]["grade_up:初级"] = ["boss"]
    del doc["routes"]["skip_level"]
    errors = errors_of(doc)
    assert any(e.startswith("routes.grade_up:初级[0]: 未知的审批环节 'boss'") for e in errors)
    assert any(e.startswith("routes: 缺少 'skip_level:中级' 的审批路径") for e in errors)


def test_a_route_may_be_general_or_per_level():
    doc = ladder()
    doc["routes"]["grade_up"] = ["committee"]
    del doc["routes"]["grade_up:中级"]
    book = parse_ladder_book(doc)
    assert book.route_for("grade_up", 5) == ("committee",)
    assert book.route_for("grade_up", 2) == ("track_review",)


def test_notice_counting_is_calendar_or_working_days():
    doc = ladder(notice={"days": "5", "counting": "working"})
    book = parse_ladder_book(doc)
    assert (book.notice_days, book.notice_counting) == (5, "working")
    assert errors_of(ladder(notice={"days": "7", "counting": "lunar"}))[0].startswith("notice.counting")


def test_pay_needs_a_coefficient_for_every_rank():
    doc = ladder()
    del doc["pay"]["coefficients"]["中级A"]
    assert errors_of(doc) == ("pay.coefficients: 缺少职级 '中级A' 的系数",)


def test_a_boolean_fact_only_compares_for_equality():
    doc = copy.deepcopy(DEFAULT_MONOPOLY_BOOK)
    doc["levels"]["初级专卖管理员"]["criteria"][3] = {"type": "level_exam", "op": ">=", "value": True}
    assert errors_of(doc, parse_monopoly_book) == (
        "levels.初级专卖管理员.criteria[3]: 条件类型 'level_exam' 只能用 == 或 !=",
    )


def test_a_monopoly_book_needs_every_level():
    doc = copy.deepcopy(DEFAULT_MONOPOLY_BOOK)
    del doc["levels"]["专卖管理师"]
    assert errors_of(doc, parse_monopoly_book) == ("levels: 缺少等级 '专卖管理师'",)


def test_held_months_names_a_known_level():
    doc = copy.deepcopy(DEFAULT_MONOPOLY_BOOK)
    doc["levels"]["高级专卖管理员"]["criteria"][1]["level"] = "初级管理员"
    [error] = errors_of(doc, parse_monopoly_book)
    assert error.startswith("levels.高级专卖管理员.criteria[1]: 未知的专卖管理员等级 '初级管理员'")
    del doc["levels"]["高级专卖管理员"]["criteria"][1]["level"]
    assert errors_of(doc, parse_monopoly_book) == ("levels.高级专卖管理员.criteria[1]: 缺少字段 'level'",)


def test_a_document_that_is_not_an_object_is_refused():
    assert errors_of([]) == ("(根): 应为规则文件（JSON 对象），实为 []",)


def test_rule_book_error_is_a_value_error_with_one_line_per_problem():
    doc = ladder(fail_line="x", kind="monopoly")
    with pytest.raises(ValueError) as info:
        parse_ladder_book(doc)
    assert str(info.value).count("\n") == 1


@pytest.mark.parametrize(
    ("op", "passes"),
    [
        (">=", [True, True, False]),
        ("<=", [False, True, True]),
        (">", [True, False, False]),
        ("<", [False, False, True]),
        ("==", [False, True, False]),
        ("!=", [True, False, True]),
    ],
)
def test_the_operator_table(op, passes):
    assert [OPS[op].fn(v, Decimal(84)) for v in (Decimal(85), Decimal(84), Decimal(83))] == passes


def test_a_changed_threshold_changes_the_outcome():
    from datetime import date

    from jinjie.rules import LadderFacts, Period, evaluate

    facts = LadderFacts(
        "E1",
        "客户经理",
        2,
        (Decimal(85), Decimal(86), Decimal(84)),
        date(2024, 1, 15),
        "高中",
        "五级",
        ((date(2026, 6, 1), Decimal(70)),),
        rank_since=date(2026, 1, 1),
    )
    stricter = ladder()
    stricter["ranks"]["初级A"]["criteria"][3]["value"] = "86"
    q3 = Period.parse("2026Q3")
    assert evaluate(facts, q3, parse_ladder_book(DEFAULT_LADDER_BOOK)).move == "grade_up"
    outcome = evaluate(facts, q3, parse_ladder_book(stricter))
    assert outcome.move == "hold" and "平均绩效 85 < 86 ✗" in [r.text for r in outcome.reasons]


def test_one_condition_parses_on_its_own_with_the_books_checks():
    from jinjie.rules.book import parse_criterion
    from jinjie.rules.criteria import LADDER, MONOPOLY

    group = DEFAULT_MONOPOLY_BOOK["levels"]["中级专卖管理员"]["criteria"][0]
    assert parse_criterion(group, book=MONOPOLY).describe().startswith("学历、专卖管理工作经历与初级资格年限：")
    assert parse_criterion({"type": "violations", "op": "<", "value": "1"}, book=LADDER).describe() == "本测评期违规记录 < 1 次"
    with pytest.raises(RuleBookError) as info:
        parse_criterion({"type": "exp_months", "op": ">=", "value": "12"}, book=LADDER, path="x")
    assert info.value.errors == ("x: 未知的条件类型 'exp_months'",)
