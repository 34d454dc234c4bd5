"""The record tells the truth: a notice that ends after dismissed objections says so in its `notice`
step and in the proposal's history ("公示期满；异议 1 件，已驳回"), never "无异议"."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.approvals.models import (
    ApprovalStep,
    Notice,
    NoticeItem,
    Objection,
    ObjectionResolution,
    ProposalTransition,
)
from jinjie.approvals.services import apply_due, objection_file, objection_resolve
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role
from jinjie.people.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues(user, employee):
    return [user(f"colleague{i}", Role.EMPLOYEE, unit="county", employee=employee(f"同事{i}")) for i in range(2)]


def _closing_record(p):
    step = ApprovalStep.objects.filter(proposal=p, step="notice").latest("sequence")
    entry = ProposalTransition.objects.filter(proposal=p, event__in=("close", "close_continue")).latest("id")
    return step, entry


def test_a_notice_that_ends_after_a_dismissed_objection_says_so(today, staff, on_notice, colleagues):
    p, _ = on_notice
    today(date(2026, 10, 2))
    objection = objection_file(notice_item=p.notice_item, filer=colleagues[0], text="该同志七月有投诉未登记")
    objection_resolve(objection=objection, actor=staff["committee"], upheld=False, reason="经核实不属实")

    assert apply_due(today=date(2026, 10, 6)).notices_closed == 1
    step, entry = _closing_record(p)
    assert step.comment == "公示期满；异议 1 件，已驳回（2026-09-29 至 2026-10-05）"
    assert entry.note.startswith("公示期满；异议 1 件，已驳回") and entry.note.endswith("2026-10-06 生效")
    assert "无异议" not in step.comment + entry.note


def test_two_dismissed_objections_are_both_counted(today, staff, on_notice, colleagues):
    p, _ = on_notice
    today(date(2026, 10, 2))
    for filer in colleagues:
        objection = objection_file(notice_item=p.notice_item, filer=filer, text=f"{filer.username} 的异议")
        objection_resolve(objection=objection, actor=staff["committee"], upheld=False, reason="不属实")
    apply_due(today=date(2026, 10, 6))
    step, entry = _closing_record(p)
    assert "异议 2 件，已驳回" in step.comment and "异议 2 件，已驳回" in entry.note


def test_dismissed_after_the_notice_ended_the_ruling_closes_it_and_says_so(today, staff, on_notice, colleagues):
    p, _ = on_notice
    today(date(2026, 10, 2))
    objection = objection_file(notice_item=p.notice_item, filer=colleagues[0], text="有异议，请核实")
    apply_due(today=date(2026, 10, 8))  # the notice ended on 10-05 with the objection still open
    today(date(2026, 10, 9))
    objection_resolve(objection=objection, actor=staff["committee"], upheld=False, reason="不属实")
    step, entry = _closing_record(p)
    assert step.comment == "公示期满；异议 1 件，已驳回（2026-09-29 至 2026-10-05）"
    assert "无异议" not in entry.note and "2026-10-10 生效" in entry.note


def test_a_notice_without_objections_ends_with_none(today, on_notice):
    p, _ = on_notice
    apply_due(today=date(2026, 10, 6))
    step, entry = _closing_record(p)
    assert step.comment == "公示期满，无异议（2026-09-29 至 2026-10-05）"


def test_counting_the_dismissed_objections_adds_no_query_per_proposal(book, units, staff):
    """apply_due closes 3 or 60 ended notices, each with a dismissed objection, in the same number of queries."""

    def closing(n: int, prefix: str) -> int:
        employees = Employee.objects.bulk_create(
            Employee(employee_no=f"{prefix}{i:04d}", name=f"员工{prefix}{i}", org_unit=units["county"], track="客户经理",
                     role_start_date=date(2019, 1, 1), current_rank="中级C", rank_since=date(2026, 1, 1))
            for i in range(n)
        )
        employees = list(Employee.objects.filter(employee_no__startswith=prefix).order_by("pk"))
        Proposal.objects.bulk_create(
            Proposal(period="2026Q3", employee=e, from_rank="中级C", to_rank="中级A", move="skip_grade",
                     route=["committee", "leader", "notice"], rulebook=book, state="on_notice", step_index=2)
            for e in employees
        )
        notice = Notice.objects.create(org_unit=units["city"], title=f"公示{prefix}", published_on=date(2026, 9, 28),
                                       start_date=date(2026, 9, 29), end_date=date(2026, 10, 5), days=7,
                                       day_kind="calendar", published_by=staff["committee"])
        proposals = list(Proposal.objects.filter(employee__employee_no__startswith=prefix).order_by("pk"))
        items = NoticeItem.objects.bulk_create(
            NoticeItem(notice=notice, proposal=p, position=i, name=p.employee.name, unit_name="青山县局",
                       from_rank="中级C", to_rank="中级A", move_label="跳档")
            for i, p in enumerate(proposals, start=1)
        )
        objections = Objection.objects.bulk_create(
            Objection(notice_item=item, proposal=item.proposal, filer=staff["hr"], text="异议") for item in items
        )
        ObjectionResolution.objects.bulk_create(
            ObjectionResolution(objection=o, upheld=False, reason="不属实", actor=staff["committee"]) for o in objections
        )
        with CaptureQueriesContext(connection) as captured:
            result = apply_due(today=date(2026, 10, 6))
        assert result.notices_closed == n and len(result.applied_ids) == n
        comments = set(ApprovalStep.objects.filter(proposal__in=proposals, step="notice").values_list("comment", flat=True))
        assert comments == {"公示期满；异议 1 件，已驳回（2026-09-29 至 2026-10-05）"}
        return len(captured)

    assert closing(3, "S") == closing(60, "L")
