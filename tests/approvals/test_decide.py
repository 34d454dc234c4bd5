"""Who may submit and decide which step (SPEC 1), and what a refused decision leaves behind."""

from datetime import date

import pytest

from jinjie.approvals.models import ApprovalStep, ProposalTransition
from jinjie.approvals.services import (
    period_submit,
    proposal_decide,
    proposal_submit,
    proposals_decide_batch,
)
from jinjie.approvals.workflow import BatchWorkflowError, WorkflowError
from jinjie.core.errors import NotPermitted
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def _unchanged(p, state, step_index=0):
    p.refresh_from_db()
    assert (p.state, p.step_index, p.effective_date) == (state, step_index, None)


# --- submit ------------------------------------------------------------------------------------


def test_the_committee_submits_drafts_into_review_at_their_first_step(staff, employee, proposal):
    p = proposal(employee(rank="中级C"), "中级B")
    proposal_submit(proposals=[p], actor=staff["committee"])
    p.refresh_from_db()
    assert (p.state, p.step_index) == ("in_review", 0)
    log = ProposalTransition.objects.get(proposal=p)
    assert (log.event, log.from_state, log.to_state, log.actor) == ("submit", "draft", "in_review", staff["committee"])


def test_only_the_committee_submits(staff, employee, proposal):
    p = proposal(employee(), "初级A")
    with pytest.raises(BatchWorkflowError, match="考评委员会"):
        proposal_submit(proposals=[p], actor=staff["leader"])
    _unchanged(p, "draft")


def test_submitting_a_batch_is_all_or_nothing(staff, employee, proposal):
    good = proposal(employee(), "初级A")
    outside = proposal(employee(unit="other"), "初级A")
    with pytest.raises(BatchWorkflowError) as refused:
        proposal_submit(proposals=[good, outside], actor=staff["committee"])
    assert [pk for pk, _ in refused.value.errors] == [outside.pk]
    assert "不在您的管理范围内" in str(refused.value)
    _unchanged(good, "draft")


def test_submitting_twice_is_refused(staff, employee, submitted):
    p = submitted(employee(), "初级A")
    with pytest.raises(BatchWorkflowError, match="只有待提交的建议可以提交"):
        proposal_submit(proposals=[p], actor=staff["committee"])


def test_a_period_is_submitted_for_the_committees_unit_only(staff, units, employee, proposal):
    mine = [proposal(employee(unit="county"), "初级A"), proposal(employee(unit="city"), "初级A")]
    theirs = proposal(employee(unit="other"), "初级A")
    held = proposal(employee(), "初级B", state="no_action", route=[])
    other_period = proposal(employee(), "初级A", period="2026Q2")
    done = period_submit(period="2026Q3", org_unit=units["city"], actor=staff["committee"])
    assert sorted(p.pk for p in done) == sorted(p.pk for p in mine)
    for p, state in ((theirs, "draft"), (held, "no_action"), (other_period, "draft")):
        p.refresh_from_db()
        assert p.state == state
    with pytest.raises(NotPermitted):
        period_submit(period="2026Q3", org_unit=units["other"], actor=staff["committee"])
    with pytest.raises(WorkflowError, match="没有待提交的建议"):
        period_submit(period="2026Q3", org_unit=units["city"], actor=staff["committee"])


# --- decide: allowed -----------------------------------------------------------------------------


def test_a_track_reviewer_of_the_employees_track_confirms_a_grade_up_within_junior(today, staff, employee, submitted):
    today(date(2026, 10, 8))
    p = submitted(employee(rank="初级B", track="客户经理"), "初级A")
    result = proposal_decide(proposal=p, actor=staff["cm_reviewer"], decision="approve", comment="符合条件")
    assert (result.proposal.state, result.proposal.effective_date) == ("approved", date(2026, 10, 9))
    step = result.step
    assert (step.step, step.sequence, step.decision, step.actor, step.actor_role, step.comment) == (
        "track_review", 1, "approve", staff["cm_reviewer"], Role.TRACK_REVIEWER, "符合条件"
    )


def test_a_market_administrators_proposal_goes_to_the_market_track_reviewer(staff, employee, submitted):
    p = submitted(employee(rank="初级B", track="市场管理员"), "初级A")
    with pytest.raises(NotPermitted, match="序列"):
        proposal_decide(proposal=p, actor=staff["cm_reviewer"], decision="approve")
    proposal_decide(proposal=p, actor=staff["ma_reviewer"], decision="approve")
    p.refresh_from_db()
    assert p.state == "approved"


