"""Immediate demotion (即时降档/降级) for a recorded violation, decided by the committee (SPEC 2.4)."""

from datetime import date

import pytest

from jinjie.approvals.models import ApprovalStep, ImmediateDemotion
from jinjie.approvals.services import apply_due, immediate_demotion
from jinjie.approvals.workflow import WorkflowError
from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import Proposal
from jinjie.people.models import RankChange, Violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def offender(today, book, employee):
    today(date(2026, 11, 5))
    emp = employee("郑一", rank="中级B")
    return emp, Violation.objects.create(employee=emp, date=date(2026, 11, 2), severity="严重", description="违规售烟")


def test_a_grade_demotion_is_approved_by_the_committees_decision_and_takes_effect_the_next_day(staff, offender):
    emp, violation = offender
    p = immediate_demotion(employee=emp, violation=violation, to_level="grade", actor=staff["committee"], comment="情节严重")
    assert (p.kind, p.move, p.from_rank, p.to_rank, p.route) == ("immediate", "grade_down", "中级B", "中级C", ["committee"])
    assert (p.state, p.effective_date, p.period) == ("approved", date(2026, 11, 6), "2026Q4")
    (step,) = ApprovalStep.objects.filter(proposal=p)
    assert (step.step, step.decision, step.actor, step.comment) == ("committee", "approve", staff["committee"], "情节严重")
    assert "2026-11-02 严重：违规售烟" in p.summary
    assert ImmediateDemotion.objects.get(proposal=p).violation == violation

    assert apply_due(today=date(2026, 11, 6)).applied == 1
    change = RankChange.objects.get(employee=emp)
    assert (change.from_rank, change.to_rank, change.effective_date, change.source) == ("中级B", "中级C", date(2026, 11, 6), "immediate")
    emp.refresh_from_db()
    assert emp.current_rank == "中级C"


def test_a_level_demotion_keeps_the_grade_one_level_lower(staff, offender):
    emp, violation = offender
    p = immediate_demotion(employee=emp, violation=violation, to_level="level", actor=staff["committee"])
    assert (p.move, p.to_rank) == ("level_down", "初级B")


def test_a_demotion_to_trainee_after_a_demotion_is_flagged_for_reassignment(offender, staff, employee):
    emp = employee(rank="初级C")
    RankChange.objects.create(employee=emp, effective_date=date(2026, 7, 1), from_rank="初级B", to_rank="初级C")
    violation = Violation.objects.create(employee=emp, date=date(2026, 10, 20), severity="较重")
    p = immediate_demotion(employee=emp, violation=violation, to_level="level", actor=staff["committee"])
    assert (p.to_rank, p.reassign) == ("见习", True)
    assert "连续两次降级，建议调整岗位" in p.summary


def test_a_demotion_to_trainee_after_a_promotion_is_not_flagged(offender, staff, employee):
    emp = employee(rank="初级C")
    RankChange.objects.create(employee=emp, effective_date=date(2026, 7, 1), from_rank="见习", to_rank="初级C")
    violation = Violation.objects.create(employee=emp, date=date(2026, 10, 20), severity="较重")
    p = immediate_demotion(employee=emp, violation=violation, to_level="grade", actor=staff["committee"])
    assert (p.to_rank, p.reassign) == ("见习", False)


@pytest.mark.parametrize("who", ["leader", "hr", "discipline"])
def test_only_the_committee_demotes(staff, offender, who):
    emp, violation = offender
    with pytest.raises(NotPermitted, match="考评委员会"):
        immediate_demotion(employee=emp, violation=violation, to_level="grade", actor=staff[who])
    assert not Proposal.objects.exists()


def test_the_committee_of_another_unit_cannot_demote(staff, offender):
    emp, violation = offender
    with pytest.raises(NotPermitted, match="不在您的管理范围内"):
        immediate_demotion(employee=emp, violation=violation, to_level="grade", actor=staff["other_committee"])


def test_one_demotion_per_violation_and_one_pending_demotion_per_employee(staff, offender):
    emp, violation = offender
    immediate_demotion(employee=emp, violation=violation, to_level="grade", actor=staff["committee"])
    with pytest.raises(WorkflowError, match="已用于即时降档/降级"):
        immediate_demotion(employee=emp, violation=violation, to_level="grade", actor=staff["committee"])
    another = Violation.objects.create(employee=emp, date=date(2026, 11, 3), severity="较重", description="再犯")
    with pytest.raises(WorkflowError, match="尚未生效的即时降档/降级"):
        immediate_demotion(employee=emp, violation=another, to_level="grade", actor=staff["committee"])
    assert Proposal.objects.count() == 1


def test_the_violation_must_be_the_employees_and_a_trainee_cannot_be_demoted(staff, employee, offender):
    _, violation = offender
    with pytest.raises(WorkflowError, match="不是.*的"):
        immediate_demotion(employee=employee(), violation=violation, to_level="grade", actor=staff["committee"])
    trainee = employee(rank="见习")
    own = Violation.objects.create(employee=trainee, date=date(2026, 11, 1), severity="较重")
    with pytest.raises(WorkflowError, match="现为见习，不能再降"):
        immediate_demotion(employee=trainee, violation=own, to_level="grade", actor=staff["committee"])
    emp, violation = offender
    with pytest.raises(WorkflowError, match="grade"):
        immediate_demotion(employee=emp, violation=violation, to_level="two", actor=staff["committee"])


def test_on_the_same_day_the_demotion_goes_first_and_the_pending_promotion_is_voided(staff, offender, submitted, advance):
    emp, violation = offender
    promotion = advance(submitted(emp, "中级A", route=["committee", "leader"]))
    assert (promotion.state, promotion.effective_date) == ("approved", date(2026, 11, 6))
    immediate_demotion(employee=emp, violation=violation, to_level="grade", actor=staff["committee"])
    result = apply_due(today=date(2026, 11, 6))
    assert result.applied == 1 and [pk for pk, _ in result.voided] == [promotion.pk]
    emp.refresh_from_db()
    assert "原职级中级B" in result.voided[0][1]
    assert (emp.current_rank, RankChange.objects.get(employee=emp).to_rank) == ("中级C", "中级C")
