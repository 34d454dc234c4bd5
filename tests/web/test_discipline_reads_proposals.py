"""纪检监察 opens every proposal that an objection they read concerns — read-only — and no other."""

from datetime import date

import pytest
from django.urls import reverse

from jinjie.approvals.models import Notice, NoticeItem, Objection
from jinjie.approvals.readers import proposal_readable, proposals_with_readable_objections
from jinjie.approvals.services import notice_publish, objection_file, proposal_decide, proposal_submit
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def objected(evaluated, users, tree, today):
    """张三's level-up on notice with 赵六's objection; 王五 (乙市局) objected to in 乙市局."""
    committee = users[Role.COMMITTEE]
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=committee)
    proposal_decide(proposal=zhang, actor=committee, decision="approve")
    proposal_decide(proposal=zhang, actor=users[Role.LEADER], decision="approve")
    notice_publish(org_unit=tree["city_a"], proposals=[zhang], actor=committee)
    today(date(2026, 10, 12))
    objection_file(notice_item=NoticeItem.objects.get(proposal=zhang), filer=users["employee_zhao"], text="请核实七月的投诉")
    # 乙市局's own notice and objection (its committee and its employee).
    wang = evaluated["B001"]
    wang.state, wang.route = "on_notice", ["notice"]
    wang.save()
    notice = Notice.objects.create(
        org_unit=tree["city_b"], title="乙市局公示", published_on=date(2026, 10, 9), start_date=date(2026, 10, 10),
        end_date=date(2026, 10, 16), days=7, day_kind="calendar", published_by=users["committee_b"],
    )
    item = NoticeItem.objects.create(notice=notice, proposal=wang, position=1, name="王五", unit_name="乙市局",
                                     from_rank="初级B", to_rank="初级A", move_label="晋档")
    Objection.objects.create(notice_item=item, proposal=wang, filer=users["employee_wang"], text="异议")
    return {"zhang": zhang, "zhao": evaluated["A002"], "wang": wang}


def test_the_discipline_officer_opens_the_objected_proposal_read_only(client_for, objected):
    page = client_for(Role.DISCIPLINE).get(reverse("web:proposal", args=[objected["zhang"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "张三" in text and "评定依据" in text and "办理记录" in text
    assert "请核实七月的投诉" in text and "zhao" in text  # the objection, with its filer (SPEC 2.4)
    assert 'id="decide-panel"' in text and "提交意见" not in text  # no decision form
    assert "异议处理" in text  # the breadcrumb leads back to the objections


def test_a_proposal_no_objection_concerns_and_another_citys_are_not_found(client_for, objected):
    client = client_for(Role.DISCIPLINE)
    assert client.get(reverse("web:proposal", args=[objected["zhao"].pk])).status_code == 404
    assert client.get(reverse("web:proposal", args=[objected["wang"].pk])).status_code == 404
    # …and still no proposal list.
    assert client.get(reverse("web:proposals")).status_code == 403


def test_the_selector_gives_exactly_the_objected_proposals_in_scope(users, objected):
    readable = proposals_with_readable_objections(user=users[Role.DISCIPLINE])
    assert list(readable.values_list("pk", flat=True)) == [objected["zhang"].pk]
    assert proposal_readable(pk=objected["zhang"].pk, user=users[Role.DISCIPLINE]).employee.name == "张三"
    with pytest.raises(Proposal.DoesNotExist):
        proposal_readable(pk=objected["zhao"].pk, user=users[Role.DISCIPLINE])
    # Roles without the right read none this way (the assessor), the committee reads through proposals.read.
    assert not proposals_with_readable_objections(user=users[Role.ASSESSOR]).exists()
    assert proposal_readable(pk=objected["zhao"].pk, user=users[Role.COMMITTEE]).pk == objected["zhao"].pk


def test_the_api_gives_the_discipline_officer_the_same_proposals(client_for, objected):
    client = client_for(Role.DISCIPLINE)
    response = client.get(f"/api/proposals/{objected['zhang'].pk}/")
    assert response.status_code == 200 and response.json()["employee_no"] == "A001"
    assert client.get(f"/api/proposals/{objected['zhao'].pk}/").status_code == 404
    assert client.get("/api/proposals/", {"period": "2026Q3"}).status_code == 403
    decided = client.post(f"/api/proposals/{objected['zhang'].pk}/decide/", {"decision": "approve"}, content_type="application/json")
    assert decided.status_code == 403
