"""我的异议: an objection's filer sees what they filed and how the committee ruled; nobody else's."""

from datetime import date

import pytest
from django.urls import reverse

from jinjie.approvals.models import NoticeItem
from jinjie.approvals.services import (
    notice_publish,
    objection_file,
    objection_resolve,
    proposal_decide,
    proposal_submit,
)
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(evaluated, users, tree, today):
    committee = users[Role.COMMITTEE]
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=committee)
    proposal_decide(proposal=zhang, actor=committee, decision="approve")
    proposal_decide(proposal=zhang, actor=users[Role.LEADER], decision="approve")
    notice_publish(org_unit=tree["city_a"], proposals=[zhang], actor=committee)
    today(date(2026, 10, 12))
    item = NoticeItem.objects.get(proposal=zhang)
    return objection_file(notice_item=item, filer=users["employee_zhao"], text="该同志七月有客户投诉，请核实。")


def test_the_filer_sees_the_objection_while_it_is_open_and_then_the_ruling(client_for, users, filed):
    client = client_for("employee_zhao")
    page = client.get(reverse("web:my_objections")).content.decode()
    assert "该同志七月有客户投诉" in page and "张三" in page and "待处理" in page
    assert "考评委员会正在调查处理" in page
    assert reverse("web:my_objections") in client.get(reverse("web:career")).content.decode()  # in the menu

    objection_resolve(objection=filed, actor=users[Role.COMMITTEE], upheld=False, reason="经核实，投诉不属实。")
    page = client.get(reverse("web:my_objections")).content.decode()
    assert "异议不成立（已驳回），该事项继续办理" in page and "经核实，投诉不属实。" in page
    assert "待处理" not in page


def test_an_upheld_objection_tells_the_filer_the_item_was_not_approved(client_for, users, filed):
    objection_resolve(objection=filed, actor=users[Role.COMMITTEE], upheld=True, reason="投诉属实。")
    page = client_for("employee_zhao").get(reverse("web:my_objections")).content.decode()
    assert "异议成立，该事项不予通过" in page and "投诉属实。" in page


def test_nobody_else_sees_it_on_their_own_page(client_for, filed):
    for who in (Role.EMPLOYEE, Role.COMMITTEE, Role.DISCIPLINE, "employee_wang"):
        response = client_for(who).get(reverse("web:my_objections"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "该同志七月有客户投诉" not in page and "您没有提出过异议" in page, who


def test_the_filing_message_says_where_the_outcome_will_be(client_for, evaluated, users, tree, today):
    committee = users[Role.COMMITTEE]
    zhang = evaluated["A001"]
    proposal_submit(proposals=[zhang], actor=committee)
    proposal_decide(proposal=zhang, actor=committee, decision="approve")
    proposal_decide(proposal=zhang, actor=users[Role.LEADER], decision="approve")
    notice = notice_publish(org_unit=tree["city_a"], proposals=[zhang], actor=committee)
    today(date(2026, 10, 12))
    response = client_for("employee_zhao").post(
        reverse("web:objection_new", args=[notice.pk]), {"proposal": zhang.pk, "reason": "请核实该同志的培训成绩。"}, follow=True
    )
    assert "处理结果可在“我的异议”中查看" in response.content.decode()
