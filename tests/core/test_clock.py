"""The day everything decides by: the real date, or a demo's JINJIE_TODAY (never in production)."""

from datetime import date

from django.utils import timezone

from jinjie.approvals import clock as workflow_clock
from jinjie.core import clock
from jinjie.evaluations.qualify import latest_complete_period
from jinjie.rules.calendar import Period


def test_without_a_setting_it_is_the_real_date_in_shanghai(settings):
    settings.JINJIE_TODAY = None
    assert clock.today() == timezone.localdate() == workflow_clock.today()


def test_a_demo_may_move_the_day_and_everything_follows(settings):
    settings.JINJIE_TODAY = "2026-10-10"
    assert clock.today() == date(2026, 10, 10) == workflow_clock.today()
    assert latest_complete_period() == Period(2026, 3)
    settings.JINJIE_TODAY = "2027-01-05"
    assert latest_complete_period() == Period(2026, 4)
