"""SPEC 3: the monopoly administrator levels, checked at a date; one test per row, met and failed."""

from dataclasses import replace
from datetime import date

import pytest

from jinjie.rules import DEFAULT_MONOPOLY_BOOK, MonopolyFacts, add_months, check_monopoly, parse_monopoly_book

BOOK = parse_monopoly_book(DEFAULT_MONOPOLY_BOOK)
AS_OF = date(2026, 7, 1)


def months_ago(n):
    return add_months(AS_OF, -n)


def applicant(level, *, exp, held=None, pay_grade, education, shuangneng=None, publications=(), **more):
    """Someone who meets the row of ``level`` exactly at its thresholds."""
    held_level, held_months = held if held else (None, None)
    return MonopolyFacts(
        employee_no="Z001",
        role_start_date=months_ago(exp),
        pay_grade=pay_grade,
        education=education,
        exams=((date(2026, 5, 20), level, True),),
        law_cert_valid_until=AS_OF,  # valid through the check date
        shuangneng={AS_OF.year - 1: shuangneng} if shuangneng else {},
        publications=tuple(publications),
        qualifications={held_level: months_ago(held_months)} if held_level else {},
        **more,
    )


def check(facts, level):
    return check_monopoly(facts, level, BOOK, AS_OF)


def failed_texts(q):
    return [r.text for r in q.failed]


PROVINCIAL = (date(2025, 3, 1), "省级", "第一作者")
NATIONAL = (date(2024, 3, 1), "国家级", "独著")


# 初级专卖管理员: exp ≥ 12; pay_grade ≤ 10; education ≥ 高中; exam passed; certificate valid; 双能 ≥ 合格

JUNIOR = applicant("初级专卖管理员", exp=12, pay_grade=10, education="中专", shuangneng="合格")


def test_junior_monopoly_level_met_at_the_thresholds():
    q = check(JUNIOR, "初级专卖管理员")
    assert q.met and not q.failed
    assert q.manual == (
        "运用专卖管理基本技能，独立完成常规专卖管理工作",
        "了解市场营销基础理论知识和客户服务基本技能",
    )


def test_junior_monopoly_level_fails_on_pay_grade_11():
    q = check(replace(JUNIOR, pay_grade=11), "初级专卖管理员")
    assert not q.met and failed_texts(q) == ["工资档次 11 档 > 10 档 ✗"]


def test_junior_monopoly_level_fails_on_11_months_of_experience():
    q = check(replace(JUNIOR, role_start_date=months_ago(12).replace(day=2)), "初级专卖管理员")
    assert failed_texts(q) == ["专卖管理工作 11 个月 < 12 个月 ✗"]


# 中级专卖管理员: (大专 and exp ≥ 24 and held 初级 ≥ 12) or (高中 and exp ≥ 48 and held 初级 ≥ 36);
# pay_grade ≤ 9; exam passed; certificate valid; 双能 ≥ 良好

COLLEGE = applicant(
    "中级专卖管理员", exp=24, held=("初级专卖管理员", 12), pay_grade=9, education="大专", shuangneng="良好"
)
HIGH_SCHOOL = replace(
    COLLEGE,
    education="高中",
    role_start_date=months_ago(48),
    qualifications={"初级专卖管理员": months_ago(36)},
)


def test_intermediate_monopoly_level_met_with_college_after_two_years():
    assert check(COLLEGE, "中级专卖管理员").met


def test_intermediate_monopoly_level_met_with_high_school_after_four_years():
    assert check(HIGH_SCHOOL, "中级专卖管理员").met


def test_intermediate_monopoly_level_with_high_school_needs_three_years_of_the_junior_level():
    q = check(replace(HIGH_SCHOOL, qualifications={"初级专卖管理员": months_ago(35)}), "中级专卖管理员")
    assert [r.code for r in q.failed] == ["experience"]
    assert "取得初级专卖管理员资格 35 个月 < 36 个月" in q.failed[0].text


def test_intermediate_monopoly_level_fails_with_a_shuangneng_below_good():
    q = check(replace(COLLEGE, shuangneng={2025: "合格"}), "中级专卖管理员")
    assert failed_texts(q) == ["上年度专卖双能 合格 < 良好 ✗"]


# 高级专卖管理员: exp ≥ 36 and held 中级 ≥ 12; pay_grade ≤ 9; education ≥ 大专; exam; certificate;
# publications ≥ 1

SENIOR = applicant(
    "高级专卖管理员",
    exp=36,
    held=("中级专卖管理员", 12),
    pay_grade=9,
    education="大专",
    publications=[PROVINCIAL],
)


def test_senior_monopoly_level_met_with_one_provincial_first_author_paper():
    assert check(SENIOR, "高级专卖管理员").met


def test_senior_monopoly_level_fails_without_a_counted_publication():
    not_counted = [
        (date(2025, 3, 1), "市级", "独著"),  # city journal
        (date(2025, 3, 1), "国家级", "其他"),  # not sole or first author
        (date(2026, 7, 2), "省级", "独著"),  # after the check date
    ]
    q = check(replace(SENIOR, publications=tuple(not_counted)), "高级专卖管理员")
    assert failed_texts(q) == ["省级及以上刊物论文 0 篇 < 1 篇 ✗"]


