"""The committee's decisions may carry their meeting (date, attendees, minutes number), printed on the
晋级审批表 (PDF) per proposal and per batch for the leaders who sign."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.approvals.approval_form_pdf import approval_forms, render_approval_forms
from jinjie.approvals.meetings import MeetingRecord
from jinjie.approvals.models import ApprovalStep, Meeting
from jinjie.approvals.services import proposal_decide, proposals_decide_batch
from jinjie.approvals.workflow import WorkflowError
from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import Proposal

pytestmark = pytest.mark.django_db

MEETING = MeetingRecord(date(2026, 10, 8), "郑晓东、王委员、李委员", "考评〔2026〕3号")


def test_a_committee_decision_records_its_meeting(today, staff, employee, submitted):
    p = submitted(employee("王五", rank="初级A"), "中级C")
    result = proposal_decide(proposal=p, actor=staff["committee"], decision="approve", comment="同意", meeting=MEETING)
    m = result.step.meeting
    assert (m.held_on, m.minutes_no, m.attendees, m.recorded_by) == (
        date(2026, 10, 8), "考评〔2026〕3号", "郑晓东、王委员、李委员", staff["committee"]
    )
    assert ApprovalStep.objects.get(pk=result.step.pk).meeting_id == m.pk


def test_a_batch_shares_one_meeting(today, staff, employee, submitted):
    ps = [submitted(employee(rank="中级C"), "中级B") for _ in range(3)]
    proposals_decide_batch(proposals=ps, actor=staff["committee"], decision="approve", meeting=MEETING)
    assert Meeting.objects.count() == 1
    assert set(ApprovalStep.objects.filter(proposal__in=ps).values_list("meeting__minutes_no", flat=True)) == {"考评〔2026〕3号"}


def test_a_meeting_is_for_the_committee_only_and_a_refusal_writes_nothing(today, staff, employee, submitted):
    p = submitted(employee(rank="中级C"), "中级B")
    proposal_decide(proposal=p, actor=staff["committee"], decision="approve")
    with pytest.raises(WorkflowError, match="会议记录只用于考评委员会的决定"):
        proposal_decide(proposal=p, actor=staff["leader"], decision="approve", meeting=MEETING)
    p.refresh_from_db()
    assert (p.state, p.step_index) == ("in_review", 1)
    assert not Meeting.objects.exists() and ApprovalStep.objects.filter(proposal=p).count() == 1


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (MeetingRecord(date(2026, 10, 9), "甲、乙", "3号"), "晚于今天"),
        (MeetingRecord(date(2026, 10, 8), "  ", "3号"), "请填写出席会议的人员"),
        (MeetingRecord(date(2026, 10, 8), "甲、乙", ""), "请填写会议纪要编号"),
        (MeetingRecord(date(2026, 10, 8), "甲" * 501, "3号"), "不能超过 500 字"),
    ],
)
def test_a_bad_meeting_is_refused_in_chinese(today, staff, employee, submitted, record, message):
    p = submitted(employee(rank="中级C"), "中级B")
    with pytest.raises(WorkflowError, match=message):
        proposal_decide(proposal=p, actor=staff["committee"], decision="approve", meeting=record)
    assert not ApprovalStep.objects.filter(proposal=p).exists() and not Meeting.objects.exists()


def test_a_committee_member_never_records_a_meeting_on_their_own_proposal(today, user, staff, employee, submitted):
    emp = employee("委员本人", rank="中级C")
    member = user("weiyuan", "committee", employee=emp)
    p = submitted(emp, "中级B")
    with pytest.raises(NotPermitted, match="回避"):
        proposal_decide(proposal=p, actor=member, decision="approve", meeting=MEETING)


def _pages(pdf: bytes) -> int:
    """The page count of the PDF's page tree (`<< /Count n /Kids [...] /Type /Pages >>`)."""
    return int(re.search(rb"/Count (\d+) /Kids \[[^]]*\] /Type /Pages", pdf).group(1))


def test_the_approval_form_lists_the_route_with_decisions_meeting_and_lines_to_sign(today, staff, employee, submitted):
    p = submitted(employee("王五", rank="初级A"), "中级C")
    proposal_decide(proposal=p, actor=staff["committee"], decision="approve", comment="符合条件", meeting=MEETING)
    p = Proposal.objects.select_related("employee", "employee__org_unit", "rulebook").get(pk=p.pk)
    (form,) = approval_forms([p])
    assert [(s.step, len(s.decisions)) for s in form.steps] == [("committee", 1), ("leader", 0), ("notice", 0)]
    assert form.steps[0].decisions[0].meeting.minutes_no == "考评〔2026〕3号"
    pdf = render_approval_forms([form])
    assert pdf.startswith(b"%PDF-") and _pages(pdf) == 1


def test_a_batch_prints_one_form_per_proposal_in_a_fixed_number_of_queries(today, staff, employee, submitted):
    def forms_for(n):
        ps = [submitted(employee(rank="中级C"), "中级B") for _ in range(n)]
        proposals_decide_batch(proposals=ps, actor=staff["committee"], decision="approve", meeting=MEETING)
        loaded = list(Proposal.objects.filter(pk__in=[p.pk for p in ps]).select_related(
            "employee", "employee__org_unit", "rulebook").order_by("pk"))
        with CaptureQueriesContext(connection) as captured:
            forms = approval_forms(loaded)
            pdf = render_approval_forms(forms)
        assert _pages(pdf) == n
        return len(captured)

    assert forms_for(2) == forms_for(12)
