"""A bureau for the 申报 tests: 甲市局 (with 甲县局) and 乙市局, the default rule books, the logins
of SPEC 1 in 甲市局, and 专卖管理员 who meet every automatic condition of 中级专卖管理员 at the
round's check date (2026-10-31). The workflow's clock says 2026-10-12 unless a test moves it."""

from datetime import date

import pytest
from bureau import make_employee, make_tree, make_user

from jinjie.approvals import clock
from jinjie.org.models import Role
from jinjie.people.models import AnnualRating, Qualification, TrainingRecord
from jinjie.rulebooks.services import rulebook_load_defaults

OPENS, CLOSES = date(2026, 10, 1), date(2026, 10, 31)


@pytest.fixture
def today(monkeypatch):
    def set_today(day: date) -> date:
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    set_today(date(2026, 10, 12))
    return set_today


@pytest.fixture
def tree(db):
    rulebook_load_defaults()
    return make_tree()


def monopoly_admin(unit, no: str, name: str = "", *, held=("初级专卖管理员",), **extra):
    """A 专卖管理员 meeting every automatic condition of the level after `held` on 2026-10-31:
    大专, in the role since 2022, 初级 held since 2024-06, pay grade 9, the exam passed, the
    certificate valid, 双能 2025 良好."""
    values = dict(
        track="专卖管理员", current_rank=held[-1] if held else "见习", role_start_date=date(2022, 1, 1),
        education="大专", pay_grade=9, law_cert_valid_until=date(2027, 12, 31),
    )
    e = make_employee(unit, no, name or f"专管{no}", **(values | extra))
    for n, level in enumerate(held):
        Qualification.objects.create(employee=e, level=level, granted_date=date(2024 - len(held) + 1 + n, 6, 1))
    following = ("初级专卖管理员", "中级专卖管理员", "高级专卖管理员")[len(held)]
    TrainingRecord.objects.create(employee=e, date=date(2026, 5, 1), kind="等级考试", level=following, score=85, passed=True)
    AnnualRating.objects.create(employee=e, year=2025, kind="专卖双能", rating="良好")
    return e


@pytest.fixture
def people(tree):
    a, b = tree["county_a"], tree["city_b"]
    return {
        "li": monopoly_admin(a, "M001", "李专管"),
        "zhou": monopoly_admin(a, "M002", "周专管"),
        "wu": monopoly_admin(a, "M003", "吴专管"),
        "wang": monopoly_admin(b, "M101", "王专管"),
    }


@pytest.fixture
def logins(tree, people):
    a = tree["city_a"]
    return {
        "hr": make_user("hr", Role.HR, a, first_name="人事"),
        "hr_b": make_user("hr_b", Role.HR, tree["city_b"]),
        "reviewer": make_user("zhuanmai", Role.TRACK_REVIEWER, a, track="市场管理员", first_name="专卖科"),
        "reviewer2": make_user("zhuanmai2", Role.TRACK_REVIEWER, a, track="市场管理员"),
        "cm_reviewer": make_user("yingxiao", Role.TRACK_REVIEWER, a, track="客户经理"),
        "committee": make_user("committee", Role.COMMITTEE, a),
        "li": make_user("li", Role.EMPLOYEE, tree["county_a"], employee=people["li"]),
        "zhou": make_user("zhou", Role.EMPLOYEE, tree["county_a"], employee=people["zhou"]),
        "wang": make_user("wang", Role.EMPLOYEE, tree["city_b"], employee=people["wang"]),
    }


@pytest.fixture
def round_(tree, logins, today):
    """A round of 甲市局 opening 中级专卖管理员, 2026-10-01 … 10-31, checked at the close."""
    from jinjie.applications.services import round_open

    return round_open(
        actor=logins["hr"], title="2026年第四季度专卖管理员等级申报", org_unit=tree["city_a"],
        levels=["中级专卖管理员", "高级专卖管理员"], opens=OPENS, closes=CLOSES, today=date(2026, 9, 20),
    )
