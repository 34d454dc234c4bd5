"""What the workflow lists for people: HR's reassignment cases, each role's queue, notices."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from jinjie.approvals.models import ApprovalStep
from jinjie.approvals.selectors import (
    decision_queue,
    notice_candidates,
    notice_candidates_first,
    notices_for,
    reassignment_cases,
)
from jinjie.approvals.services import apply_due, notice_publish, proposal_decide
from jinjie.core.append_only import AppendOnlyError, installed_triggers
from jinjie.org.models import Role
from jinjie.people.models import RankChange

pytestmark = pytest.mark.django_db


def test_hr_lists_reassignment_cases_in_scope_pending_and_applied_with_rank_history(today, user, staff, employee, proposal, submitted):
    today(date(2026, 10, 8))
    twice = employee("冯二", rank="初级C")
    RankChange.objects.create(employee=twice, effective_date=date(2026, 7, 1), from_rank="初级B", to_rank="初级C")
    applied = submitted(twice, "见习", reassign=True)
    proposal_decide(proposal=applied, actor=staff["committee"], decision="approve")
    apply_due(today=date(2026, 10, 9))
    pending = proposal(employee("陈三", rank="初级A"), "见习", reassign=True)
    rejected = submitted(employee("褚四", rank="初级C"), "见习", reassign=True)
    proposal_decide(proposal=rejected, actor=staff["committee"], decision="reject", comment="不同意")
    proposal(employee("卫五", rank="初级C", unit="other"), "见习", reassign=True)  # another city
    proposal(employee("蒋六", rank="中级C"), "中级B")  # not flagged

    cases = reassignment_cases(user=staff["hr"])
    assert [(c.employee.name, c.applied) for c in cases] == [("陈三", False), ("冯二", True)]
    history = [(c.from_rank, c.to_rank) for c in cases[1].rank_history]
    assert history == [("初级B", "初级C"), ("初级C", "见习")]
    assert pending.pk == cases[0].proposal.pk
    assert [c.employee.name for c in reassignment_cases(user=user("东江人事", Role.HR, unit="other"))] == ["卫五"]


def test_each_role_sees_the_proposals_whose_current_step_it_decides(staff, employee, submitted, advance):
    junior_cm = submitted(employee(rank="初级B", track="客户经理"), "初级A")
    junior_ma = submitted(employee(rank="初级B", track="市场管理员"), "初级A")
    mid = submitted(employee(rank="中级C"), "中级B")
    skip = submitted(employee(rank="初级B"), "中级C", route=["committee", "director", "notice"])
    submitted(employee(rank="中级C", unit="other"), "中级B", by="other_committee")
    assert [p.pk for p in decision_queue(user=staff["cm_reviewer"])] == [junior_cm.pk]
    assert [p.pk for p in decision_queue(user=staff["ma_reviewer"])] == [junior_ma.pk]
    assert [p.pk for p in decision_queue(user=staff["committee"])] == [mid.pk, skip.pk]
    assert not decision_queue(user=staff["leader"]).exists() and not decision_queue(user=staff["hr"]).exists()
    advance(mid)
    assert not decision_queue(user=staff["leader"]).exists()  # approved, nothing left for the leader
    proposal_decide(proposal=skip, actor=staff["committee"], decision="approve")
    assert [p.pk for p in decision_queue(user=staff["director"])] == [skip.pk]


def test_the_committee_sees_what_waits_for_a_notice_and_employees_see_the_notices_of_their_units(
    today, user, units, staff, employee, submitted, advance
):
    today(date(2026, 9, 28))
    waiting = advance(submitted(employee(rank="初级A"), "中级C"))
    assert [p.pk for p in notice_candidates(user=staff["committee"])] == [waiting.pk]
    assert not notice_candidates(user=staff["leader"]).exists()
    notice = notice_publish(org_unit=units["city"], proposals=[waiting], actor=staff["committee"])
    assert not notice_candidates(user=staff["committee"]).exists()
    county_emp = user("县局员工", Role.EMPLOYEE, unit="county", employee=employee())
    outsider = user("东江员工", Role.EMPLOYEE, unit="other", employee=employee(unit="other"))
    assert list(notices_for(user=county_emp)) == [notice]
    assert list(notices_for(user=staff["discipline"])) == [notice]
    assert list(notices_for(user=outsider)) == []
    assert list(notices_for(user=staff["other_committee"])) == []


def test_the_workflows_history_tables_refuse_updates_and_deletes(staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")
    step = proposal_decide(proposal=p, actor=staff["committee"], decision="approve").step
    assert {
        "approvals_approvalstep", "approvals_proposaltransition", "approvals_notice", "approvals_noticeitem",
        "approvals_objection", "approvals_objectionresolution", "approvals_immediatedemotion", "approvals_skipfallback",
    } <= installed_triggers()
    step.comment = "改写"
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        ApprovalStep.objects.filter(pk=step.pk).delete()
    with pytest.raises(IntegrityError, match="历史记录只能追加"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE approvals_approvalstep SET decision = 'reject' WHERE id = %s", [step.pk])
    step.refresh_from_db()
    assert step.decision == "approve"


def test_the_home_page_counts_what_waits_for_a_notice_and_shows_the_first_in_the_lists_order(
    today, staff, employee, submitted, advance
):
    today(date(2026, 9, 28))
    assert notice_candidates_first(user=staff["committee"]) == (0, [])
    waiting = [advance(submitted(employee(rank="初级A"), "中级C")) for _ in range(3)]
    submitted(employee(rank="初级B"), "初级A")  # still at its first step: not a candidate
    count, first = notice_candidates_first(user=staff["committee"], first=2)
    in_order = list(notice_candidates(user=staff["committee"]))
    assert count == 3 == len(in_order) and {p.pk for p in in_order} == {p.pk for p in waiting}
    assert [p.pk for p in first] == [p.pk for p in in_order[:2]]
    assert notice_candidates_first(user=staff["leader"]) == (0, [])
