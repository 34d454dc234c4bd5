"""Who holds a management post on the period's last day leaves the quarterly evaluation (SPEC 4),
their ladder rank kept, listed on the run as 管理岗, 不参加测评 — in the same number of queries."""

from datetime import date

import pytest
from django.core.management import call_command

from jinjie.evaluations.facts import load_ladder_facts
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.qualify import ladder_gap
from jinjie.evaluations.services import evaluation_run
from jinjie.people.models import PostAssignment, PostRelease
from jinjie.rules.calendar import Period

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2026Q3")


def _post(employee, unit, start, end=None):
    post = PostAssignment.objects.create(employee=employee, post="客服部主任", org_unit=unit, start_date=start)
    if end is not None:
        PostRelease.objects.create(assignment=post, end_date=end, reason="调任")
    return post


def test_a_holder_on_the_last_day_is_left_out_and_listed(make, tree):
    held = make("M1", tree["county"], rank="中级C", scores=(85, 86, 84), training=70)
    appointed_late = make("M2", tree["county"], rank="初级B", scores=(85, 86, 84), training=70)
    released = make("M3", tree["county"], rank="初级B", scores=(85, 86, 84), training=70)
    future = make("M4", tree["county"], rank="初级B", scores=(85, 86, 84), training=70)
    _post(held, tree["city"], date(2025, 1, 1))
    _post(appointed_late, tree["city"], date(2026, 9, 30))  # the period's last day
    _post(released, tree["city"], date(2025, 1, 1), end=date(2026, 9, 1))  # back on the ladder by then
    _post(future, tree["city"], date(2026, 10, 1))
    loaded = load_ladder_facts(period=Q3, org_unit=tree["city"])
    assert sorted(loaded.facts) == sorted([released.pk, future.pk])
    assert loaded.managers == [(held.pk, "M1", "客服部主任"), (appointed_late.pk, "M2", "客服部主任")]


def test_the_run_records_them_and_the_command_says_how_many(make, tree, capsys):
    held = make("M1", tree["county"], rank="中级C", scores=(85, 86, 84), training=70)
    other = make("M2", tree["county"], rank="初级B", scores=(85, 86, 84), training=70)
    _post(held, tree["city"], date(2025, 1, 1))
    run = evaluation_run(period=Q3, org_unit=tree["city"])
    assert run.managers == [{"employee_no": "M1", "post": "客服部主任"}]
    assert sum(run.counts.values()) == 1
    assert not Proposal.objects.filter(employee=held).exists() and Proposal.objects.filter(employee=other).exists()
    held.refresh_from_db()
    assert held.current_rank == "中级C"  # the ladder rank is kept
    call_command("evaluate", "--period", "2026Q3", "--org", tree["city"].path)
    assert "管理岗, 不参加测评：1 人" in capsys.readouterr().out


def test_the_holders_own_gap_page_says_why(make, tree):
    held = make("M1", tree["county"], rank="中级C", scores=(85, 86, 84), training=70)
    _post(held, tree["city"], date(2025, 1, 1))
    gap = ladder_gap(employee=held, period=Q3)
    assert gap.targets == () and gap.note == "担任管理岗位（客服部主任），不参加职级测评"