def test_senior_monopoly_level_fails_without_the_intermediate_qualification():
    q = check(replace(SENIOR, qualifications={}), "高级专卖管理员")
    assert failed_texts(q) == ["未取得中级专卖管理员资格 ✗"]


# 专卖管理师: exp ≥ 60 and held 高级 ≥ 24; pay_grade ≤ 8; education ≥ 大专; exam; certificate; 双能 ≥ 良好;
# publications ≥ 2

MASTER = applicant(
    "专卖管理师",
    exp=60,
    held=("高级专卖管理员", 24),
    pay_grade=8,
    education="大专",
    shuangneng="良好",
    publications=[PROVINCIAL, PROVINCIAL],
)


def test_monopoly_master_met():
    assert check(MASTER, "专卖管理师").met


def test_monopoly_master_fails_with_23_months_at_the_senior_level():
    q = check(replace(MASTER, qualifications={"高级专卖管理员": months_ago(23)}), "专卖管理师")
    assert failed_texts(q) == ["取得高级专卖管理员资格 23 个月 < 24 个月 ✗"]


# 高级专卖管理师: exp ≥ 96 and held 专卖管理师 ≥ 36; pay_grade ≤ 7; education ≥ 本科; exam; certificate;
# 双能 = 优秀; publications ≥ 3, one of them 国家级

SENIOR_MASTER = applicant(
    "高级专卖管理师",
    exp=96,
    held=("专卖管理师", 36),
    pay_grade=7,
    education="本科",
    shuangneng="优秀",
    publications=[PROVINCIAL, PROVINCIAL, NATIONAL],
)


def test_senior_monopoly_master_met():
    assert check(SENIOR_MASTER, "高级专卖管理师").met


def test_senior_monopoly_master_needs_a_national_publication():
    q = check(replace(SENIOR_MASTER, publications=(PROVINCIAL,) * 3), "高级专卖管理师")
    assert failed_texts(q) == ["国家级刊物论文 0 篇 < 1 篇 ✗"]


def test_senior_monopoly_master_needs_an_excellent_shuangneng():
    q = check(replace(SENIOR_MASTER, shuangneng={2025: "良好"}), "高级专卖管理师")
    assert failed_texts(q) == ["上年度专卖双能 良好 ≠ 优秀 ✗"]


# the inputs, at the check date


def test_shuangneng_is_the_rating_of_the_previous_year():
    q = check(replace(JUNIOR, shuangneng={2026: "优秀", 2024: "优秀"}), "初级专卖管理员")
    assert failed_texts(q) == ["缺少上年度专卖双能考核等次 ✗"]


def test_the_exam_must_be_for_this_level_passed_and_not_after_the_check_date():
    other_level = replace(JUNIOR, exams=((date(2026, 1, 1), "中级专卖管理员", True),))
    assert failed_texts(check(other_level, "初级专卖管理员")) == ["缺少本级等级考试合格记录 ✗"]
    failed = replace(JUNIOR, exams=((date(2026, 1, 1), "初级专卖管理员", False),))
    assert failed_texts(check(failed, "初级专卖管理员")) == ["本级等级考试 未通过 ✗"]
    later = replace(JUNIOR, exams=((date(2026, 7, 2), "初级专卖管理员", True),))
    assert not check(later, "初级专卖管理员").met
    retaken = replace(
        JUNIOR,
        exams=((date(2025, 1, 1), "初级专卖管理员", False), (date(2026, 1, 1), "初级专卖管理员", True)),
    )
    assert check(retaken, "初级专卖管理员").met


def test_the_certificate_must_be_valid_on_the_check_date():
    expired = replace(JUNIOR, law_cert_valid_until=date(2026, 6, 30))
    assert failed_texts(check(expired, "初级专卖管理员")) == ["执法资格 已过期（有效期至 2026-06-30） ✗"]
    assert failed_texts(check(replace(JUNIOR, law_cert_valid_until=None), "初级专卖管理员")) == [
        "缺少执法资格 ✗"
    ]


def test_a_qualification_granted_after_the_check_date_is_not_held():
    q = check(replace(SENIOR, qualifications={"中级专卖管理员": date(2026, 7, 2)}), "高级专卖管理员")
    assert failed_texts(q) == ["未取得中级专卖管理员资格 ✗"]


def test_missing_inputs_fail_and_say_so():
    q = check(MonopolyFacts(employee_no="Z002"), "初级专卖管理员")
    assert not q.met
    assert failed_texts(q) == [
        "缺少本岗位起始日期 ✗",
        "缺少工资档次 ✗",
        "缺少学历 ✗",
        "缺少本级等级考试合格记录 ✗",
        "缺少执法资格 ✗",
        "缺少上年度专卖双能考核等次 ✗",
    ]
    assert q.gap.startswith("缺少本岗位起始日期；缺少工资档次")


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="未知的专卖管理员等级"):
        check(JUNIOR, "特级专卖管理员")
