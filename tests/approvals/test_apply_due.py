"""Taking effect (生效): `apply_due` and `jinjie apply-due` — idempotent, bulk, recorded."""

import time
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from jinjie.approvals.models import Notice, NoticeItem, ProposalTransition
from jinjie.approvals.services import apply_due
from jinjie.evaluations.models import Proposal
from jinjie.people.models import Employee, RankChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(today, employee, submitted, advance):
    """A grade-up within 初级 confirmed on 2026-10-08: effective 2026-10-09."""
    today(date(2026, 10, 8))
    emp = employee("周九", rank="初级B")
    return advance(submitted(emp, "初级A"))


def test_running_apply_due_twice_applies_once(approved):
    assert apply_due(today=date(2026, 10, 9)).applied == 1
    again = apply_due(today=date(2026, 10, 9))
    assert (again.applied, again.notices_closed, again.voided) == (0, 0, [])
    assert RankChange.objects.filter(employee=approved.employee).count() == 1
    assert ProposalTransition.objects.filter(proposal=approved, event="apply").count() == 1


def test_a_proposal_is_applied_on_its_effective_date_or_any_later_run(approved):
    assert apply_due(today=date(2026, 10, 8)).applied == 0
    result = apply_due(today=date(2026, 11, 30))  # the cron did not run for weeks
    assert result.applied_ids == [approved.pk]
    change = RankChange.objects.get(employee=approved.employee)
    assert change.effective_date == date(2026, 10, 9)  # the day it became due, not the day of the run
    assert change.reason == f"2026Q3 测评晋档（建议 #{approved.pk}）"


def test_apply_due_uses_the_workflow_clock_by_default(today, approved):
    today(date(2026, 10, 9))
    assert apply_due().applied == 1


def test_a_proposal_whose_from_rank_is_no_longer_current_is_voided_not_applied(today, staff, approved):
    emp = approved.employee
    Employee.objects.filter(pk=emp.pk).update(current_rank="初级C")  # e.g. an immediate demotion took effect first
    result = apply_due(today=date(2026, 10, 9))
    assert result.applied == 0
    assert result.voided == [(approved.pk, "周九：员工现职级为初级C，不是建议的原职级初级B，建议作废")]
    approved.refresh_from_db()
    assert approved.state == "rejected"
    assert not RankChange.objects.filter(employee=emp).exists()


def test_a_rank_change_already_recorded_on_that_day_voids_the_proposal(approved):
    RankChange.objects.create(employee=approved.employee, effective_date=date(2026, 10, 9), from_rank="初级B", to_rank="初级B")
    result = apply_due(today=date(2026, 10, 9))
    assert result.applied == 0 and "已有职级变动记录" in result.voided[0][1]


def test_the_command_takes_a_date_and_reports_in_chinese(approved, capsys):
    call_command("apply_due", "--date", "2026-10-08")
    assert "生效 0 项" in capsys.readouterr().out
    call_command("apply_due", "--date", "2026-10-09")
    assert "2026-10-09：公示期满 0 项，生效 1 项" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("apply_due", "--date", "10/09/2026")


def test_a_thousand_due_proposals_take_a_handful_of_queries(book, units, staff, django_assert_max_num_queries):
    n = 1000
    Employee.objects.bulk_create(
        Employee(employee_no=f"B{i:05d}", name=f"批量{i}", org_unit=units["county"], track="客户经理",
                 role_start_date=date(2019, 1, 1), current_rank="中级C", rank_since=date(2026, 1, 1))
        for i in range(n)
    )
    employees = list(Employee.objects.filter(employee_no__startswith="B").order_by("pk"))
    half = n // 2
    Proposal.objects.bulk_create(
        Proposal(period="2026Q3", employee=e, from_rank="中级C", to_rank="中级B", move="grade_up",
                 route=["committee", "leader"], rulebook=book, state="approved", step_index=1,
                 effective_date=date(2026, 10, 9))
        for e in employees[:half]
    )
    Proposal.objects.bulk_create(
        Proposal(period="2026Q3", employee=e, from_rank="中级C", to_rank="中级A", move="skip_grade",
                 route=["committee", "leader", "notice"], rulebook=book, state="on_notice", step_index=2)
        for e in employees[half:]
    )
    notice = Notice.objects.create(org_unit=units["city"], title="批量公示", published_on=date(2026, 9, 28),
                                   start_date=date(2026, 9, 29), end_date=date(2026, 10, 5), days=7,
                                   day_kind="calendar", published_by=staff["committee"])
    NoticeItem.objects.bulk_create(
        NoticeItem(notice=notice, proposal=p, position=i, name=p.employee.name, unit_name="青山县局",
                   from_rank="中级C", to_rank="中级A", move_label="跳档")
        for i, p in enumerate(Proposal.objects.filter(state="on_notice").select_related("employee"), start=1)
    )
    started = time.perf_counter()
    # 13 statements whatever n; SQLite's 999-parameter limit splits the bulk ones into batches.
    with django_assert_max_num_queries(60) as captured:
        result = apply_due(today=date(2026, 10, 9))
    elapsed = time.perf_counter() - started
    print(f"\napply_due: {n} due proposals ({half} notices closed) in {len(captured)} queries, {elapsed:.2f}s")
    assert (result.notices_closed, result.applied) == (half, n)
    assert RankChange.objects.count() == n
    assert Employee.objects.filter(current_rank="中级B").count() == half
    assert Employee.objects.filter(current_rank="中级A", rank_since=date(2026, 10, 6)).count() == half
    assert apply_due(today=date(2026, 10, 9)).applied == 0
