"""我的职业发展 for a 专卖管理员: the conditions of the next monopoly level to apply for (SPEC 3, 5)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jinjie.org.models import Role
from jinjie.people.models import AnnualRating, Qualification, TrainingRecord
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import parsed_rulebook, rulebook_in_force

from .conftest import make_employee, make_user

pytestmark = pytest.mark.django_db


def years_ago(n: int) -> date:
    # The checks run at today's date (Asia/Shanghai): the records are placed relative to it.
    today = timezone.localdate()
    return today.replace(year=today.year - n, day=min(today.day, 28))


def monopoly_admin(unit, no, *, held=("初级专卖管理员",), shuangneng="良好", exam_for="中级专卖管理员"):
    """A 专卖管理员 with every automatic condition of 中级专卖管理员: 大专, 4 years in the role,
    初级 held 2 years, pay grade 9, the exam passed, the certificate valid, 双能 as given."""
    today = timezone.localdate()
    e = make_employee(unit, no, f"专管{no}", track="专卖管理员", current_rank=held[-1] if held else "",
                      role_start_date=years_ago(4), education="大专", pay_grade=9,
                      law_cert_valid_until=today + timedelta(days=365))
    for n, level in enumerate(held):
        Qualification.objects.create(employee=e, level=level, granted_date=years_ago(2 + len(held) - 1 - n))
    TrainingRecord.objects.create(employee=e, date=today - timedelta(days=30), kind="等级考试", level=exam_for,
                                  score=85, passed=True)
    if shuangneng:
        AnnualRating.objects.create(employee=e, year=today.year - 1, kind="专卖双能", rating=shuangneng)
    return e


def career_page(employee) -> str:
    client = Client()
    client.force_login(make_user(f"u{employee.employee_no}", Role.EMPLOYEE, employee.org_unit, employee=employee))
    response = client.get(reverse("web:career"))
    assert response.status_code == 200
    return response.content.decode()


def manual_items(level: str) -> tuple[str, ...]:
    book = parsed_rulebook(rulebook_in_force(kind=BookKind.MONOPOLY, on=timezone.localdate()))
    return book.level(level).manual


def test_a_monopoly_administrator_meeting_every_automatic_condition_sees_the_manual_items(rulebooks, tree):
    page = career_page(monopoly_admin(tree["county_a"], "M001"))
    assert "申报 中级专卖管理员 的条件" in page
    assert "条件已全部满足" in page
    assert "可以申报 中级专卖管理员：自动核对的条件已全部满足" in page
    assert "还差：" not in page
    # Every automatic condition is a row with its verdict: none fails.
    for label in ("工资档次", "本级等级考试", "执法资格", "上年度专卖双能考核"):
        assert f"<td>{label}</td>" in page
    assert "verdict-fail" not in page and page.count("verdict-pass") == 5
    # The manual items are listed for the reviewers, not computed.
    assert manual_items("中级专卖管理员")
    for item in manual_items("中级专卖管理员"):
        assert item in page
    assert "需评审认定" in page
    # The levels held, with their dates.
    assert f"初级专卖管理员（{years_ago(2):%Y-%m-%d} 取得）" in page
    # The ladder's grades mean nothing to them: no ladder card, no "only ladder tracks" note.
    assert 'id="gap"' not in page
    assert "仅在岗的客户经理、市场管理员参加职级测评" not in page


def test_a_monopoly_administrator_without_a_shuangneng_rating_sees_what_is_missing(rulebooks, tree):
    page = career_page(monopoly_admin(tree["county_a"], "M002", shuangneng=None))
    assert "申报 中级专卖管理员 的条件" in page
    assert "尚差 1 项" in page
    assert "还差：缺少上年度专卖双能考核等次" in page
    assert page.count("还差：") == 1
    assert "可以申报" not in page
    # The manual items are still listed: the reviewers judge them whatever the automatic result.
    for item in manual_items("中级专卖管理员"):
        assert item in page


def test_a_low_shuangneng_rating_is_named_with_the_rating_required(rulebooks, tree):
    page = career_page(monopoly_admin(tree["county_a"], "M003", shuangneng="合格"))
    assert "还差：上年度专卖双能 合格 &lt; 良好" in page


def test_the_top_level_has_nothing_to_apply_for(rulebooks, tree):
    levels = ("初级专卖管理员", "中级专卖管理员", "高级专卖管理员", "专卖管理师", "高级专卖管理师")
    page = career_page(monopoly_admin(tree["county_a"], "M004", held=levels))
    assert "已取得最高等级 高级专卖管理师，没有可申报的下一等级" in page
    assert "<th>条件</th>" not in page and "还差：" not in page and "需评审认定" not in page
    assert "高级专卖管理师（" in page


def test_someone_without_any_level_applies_for_the_first(rulebooks, tree):
    page = career_page(monopoly_admin(tree["county_a"], "M005", held=(), exam_for="初级专卖管理员"))
    assert "申报 初级专卖管理员 的条件" in page
    assert "尚未取得专卖管理员等级" in page


def test_ladder_employees_keep_the_grade_gap(client_for, staff, rulebooks, today):
    page = client_for(Role.EMPLOYEE).get(reverse("web:career")).content.decode()
    assert 'id="gap"' in page and "晋升至 中级C" in page
    assert 'id="monopoly-gap"' not in page and "申报" not in page
