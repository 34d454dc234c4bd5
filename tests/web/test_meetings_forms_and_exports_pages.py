"""On the pages: the committee's meeting with its decisions, the 晋级审批表 (PDF) per proposal and per
selection, the Excel exports of the filtered lists, and the immediate-demotion form's severities."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jinjie.approvals.models import ApprovalStep, Meeting
from jinjie.approvals.services import proposal_decide, proposal_submit
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role
from jinjie.people.models import Violation

pytestmark = pytest.mark.django_db

MEETING = {"meeting_held_on": "2026-10-08", "meeting_minutes_no": "考评〔2026〕3号", "meeting_attendees": "郑晓东、王委员"}


@pytest.fixture
def in_review(evaluated, users):
    proposal_submit(proposals=[evaluated["A001"], evaluated["A002"]], actor=users[Role.COMMITTEE])
    return evaluated


def _pages(pdf: bytes) -> int:
    return int(re.search(rb"/Count (\d+) /Kids \[[^]]*\] /Type /Pages", pdf).group(1))


def test_the_committee_records_its_meeting_with_a_decision_and_the_page_shows_it(client_for, in_review):
    zhang = in_review["A001"]
    client = client_for(Role.COMMITTEE)
    page = client.get(reverse("web:proposal", args=[zhang.pk])).content.decode()
    assert "考评委员会会议（可选" in page and 'name="meeting_minutes_no"' in page
    client.post(reverse("web:proposal_decide", args=[zhang.pk]), {"decision": "approve", "comment": "同意", **MEETING})
    step = ApprovalStep.objects.select_related("meeting").get(proposal=zhang)
    assert (step.meeting.minutes_no, step.meeting.attendees) == ("考评〔2026〕3号", "郑晓东、王委员")
    page = client.get(reverse("web:proposal", args=[zhang.pk])).content.decode()
    assert "会议：2026-10-08，纪要 考评〔2026〕3号；出席：郑晓东、王委员" in page
    # The leader's step carries no meeting.
    leader_page = client_for(Role.LEADER).get(reverse("web:proposal", args=[zhang.pk])).content.decode()
    assert "提交意见" in leader_page and "meeting_minutes_no" not in leader_page


def test_half_a_meeting_is_a_form_error_and_nothing_is_decided(client_for, in_review):
    zhang = in_review["A001"]
    response = client_for(Role.COMMITTEE).post(
        reverse("web:proposal_decide", args=[zhang.pk]), {"decision": "approve", "meeting_held_on": "2026-10-08"}
    )
    assert response.status_code == 400
    assert "记录会议时请同时填写会议纪要编号" in response.content.decode()
    assert not ApprovalStep.objects.filter(proposal=zhang).exists() and not Meeting.objects.exists()


def test_a_batch_decision_carries_one_meeting(client_for, in_review):
    zhang = in_review["A001"]
    client = client_for(Role.COMMITTEE)
    assert "会议纪要编号" in client.get(reverse("web:proposals"), {"period": "2026Q3"}).content.decode()
    client.post(reverse("web:proposals_batch"), {"ids": [zhang.pk], "decision": "approve", **MEETING})
    assert ApprovalStep.objects.get(proposal=zhang).meeting.minutes_no == "考评〔2026〕3号"
    response = client.post(reverse("web:proposals_batch"), {"ids": [in_review["A002"].pk], "decision": "submit", **MEETING},
                           follow=True)
    assert "提交审批不记录会议" in response.content.decode()


def test_the_approval_form_of_one_proposal_is_a_pdf_for_those_who_decide(client_for, users, in_review):
    zhang = in_review["A001"]
    proposal_decide(proposal=zhang, actor=users[Role.COMMITTEE], decision="approve")
    url = reverse("web:proposal_form_pdf", args=[zhang.pk])
    response = client_for(Role.LEADER).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and _pages(response.content) == 1
    assert url in client_for(Role.LEADER).get(reverse("web:proposal", args=[zhang.pk])).content.decode()
    assert client_for(Role.EMPLOYEE).get(url).status_code == 403  # the employee concerned prints no form
    assert client_for("committee_b").get(url).status_code == 404


def test_the_forms_of_the_selected_rows_print_as_one_pdf(client_for, users, in_review):
    zhang, zhao = in_review["A001"], in_review["A002"]
    proposal_decide(proposal=zhang, actor=users[Role.COMMITTEE], decision="approve")  # now the leader's step
    client = client_for(Role.COMMITTEE)
    page = client.get(reverse("web:proposals"), {"period": "2026Q3"}).content.decode()
    assert f'name="print_ids" value="{zhang.pk}"' in page  # not the committee's to decide, printable all the same
    assert "打印所选晋级审批表" in page
    response = client.post(reverse("web:proposal_forms_pdf"), {"ids": [zhao.pk], "print_ids": [zhang.pk]})
    assert response.status_code == 200 and _pages(response.content) == 2
    nothing = client.post(reverse("web:proposal_forms_pdf"), {}, follow=True)
    assert "请先勾选要打印晋级审批表的建议" in nothing.content.decode()
    theirs = client.post(reverse("web:proposal_forms_pdf"), {"print_ids": [in_review["B001"].pk]}, follow=True)
    assert "不在您的数据范围内" in theirs.content.decode()


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.values)
    return rows[0], rows[1:]


def test_the_filtered_proposal_list_exports_to_excel_in_the_commands_columns(client_for, in_review):
    client = client_for(Role.COMMITTEE)
    page = client.get(reverse("web:proposals"), {"period": "2026Q3", "move": "level_up"}).content.decode()
    assert "/proposals/export/?period=2026Q3&amp;move=level_up" in page
    header, rows = _sheet(client.get(reverse("web:proposals_export"), {"period": "2026Q3", "move": "level_up"}))
    assert header[:3] == ("employee_no", "name", "org_unit")
    assert [(r[0], r[6], r[7]) for r in rows] == [("A001", "level_up", "committee>leader>notice")]
    _, everything = _sheet(client.get(reverse("web:proposals_export"), {"period": "2026Q3"}))
    assert sorted(r[0] for r in everything) == ["A001", "A002", "A003"]  # 乙市局's B001 is out of scope
    assert client_for(Role.EMPLOYEE).get(reverse("web:proposals_export"), {"period": "2026Q3"}).status_code == 403


def test_the_employee_list_exports_its_query_with_id_numbers_masked(client_for, staff):
    client = client_for(Role.HR)
    page = client.get(reverse("web:employees"), {"q": "张"}).content.decode()
    assert 'id="employees-export"' in page and "/employees/export/?q=" in page
    header, rows = _sheet(client.get(reverse("web:employees_export"), {"q": "张"}))
    assert "身份证号" in header
    assert [r[0] for r in rows] == ["A001"]
    assert rows[0][header.index("身份证号")] == "110105********002X"
    _, everyone = _sheet(client.get(reverse("web:employees_export")))
    assert sorted(r[0] for r in everyone) == ["A001", "A002", "A003"]
    # The committee reads the list but holds no export right: no link, and the URL refuses.
    assert "employees-export" not in client_for(Role.COMMITTEE).get(reverse("web:employees")).content.decode()
    assert client_for(Role.COMMITTEE).get(reverse("web:employees_export")).status_code == 403


def test_the_immediate_demotion_form_offers_only_serious_violations_and_says_why(client_for, staff, rulebooks):
    zhao = staff["zhao"]
    minor = Violation.objects.create(employee=zhao, date=date(2026, 10, 3), severity="一般", description="迟到")
    Violation.objects.create(employee=zhao, date=date(2026, 10, 4), severity="较重", description="违规代客户订货")
    client = client_for(Role.COMMITTEE)
    page = client.get(reverse("web:employee", args=[zhao.pk])).content.decode()
    form = page[page.index('id="immediate-demotion"'):]
    assert "违规代客户订货" in form and "迟到</option>" not in form
    assert "2026-10-03 的违规情节为“一般”：不能即时降档/降级" in form
    response = client.post(reverse("web:immediate_demotion", args=[zhao.pk]),
                           {"violation": minor.pk, "to_level": "grade", "comment": "违规"}, follow=True)
    assert "即时降档/降级只适用于情节较重或严重的违规" in response.content.decode()
    assert not Proposal.objects.filter(kind="immediate").exists()
