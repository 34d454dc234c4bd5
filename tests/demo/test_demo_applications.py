"""`jinjie demo` has an open round of 专卖管理员 applications in several states, and yuangong3 can apply."""

from collections import Counter
from datetime import date, timedelta

import pytest

from jinjie.applications.models import Application, ApplicationRound
from jinjie.applications.selectors import status_of
from jinjie.applications.services import application_apply
from jinjie.approvals import clock
from jinjie.demo.services import demo_create
from jinjie.org.models import User

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


@pytest.fixture
def demo(monkeypatch):
    demo_create(employees=60, seed=7, today=TODAY)
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def test_one_round_is_open_and_one_closed_with_applications_in_every_state(demo):
    past, now = ApplicationRound.objects.order_by("opens")
    assert (past.closes, past.closed_on, past.closed_by) == (TODAY - timedelta(days=5), TODAY - timedelta(days=4), None)
    assert now.opens == TODAY <= now.closes and now.closed_at is None
    assert now.levels == ["中级专卖管理员", "高级专卖管理员"]
    statuses = Counter(status_of(a) for a in Application.objects.select_related("proposal"))
    assert set(statuses) == {"submitted", "withdrawn", "ineligible", "rejected", "reviewed", "in_route", "checked"}
    assert statuses["submitted"] == 2


def test_yuangong3_has_not_applied_and_can(demo):
    login = User.objects.get(username="yuangong3")
    now = ApplicationRound.objects.get(closed_at__isnull=True)
    assert not Application.objects.filter(employee=login.employee).exists()
    a = application_apply(actor=login, round=now, employee=login.employee)
    assert (a.state, a.level) == ("submitted", "中级专卖管理员")
