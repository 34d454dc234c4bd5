"""竞聘 eligibility at the 报名 deadline d (SPEC 4 defaults): each criterion at its boundary, as the
applicant reads it (required / actual / 符合)."""

from dataclasses import replace
from datetime import date

import pytest

from jinjie.rules.book import RuleBookError
from jinjie.rules.selection import DEFAULT_CRITERIA, ApplicantFacts, check_eligibility, parse_criteria

CRITERIA = parse_criteria(DEFAULT_CRITERIA)
D = date(2026, 6, 30)  # the deadline
FIT = ApplicantFacts(
    track="客户经理", ladder_rank="中级C", monopoly_level=None, hire_date=date(2023, 6, 30), birth_date=date(1980, 7, 1),
    education="大专", violations=((date(2025, 6, 29), "严重"), (date(2026, 6, 1), "一般")), annual_ratings={2025: "称职"},
)


def verdicts(facts, deadline=D):
    return {r.code: r.passed for r in check_eligibility(CRITERIA, facts, deadline).reasons}


def test_the_default_criteria_admit_someone_who_meets_each_one_exactly():
    result = check_eligibility(CRITERIA, FIT, D)
    assert result.passed, [r.text for r in result.failed]
    texts = [r.text for r in result.reasons]
    assert texts == [
        "职级 中级C ≥ 中级C ✓",
        "工作 36 个月 ≥ 36 个月 ✓",
        "学历 大专 ≥ 大专 ✓",
        "年龄 45 岁 ≤ 45 岁 ✓",
        "较重及以上违规 0 次 = 0 次 ✓",
        "上年度年度考核 称职 ≥ 称职 ✓",
    ]
    assert [r.required for r in result.reasons][1:] == ["≥ 36 个月", "≥ 大专", "≤ 45 岁", "= 0 次", "≥ 称职"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"ladder_rank": "初级A"}, "rank"),
        ({"hire_date": date(2023, 7, 1)}, "service_months"),  # 35 full months to d
        ({"hire_date": None}, "service_months"),
        ({"education": "高中"}, "education"),
        ({"education": "中专"}, "education"),
        ({"birth_date": date(1980, 6, 30)}, "age"),  # 46 on d itself
        ({"birth_date": None}, "age"),  # missing → fails (SPEC 4)
        ({"violations": ((date(2025, 6, 30), "较重"),)}, "serious_violations"),  # d − 12 months is inside
        ({"violations": ((date(2026, 6, 29), "严重"),)}, "serious_violations"),
        ({"annual_ratings": {2025: "基本称职"}}, "annual_rating"),
        ({"annual_ratings": {2026: "优秀"}}, "annual_rating"),  # the year before d counts, not d's own
    ],
)
def test_failing_one_criterion_fails_that_criterion_only(change, code):
    result = verdicts(replace(FIT, **change))
    assert [c for c, ok in result.items() if not ok] == [code]


def test_a_violation_on_the_deadline_itself_is_outside_the_window():
    assert verdicts(replace(FIT, violations=((D, "严重"),)))["serious_violations"]


def test_a_monopoly_administrator_qualifies_by_level_not_by_ladder_rank():
    monopoly = replace(FIT, track="专卖管理员", ladder_rank="高级A", monopoly_level="中级专卖管理员")
    assert verdicts(monopoly)["rank"]
    assert not verdicts(replace(monopoly, monopoly_level="初级专卖管理员"))["rank"]
    # A 客户经理's monopoly level (there is none in practice) does not count either.
    assert not verdicts(replace(FIT, ladder_rank="初级C", monopoly_level="高级专卖管理员"))["rank"]


def test_a_missing_fact_is_named_in_the_reason():
    reasons = {r.code: r for r in check_eligibility(CRITERIA, replace(FIT, birth_date=None), D).reasons}
    assert reasons["age"].actual == "缺失" and "缺少出生日期" in reasons["age"].text


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "至少需要一项条件"),
        ([{"type": "perf_avg", "op": ">=", "value": "80"}], "未知的条件类型 'perf_avg'"),
        ([{"type": "age", "op": "=<", "value": "45"}], "未知的比较运算符"),
        ([{"type": "ladder_rank", "op": ">=", "value": "中级D"}], "未知的职级"),
        ("age <= 45", "应为条件列表"),
    ],
)
def test_criteria_as_data_are_checked_before_they_are_used(doc, message):
    with pytest.raises(RuleBookError) as refused:
        parse_criteria(doc)
    assert message in str(refused.value)


def test_hr_may_tighten_a_criterion():
    stricter = parse_criteria([*DEFAULT_CRITERIA[:3], {"type": "age", "op": "<=", "value": "40"}])
    result = check_eligibility(stricter, FIT, D)
    assert [r.text for r in result.failed] == ["年龄 45 岁 > 40 岁 ✗"]
