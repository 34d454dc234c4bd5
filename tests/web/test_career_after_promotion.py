"""我的职业发展 around a promotion: pay now beside pay from next month while a change is pending, the
next grade's card saying what the period rule still requires, and what is pending listed first."""

from datetime import date

import pytest
from django.urls import reverse

from jinjie.approvals.pay import pay_pending
from jinjie.approvals.services import apply_due, notice_publish, proposal_decide, proposal_submit
from jinjie.evaluations import qualify
from jinjie.evaluations.qualify import ladder_gap
from jinjie.org.models import Role
from jinjie.rules.calendar import Period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _period(monkeypatch):
    monkeypatch.setattr(qualify, "latest_complete_period", lambda today=None: Period(2026, 3))


@pytest.fixture
def approved(evaluated, users, today):
    """赵六's grade-up 初级B → 初级A, confirmed by the track reviewer on 2026-10-16: effective 2026-10-17."""
    zhao = evaluated["A002"]
    today(date(2026, 10, 16))
    proposal_submit(proposals=[zhao], actor=users[Role.COMMITTEE])
    proposal_decide(proposal=zhao, actor=users[Role.TRACK_REVIEWER], decision="approve")
    zhao.refresh_from_db()
    assert (zhao.state, zhao.effective_date) == ("approved", date(2026, 10, 17))
    return zhao


@pytest.fixture
def promoted(evaluated, users, tree, today):
    """张三's level-up 初级A → 中级C through its notice (2026-10-10 … 10-16), in effect from 2026-10-17."""
    committee = users[Role.COMMITTEE]
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=committee)
    proposal_decide(proposal=zhang, actor=committee, decision="approve")
    proposal_decide(proposal=zhang, actor=users[Role.LEADER], decision="approve")
    notice_publish(org_unit=tree["city_a"], proposals=[zhang], actor=committee)
    assert apply_due(today=date(2026, 10, 17)).applied_ids == [zhang.pk]
    return zhang


def test_an_approved_change_shows_the_pay_from_next_month_beside_the_pay_now(client_for, approved, staff):
    pending = pay_pending(employee=staff["zhao"], today=date(2026, 10, 16))
    assert (pending.from_date, pending.rank, pending.monthly_pay) == (date(2026, 11, 1), "初级A", 2800)
    page = client_for("employee_zhao").get(reverse("web:career")).content.decode()
    assert "2,600.00" in page  # 初级B: 2000 × 1.3, paid now
    assert "自 2026年11月1日 起：2,800.00 元（初级A）" in page
    assert "晋升/降级已批准，2026-10-17 生效" in page


def test_once_in_effect_the_new_pay_is_still_announced_until_its_month(client_for, approved, staff, today):
    apply_due(today=date(2026, 10, 17))
    today(date(2026, 10, 20))
    page = client_for("employee_zhao").get(reverse("web:career")).content.decode()
    assert 'id="current-rank">初级A' in page and "2,600.00" in page
    assert "自 2026年11月1日 起：2,800.00 元（初级A）" in page and "职级自 2026-10-17 起为初级A" in page
    today(date(2026, 11, 1))
    page = client_for("employee_zhao").get(reverse("web:career")).content.decode()
    assert "2,800.00" in page and 'id="next-pay"' not in page
    assert pay_pending(employee=staff["zhao"], today=date(2026, 11, 1)) is None


def test_after_a_promotion_the_next_grade_says_the_period_rule_not_all_met(client_for, promoted, staff, today):
    staff["zhang"].refresh_from_db()
    gap = ladder_gap(employee=staff["zhang"], period="2026Q3")
    assert gap.current_rank == "中级C" and gap.targets[0].target == "中级B" and gap.targets[0].met
    assert gap.first_period == Period(2027, 1)
    assert gap.period_rule == "需任现职级满一个完整测评期：自 2026-10-17 起任中级C，最早参加 2027Q1 的测评"
    today(date(2026, 10, 20))
    page = client_for(Role.EMPLOYEE).get(reverse("web:career")).content.decode()
    card = page[page.index('id="gap"'):page.index('id="gap"') + 3000]
    assert "需任现职级满一个完整测评期" in card and "条件已全部满足" not in card
    assert "最早参加 2027Q1 的测评" in card


def test_a_rank_held_since_the_period_start_needs_no_such_note(staff, rulebooks):
    gap = ladder_gap(employee=staff["zhao"], period="2026Q3")  # 初级B since 2026-01-01
    assert gap.period_rule == "" and gap.first_period is None


def test_what_is_pending_comes_first_in_the_page(client_for, approved):
    page = client_for("employee_zhao").get(reverse("web:career")).content.decode()
    assert 'id="pending-proposals"' in page and "已批准，2026-10-17 生效" in page
    side = page.index('id="career-side"')
    assert 'class="col-xl-5 order-first order-xl-last"' in page[side - 60:side]
