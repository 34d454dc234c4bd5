"""GET /api/me/ for a 专卖管理员: monopoly_gap, the conditions of the next level to apply for (SPEC 3, 5)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jinjie.org.models import Role
from jinjie.people.models import AnnualRating, Qualification, TrainingRecord
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.selectors import parsed_rulebook, rulebook_in_force

from .conftest import make_employee, make_user

pytestmark = pytest.mark.django_db

LEVELS = ("初级专卖管理员", "中级专卖管理员", "高级专卖管理员", "专卖管理师", "高级专卖管理师")


def years_ago(n: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - n, day=min(today.day, 28))


def monopoly_admin(unit, no, *, held=("初级专卖管理员",), shuangneng="良好"):
    """Every automatic condition of 中级专卖管理员 (大专, 4 years, 初级 for 2 years, pay grade 9, exam,
    certificate) with the 双能 rating given; the higher levels, when held, a year apart."""
    today = timezone.localdate()
    e = make_employee(unit, no, f"专管{no}", track="专卖管理员", current_rank=held[-1] if held else "",
                      role_start_date=years_ago(4), education="大专", pay_grade=9,
                      law_cert_valid_until=today + timedelta(days=365))
    for n, level in enumerate(held):
        Qualification.objects.create(employee=e, level=level, granted_date=years_ago(2 + len(held) - 1 - n))
    TrainingRecord.objects.create(employee=e, date=today - timedelta(days=30), kind="等级考试",
                                  level="中级专卖管理员", score=85, passed=True)
    if shuangneng:
        AnnualRating.objects.create(employee=e, year=today.year - 1, kind="专卖双能", rating=shuangneng)
    return e


def me(employee, **query):
    client = APIClient()
    client.force_authenticate(make_user(f"u{employee.employee_no}", Role.EMPLOYEE, employee.org_unit, employee=employee))
    return client.get("/api/me/", query)


def test_a_monopoly_administrator_meeting_every_automatic_condition(rulebooks, tree):
    response = me(monopoly_admin(tree["county_a"], "M001"))
    assert response.status_code == 200, response.data
    gap = response.data["monopoly_gap"]
    assert gap["level"] == "中级专卖管理员"
    assert gap["met"] is True and gap["gap"] == ""
    assert [r["code"] for r in gap["reasons"]] == ["experience", "pay_grade", "level_exam", "law_cert", "shuangneng"]
    assert all(r["passed"] for r in gap["reasons"])
    book = parsed_rulebook(rulebook_in_force(kind=BookKind.MONOPOLY, on=timezone.localdate()))
    assert gap["manual"] == list(book.level("中级专卖管理员").manual) and gap["manual"]
    assert gap["held"] == [{"level": "初级专卖管理员", "granted_date": years_ago(2).isoformat()}]
    assert gap["as_of"] == timezone.localdate().isoformat()
    assert gap["note"] == ""


def test_a_missing_shuangneng_rating_is_the_gap(rulebooks, tree):
    gap = me(monopoly_admin(tree["county_a"], "M002", shuangneng=None)).data["monopoly_gap"]
    assert gap["level"] == "中级专卖管理员" and gap["met"] is False
    assert [r["code"] for r in gap["reasons"] if not r["passed"]] == ["shuangneng"]
    assert gap["gap"] == "缺少上年度专卖双能考核等次"
    assert gap["manual"]


def test_the_top_level_has_no_next_level(rulebooks, tree):
    gap = me(monopoly_admin(tree["county_a"], "M003", held=LEVELS)).data["monopoly_gap"]
    assert (gap["level"], gap["met"], gap["reasons"], gap["manual"], gap["gap"]) == (None, None, [], [], "")
    assert gap["note"] == "已取得最高等级 高级专卖管理师，没有可申报的下一等级"
    assert [h["level"] for h in gap["held"]] == list(LEVELS)


def test_the_next_level_follows_the_highest_held_whatever_the_order_stored(rulebooks, tree):
    e = monopoly_admin(tree["county_a"], "M004", held=())
    for n, level in enumerate(reversed(LEVELS[:3])):  # stored highest first
        Qualification.objects.create(employee=e, level=level, granted_date=years_ago(2 + n))
    gap = me(e).data["monopoly_gap"]
    assert gap["level"] == "专卖管理师" and gap["met"] is False
    assert [h["level"] for h in gap["held"]] == list(LEVELS[:3])


def test_a_level_granted_after_the_check_date_is_not_yet_held(rulebooks, tree):
    e = monopoly_admin(tree["county_a"], "M005")  # 初级 granted two years ago
    before = years_ago(3)
    gap = me(e, as_of=before.isoformat()).data["monopoly_gap"]
    assert gap["as_of"] == before.isoformat()
    assert gap["held"] == [] and gap["level"] == "初级专卖管理员"
    assert gap["met"] is False  # a year in the role, and the exam was taken later


def test_a_bad_check_date_is_a_400_in_chinese(rulebooks, tree):
    response = me(monopoly_admin(tree["county_a"], "M006"), as_of="2026-13-01")
    assert response.status_code == 400
    assert "as_of" in response.data["detail"] and "日期格式错误" in response.data["detail"]


def test_ladder_employees_have_no_monopoly_gap_and_keep_their_grade_gap(client_for, rulebooks, staff):
    data = client_for(Role.EMPLOYEE).get("/api/me/", {"period": "2026Q3"}).data
    assert data["monopoly_gap"] is None
    assert [t["target"] for t in data["gap"]["targets"]] == ["初级A", "中级C"]
    data = client_for("employee_li").get("/api/me/", {"period": "2026Q3"}).data  # 市场管理员
    assert data["monopoly_gap"] is None and data["gap"]["current_rank"] == "中级C"


def test_the_next_level_follows_the_highest_held_even_when_a_lower_one_is_not_on_file(rulebooks, tree):
    # Imported history may start at 中级: the next level is still 高级, not 中级 again.
    gap = me(monopoly_admin(tree["county_a"], "M007", held=("中级专卖管理员",))).data["monopoly_gap"]
    assert gap["level"] == "高级专卖管理员"
