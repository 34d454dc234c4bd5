"""Closing a reassignment case (调整岗位): HR records the decision — a new post or another outcome,
its date, a comment — once the demotion has taken effect; the case stays readable, closed."""

from datetime import date

import pytest

from jinjie.approvals.models import ProposalTransition, ReassignmentClosure
from jinjie.approvals.selectors import reassignment_cases
from jinjie.approvals.services import apply_due, proposal_decide, reassignment_close
from jinjie.approvals.workflow import WorkflowError
from jinjie.core.append_only import AppendOnlyError
from jinjie.core.errors import NotPermitted
from jinjie.org.models import Role
from jinjie.people.models import RankChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(today, staff, employee, submitted):
    """冯二: 初级B → 初级C last quarter, now → 见习 (连续两次降级), applied on 2026-10-09."""
    today(date(2026, 10, 8))
    twice = employee("冯二", rank="初级C")
    RankChange.objects.create(employee=twice, effective_date=date(2026, 7, 1), from_rank="初级B", to_rank="初级C")
    p = submitted(twice, "见习", reassign=True)
    proposal_decide(proposal=p, actor=staff["committee"], decision="approve")
    apply_due(today=date(2026, 10, 9))
    p.refresh_from_db()
    assert (p.state, p.effective_date) == ("applied", date(2026, 10, 9))
    today(date(2026, 10, 20))
    return p


def test_hr_records_a_new_post_and_the_case_is_closed_but_still_listed(staff, case):
    closure = reassignment_close(
        proposal=case, actor=staff["hr"], outcome="new_post", new_post="客户服务部综合岗",
        decided_on=date(2026, 10, 15), comment="经研究调整至综合岗",
    )
    assert (closure.outcome, closure.new_post, closure.decided_on, closure.actor) == (
        "new_post", "客户服务部综合岗", date(2026, 10, 15), staff["hr"]
    )
    assert reassignment_cases(user=staff["hr"], closed=False) == []
    (closed,) = reassignment_cases(user=staff["hr"], closed=True)
    assert closed.closed and closed.closure == closure and closed.proposal.pk == case.pk
    assert [c.proposal.pk for c in reassignment_cases(user=staff["hr"])] == [case.pk]
    note = ProposalTransition.objects.filter(proposal=case).latest("id")
    assert (note.event, note.from_state, note.to_state) == ("note", "applied", "applied")
    assert note.note == "调整岗位已办结（2026-10-15）：调整到新岗位：客户服务部综合岗"


def test_another_outcome_needs_a_comment_and_a_new_post_needs_its_name(staff, case):
    with pytest.raises(WorkflowError, match="请填写新岗位"):
        reassignment_close(proposal=case, actor=staff["hr"], outcome="new_post", decided_on=date(2026, 10, 15))
    with pytest.raises(WorkflowError, match="请填写处理说明"):
        reassignment_close(proposal=case, actor=staff["hr"], outcome="other", decided_on=date(2026, 10, 15))
    with pytest.raises(WorkflowError, match="处理结果应为"):
        reassignment_close(proposal=case, actor=staff["hr"], outcome="fired", decided_on=date(2026, 10, 15), comment="x")
    closure = reassignment_close(
        proposal=case, actor=staff["hr"], outcome="other", decided_on=date(2026, 10, 15), new_post="不记录",
        comment="本人申请调离，已办理",
    )
    assert (closure.new_post, closure.comment) == ("", "本人申请调离，已办理")


@pytest.mark.parametrize(
    ("day", "message"), [(date(2026, 10, 21), "晚于今天"), (date(2026, 10, 8), "早于降级生效日期 2026-10-09")]
)
def test_the_decision_date_lies_between_the_demotion_and_today(staff, case, day, message):
    with pytest.raises(WorkflowError, match=message):
        reassignment_close(proposal=case, actor=staff["hr"], outcome="other", decided_on=day, comment="x")
    assert not ReassignmentClosure.objects.exists()


def test_a_case_is_closed_once_and_its_record_is_never_rewritten(staff, case):
    closure = reassignment_close(proposal=case, actor=staff["hr"], outcome="other", decided_on=date(2026, 10, 15), comment="x")
    with pytest.raises(WorkflowError, match="已经办结"):
        reassignment_close(proposal=case, actor=staff["hr"], outcome="other", decided_on=date(2026, 10, 16), comment="y")
    closure.comment = "改写"
    with pytest.raises(AppendOnlyError):
        closure.save()
    assert ReassignmentClosure.objects.count() == 1


def test_only_hr_of_the_unit_closes_and_never_their_own_case(user, units, staff, case):
    for who in ("committee", "leader", "discipline"):
        with pytest.raises(NotPermitted):
            reassignment_close(proposal=case, actor=staff[who], outcome="other", decided_on=date(2026, 10, 15), comment="x")
    with pytest.raises(NotPermitted, match="不在您的管理范围内"):
        reassignment_close(
            proposal=case, actor=user("东江人事", Role.HR, unit="other"), outcome="other", decided_on=date(2026, 10, 15),
            comment="x",
        )
    himself = user("冯二本人", Role.HR, employee=case.employee)
    with pytest.raises(NotPermitted, match="回避"):
        reassignment_close(proposal=case, actor=himself, outcome="other", decided_on=date(2026, 10, 15), comment="x")
    assert not ReassignmentClosure.objects.exists()


def test_a_pending_demotion_or_an_unflagged_proposal_cannot_be_closed(today, staff, employee, proposal, submitted):
    pending = proposal(employee("陈三", rank="初级A"), "见习", reassign=True)
    with pytest.raises(WorkflowError, match="生效后方可办理"):
        reassignment_close(proposal=pending, actor=staff["hr"], outcome="other", decided_on=date(2026, 10, 8), comment="x")
    plain = proposal(employee("蒋六", rank="中级C"), "中级B")
    with pytest.raises(WorkflowError, match="不是调整岗位事项"):
        reassignment_close(proposal=plain, actor=staff["hr"], outcome="other", decided_on=date(2026, 10, 8), comment="x")
