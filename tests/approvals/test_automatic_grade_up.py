"""自动晋档: a rule book may leave the route of a grade_up empty (the source's "可以自动晋升一档").
Such a proposal is approved when the committee submits it, effective the next day, its log saying
"自动晋档"; apply_due then applies it. The default routes stay as SPEC 2.4."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from jinjie.approvals.models import ApprovalStep, ProposalTransition
from jinjie.approvals.services import apply_due, period_submit, proposal_decide, proposal_submit
from jinjie.approvals.workflow import EVENT_LABELS
from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run
from jinjie.people.models import RankChange, TrainingRecord
from jinjie.rulebooks.models import BookKind
from jinjie.rulebooks.services import rulebook_create_draft, rulebook_publish
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

pytestmark = pytest.mark.django_db


@pytest.fixture
def automatic_book(book):
    """A new version in force from 2026-01-01 whose grade-ups within 初级 need no approval."""
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["routes"]["grade_up:初级"] = []
    return rulebook_publish(book=rulebook_create_draft(kind=BookKind.LADDER, document=doc, effective_from=date(2026, 1, 1)))


def case_a(employee, name="赵六"):
    """SPEC 8 case A: 初级B → 初级A (grade_up)."""
    emp = employee(name, rank="初级B", education="高中", vocational_level="五级", role_start_date=date(2024, 1, 15))
    for month, score in (("2026-07", "85"), ("2026-08", "86"), ("2026-09", "84")):
        MonthlyScore.objects.create(employee=emp, month=month, score=Decimal(score))
    TrainingRecord.objects.create(employee=emp, date=date(2026, 6, 1), kind="考试", score=Decimal("70"))
    return emp


def test_an_automatic_grade_up_is_approved_on_submit_and_applied_the_next_day(
    today, automatic_book, units, staff, employee
):
    emp = case_a(employee)
    today(date(2026, 10, 8))
    evaluation_run(period="2026Q3", org_unit=units["city"])
    p = Proposal.objects.get(employee=emp)
    assert (p.move, p.to_rank, p.route, p.state) == ("grade_up", "初级A", [], "draft")

    proposal_submit(proposals=[p], actor=staff["committee"])
    p.refresh_from_db()
    assert (p.state, p.effective_date) == ("approved", date(2026, 10, 9))
    (entry,) = ProposalTransition.objects.filter(proposal=p)
    assert (entry.event, entry.from_state, entry.to_state, entry.actor) == ("automatic", "draft", "approved", staff["committee"])
    assert EVENT_LABELS[entry.event] == "自动晋档"  # what the proposal's history shows
    assert "评定标准规定晋档无需审批" in entry.note and "2026-10-09 生效" in entry.note
    assert not ApprovalStep.objects.filter(proposal=p).exists()  # nobody decided anything

    assert apply_due(today=date(2026, 10, 8)).applied == 0  # not before its day
    result = apply_due(today=date(2026, 10, 9))
    assert result.applied_ids == [p.pk]
    emp.refresh_from_db()
    assert (emp.current_rank, emp.rank_since) == ("初级A", date(2026, 10, 9))
    assert RankChange.objects.filter(employee=emp, source_ref=f"proposal:{p.pk}", to_rank="初级A").exists()


def test_the_period_submit_approves_the_automatic_ones_and_routes_the_others(today, automatic_book, units, staff, employee):
    a = case_a(employee)
    b = employee("张三", rank="初级A", education="大专", vocational_level="四级", role_start_date=date(2024, 4, 1))
    for month, score in (("2026-07", "88"), ("2026-08", "87"), ("2026-09", "86")):
        MonthlyScore.objects.create(employee=b, month=month, score=Decimal(score))
    TrainingRecord.objects.create(employee=b, date=date(2026, 6, 1), kind="考试", score=Decimal("75"))
    AbilityScore.objects.create(employee=b, period="2026Q3", score=Decimal("72"))
    today(date(2026, 10, 8))
    evaluation_run(period="2026Q3", org_unit=units["city"])

    period_submit(period="2026Q3", org_unit=units["city"], actor=staff["committee"])
    grade_up, level_up = Proposal.objects.get(employee=a), Proposal.objects.get(employee=b)
    assert (grade_up.state, grade_up.effective_date) == ("approved", date(2026, 10, 9))
    # The level-up keeps the default route of SPEC 2.4.
    assert (level_up.state, level_up.route, level_up.effective_date) == ("in_review", ["committee", "leader", "notice"], None)
    assert [t.event for t in ProposalTransition.objects.filter(proposal=grade_up)] == ["automatic"]


def test_with_the_default_routes_a_grade_up_still_goes_to_the_track_reviewer(today, book, units, staff, employee):
    emp = case_a(employee)
    evaluation_run(period="2026Q3", org_unit=units["city"])
    p = Proposal.objects.get(employee=emp)
    proposal_submit(proposals=[p], actor=staff["committee"])
    p.refresh_from_db()
    assert (p.state, p.route, p.effective_date) == ("in_review", ["track_review"], None)


def test_a_rejected_skip_that_falls_back_to_an_automatic_grade_up_is_approved_at_once(
    today, automatic_book, units, staff, employee
):
    emp = employee("吴十", rank="初级C", education="本科", vocational_level="四级", role_start_date=date(2019, 3, 1))
    for month, score in (("2026-07", "96"), ("2026-08", "97"), ("2026-09", "95")):
        MonthlyScore.objects.create(employee=emp, month=month, score=Decimal(score))
    TrainingRecord.objects.create(employee=emp, date=date(2026, 6, 1), kind="考试", score=Decimal("80"))
    today(date(2026, 10, 8))
    evaluation_run(period="2026Q3", org_unit=units["city"])
    skip = Proposal.objects.get(employee=emp)
    assert (skip.move, skip.to_rank) == ("skip_grade", "初级A")
    proposal_submit(proposals=[skip], actor=staff["committee"])

    result = proposal_decide(proposal=skip, actor=staff["committee"], decision="reject", comment="跳档依据不足")
    fallback = result.fallback
    assert (fallback.move, fallback.to_rank, fallback.route) == ("grade_up", "初级B", [])
    assert (fallback.state, fallback.effective_date) == ("approved", date(2026, 10, 9))
    entry = ProposalTransition.objects.get(proposal=fallback)
    assert entry.event == "automatic" and entry.note.startswith(f"由建议 #{skip.pk}（跳档）改按一步晋升；")
