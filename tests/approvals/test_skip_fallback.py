"""Rejecting a skip (跳档/跳级) falls back to the ordinary one-step move when the employee
qualifies for it (SPEC 2.4), as the engine decides with the facts as they stand now."""

from datetime import date
from decimal import Decimal

import pytest

from jinjie.approvals.models import ApprovalStep, ProposalTransition, SkipFallback
from jinjie.approvals.services import period_submit, proposal_decide, proposals_decide_batch
from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.selectors import proposal_list
from jinjie.evaluations.services import evaluation_run
from jinjie.people.models import TrainingRecord, Violation

pytestmark = pytest.mark.django_db


def outstanding(employee, rank, education="本科", name=""):
    """SPEC 8 case D's facts: scores 96/97/95, 四级, in the role since 2019-03-01, training 80, ability 80."""
    emp = employee(name, rank=rank, education=education, vocational_level="四级", role_start_date=date(2019, 3, 1))
    for month, score in (("2026-07", "96"), ("2026-08", "97"), ("2026-09", "95")):
        MonthlyScore.objects.create(employee=emp, month=month, score=Decimal(score))
    TrainingRecord.objects.create(employee=emp, date=date(2026, 6, 1), kind="考试", score=Decimal("80"))
    AbilityScore.objects.create(employee=emp, period="2026Q3", score=Decimal("80"))
    return emp


@pytest.fixture
def evaluated(today, book, units, staff, employee):
    """Run the 2026Q3 evaluation of the city and submit it; returns a function giving an employee's proposal."""

    def run(*employees):
        today(date(2026, 10, 8))
        evaluation_run(period="2026Q3", org_unit=units["city"])
        period_submit(period="2026Q3", org_unit=units["city"], actor=staff["committee"])
        return [Proposal.objects.get(employee=e) for e in employees]

    return run


def test_a_skip_grade_rejected_by_the_leader_becomes_a_grade_up_submitted_for_approval(staff, employee, evaluated):
    emp = outstanding(employee, "中级C", name="吴十")
    (skip,) = evaluated(emp)
    assert (skip.move, skip.to_rank, skip.route) == ("skip_grade", "中级A", ["committee", "leader", "notice"])
    proposal_decide(proposal=skip, actor=staff["committee"], decision="approve")
    result = proposal_decide(proposal=skip, actor=staff["leader"], decision="reject", comment="跳档依据不足")

    fallback = result.fallback
    assert (fallback.move, fallback.from_rank, fallback.to_rank) == ("grade_up", "中级C", "中级B")
    assert (fallback.state, fallback.step_index, fallback.route) == ("in_review", 0, ["committee", "leader"])
    assert (fallback.period, fallback.rulebook_id, fallback.run_id) == (skip.period, skip.rulebook_id, skip.run_id)
    codes = {r["code"] for r in fallback.reasons}
    assert {"gate.rank_since", "gate.violations", "months_in_role", "perf_avg", "ability"} <= codes
    assert all(r["passed"] for r in fallback.reasons)
    assert "跳档未通过，改按晋档" in fallback.summary

    skip.refresh_from_db()
    assert skip.state == "superseded"
    assert list(ApprovalStep.objects.filter(proposal=skip).values_list("step", "decision")) == [
        ("committee", "approve"), ("leader", "reject")
    ]
    assert list(ProposalTransition.objects.filter(proposal=skip).values_list("event", flat=True)) == [
        "submit", "advance", "reject", "supersede"
    ]
    assert SkipFallback.objects.get(skip_proposal=skip).proposal == fallback
    # The period's list shows the current outcome only.
    assert [p.pk for p in proposal_list(period="2026Q3", user=staff["committee"])] == [fallback.pk]


def test_a_skip_level_rejected_by_the_director_becomes_a_grade_up_for_the_track_reviewer(staff, employee, evaluated):
    emp = outstanding(employee, "初级B", education="大专")
    (skip,) = evaluated(emp)
    assert (skip.move, skip.to_rank, skip.route) == ("skip_level", "中级C", ["committee", "director", "notice"])
    proposal_decide(proposal=skip, actor=staff["committee"], decision="approve")
    result = proposal_decide(proposal=skip, actor=staff["director"], decision="reject", comment="不同意跳级")
    assert (result.fallback.to_rank, result.fallback.route) == ("初级A", ["track_review"])
    confirmed = proposal_decide(proposal=result.fallback, actor=staff["cm_reviewer"], decision="approve")
    assert confirmed.proposal.state == "approved"


def test_a_skip_rejected_at_its_first_step_falls_back_too(staff, employee, evaluated):
    (skip,) = evaluated(outstanding(employee, "中级C"))
    result = proposal_decide(proposal=skip, actor=staff["committee"], decision="reject", comment="不同意")
    assert result.fallback is not None and result.fallback.to_rank == "中级B"


def test_no_fallback_when_the_employee_no_longer_qualifies_for_the_one_step_move(staff, employee, evaluated):
    emp = outstanding(employee, "中级C")
    (skip,) = evaluated(emp)
    # A violation in the period recorded after the run: no promotion at all (SPEC 2.3 step 4).
    Violation.objects.create(employee=emp, date=date(2026, 8, 3), severity="一般", description="补录")
    result = proposal_decide(proposal=skip, actor=staff["committee"], decision="reject", comment="有违规")
    assert result.fallback is None
    skip.refresh_from_db()
    assert skip.state == "rejected"
    note = ProposalTransition.objects.filter(proposal=skip).latest("id")
    assert note.event == "note" and "未改按一步晋升" in note.note and "违规" in note.note
    assert Proposal.objects.filter(employee=emp).count() == 1


def test_rejecting_several_skips_at_once_falls_each_back(staff, employee, evaluated):
    a, b = outstanding(employee, "中级C"), outstanding(employee, "中级C")
    skips = evaluated(a, b)
    batch = proposals_decide_batch(proposals=skips, actor=staff["committee"], decision="reject", comment="本期不跳档")
    assert sorted(p.employee_id for p in batch.fallbacks) == sorted([a.pk, b.pk])
    assert {p.state for p in Proposal.objects.filter(pk__in=[s.pk for s in skips])} == {"superseded"}


def test_a_rejected_ordinary_move_has_no_fallback(staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")
    assert proposal_decide(proposal=p, actor=staff["committee"], decision="reject", comment="不同意").fallback is None