def test_approving_a_step_that_is_not_the_last_moves_to_the_next_step(staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")  # committee › leader
    result = proposal_decide(proposal=p, actor=staff["committee"], decision="approve", comment="")
    assert (result.proposal.state, result.proposal.step_index, result.proposal.effective_date) == ("in_review", 1, None)


# --- decide: refused -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "director", "hr", "discipline", "cm_reviewer"])
def test_a_committee_step_is_refused_to_every_other_role(who, staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")
    with pytest.raises(NotPermitted, match="应由考评委员会办理"):
        proposal_decide(proposal=p, actor=staff[who], decision="approve")
    _unchanged(p, "in_review")
    assert not ApprovalStep.objects.filter(proposal=p).exists()


def test_a_committee_of_another_unit_cannot_decide(staff, employee, submitted):
    p = submitted(employee(rank="中级C", unit="county"), "中级B")
    with pytest.raises(NotPermitted, match="不在您的管理范围内"):
        proposal_decide(proposal=p, actor=staff["other_committee"], decision="approve")
    q = submitted(employee(rank="中级C", unit="other"), "中级B", by="other_committee")
    with pytest.raises(NotPermitted, match="不在您的管理范围内"):
        proposal_decide(proposal=q, actor=staff["committee"], decision="approve")
    _unchanged(p, "in_review")


def test_a_county_leader_cannot_decide_for_an_employee_of_the_city_office(user, staff, employee, submitted):
    county_leader = user("县局领导", Role.LEADER, unit="county")
    p = submitted(employee(rank="中级C", unit="city"), "中级B")
    proposal_decide(proposal=p, actor=staff["committee"], decision="approve")
    with pytest.raises(NotPermitted, match="不在您的管理范围内"):
        proposal_decide(proposal=p, actor=county_leader, decision="approve")
    _unchanged(p, "in_review", 1)


def test_an_already_decided_step_cannot_be_decided_again(staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")
    proposal_decide(proposal=p, actor=staff["committee"], decision="approve")
    with pytest.raises(WorkflowError, match="“考评委员会”环节已审批，当前环节为“分局\\(公司\\)领导”"):
        proposal_decide(proposal=p, actor=staff["committee2"], decision="approve")
    assert ApprovalStep.objects.filter(proposal=p).count() == 1


def test_a_decision_on_a_step_the_actor_did_not_see_is_refused(staff, employee, submitted):
    p = submitted(employee(rank="初级B"), "初级A")
    proposal_decide(proposal=p, actor=staff["cm_reviewer"], decision="approve", step_index=0)
    with pytest.raises(WorkflowError, match="不能审批"):
        proposal_decide(proposal=p, actor=staff["cm_reviewer"], decision="approve", step_index=0)
    q = submitted(employee(rank="中级C"), "中级B")
    proposal_decide(proposal=q, actor=staff["committee"], decision="approve", step_index=0)
    with pytest.raises(WorkflowError, match="已经处理"):
        proposal_decide(proposal=q, actor=staff["leader"], decision="approve", step_index=0)
    assert ApprovalStep.objects.filter(proposal=q).count() == 1


def test_rejection_at_any_step_ends_the_proposal_and_nothing_can_be_decided_after_it(staff, employee, submitted):
    emp = employee(rank="中级C")
    p = submitted(emp, "中级B")
    proposal_decide(proposal=p, actor=staff["committee"], decision="approve")
    result = proposal_decide(proposal=p, actor=staff["leader"], decision="reject", comment="业绩存疑")
    assert (result.proposal.state, result.step.step, result.step.decision) == ("rejected", "leader", "reject")
    assert result.fallback is None
    with pytest.raises(WorkflowError, match="当前状态为“未通过”，不能审批"):
        proposal_decide(proposal=p, actor=staff["leader"], decision="approve")
    emp.refresh_from_db()
    assert emp.current_rank == "中级C"


def test_a_rejection_needs_a_reason_and_a_decision_must_be_approve_or_reject(staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")
    with pytest.raises(WorkflowError, match="请填写不同意的理由"):
        proposal_decide(proposal=p, actor=staff["committee"], decision="reject", comment="  ")
    with pytest.raises(WorkflowError, match="approve"):
        proposal_decide(proposal=p, actor=staff["committee"], decision="maybe")
    _unchanged(p, "in_review")


def test_a_draft_cannot_be_decided_before_it_is_submitted(staff, employee, proposal):
    p = proposal(employee(rank="中级C"), "中级B")
    with pytest.raises(WorkflowError, match="待提交"):
        proposal_decide(proposal=p, actor=staff["committee"], decision="approve")


def test_the_notice_step_is_not_decided_by_anyone(staff, employee, submitted, advance):
    p = advance(submitted(employee(rank="初级A"), "中级C"))
    assert (p.state, p.route[p.step_index]) == ("in_review", "notice")
    with pytest.raises(WorkflowError, match="当前环节为公示"):
        proposal_decide(proposal=p, actor=staff["committee"], decision="approve")


def test_an_inactive_account_cannot_decide(staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")
    committee = staff["committee"]
    committee.is_active = False
    committee.save()
    with pytest.raises(NotPermitted, match="停用"):
        proposal_decide(proposal=p, actor=committee, decision="approve")


# --- batch -----------------------------------------------------------------------------------------


def test_the_committee_approves_forty_grade_ups_at_once(staff, employee, submitted, django_assert_max_num_queries):
    proposals = [submitted(employee(rank="中级C"), "中级B") for _ in range(40)]
    with django_assert_max_num_queries(10):
        batch = proposals_decide_batch(proposals=proposals, actor=staff["committee"], decision="approve", comment="同意")
    assert len(batch) == 40
    assert {p.step_index for p in batch.proposals} == {1}
    assert ApprovalStep.objects.filter(proposal__in=proposals, step="committee").count() == 40


def test_a_batch_with_one_refused_item_decides_nothing_and_names_every_refused_item(staff, employee, submitted):
    good = [submitted(employee(rank="中级C"), "中级B") for _ in range(3)]
    junior = submitted(employee(rank="初级B"), "初级A")  # track_review, not the committee's
    outside = submitted(employee(rank="中级C", unit="other"), "中级B", by="other_committee")
    with pytest.raises(BatchWorkflowError) as refused:
        proposals_decide_batch(proposals=[*good, junior, outside], actor=staff["committee"], decision="approve")
    assert sorted(pk for pk, _ in refused.value.errors) == sorted([junior.pk, outside.pk])
    assert "全部未处理" in str(refused.value)
    assert not ApprovalStep.objects.exists()
    for p in good:
        _unchanged(p, "in_review")


@pytest.mark.parametrize("bad", [0, -1, 10**20, 999999])
def test_an_id_that_names_no_proposal_is_refused_in_chinese(staff, bad):
    with pytest.raises(WorkflowError, match="建议不存在"):
        proposal_decide(proposal=bad, actor=staff["committee"], decision="approve")
