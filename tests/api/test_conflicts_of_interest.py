"""回避: nobody decides a step, resolves an objection or demotes about themself, the filer never
resolves their own objection, and a resolver who was the filer is never named to anyone who may not
know the filer (issue: a committee user tied to an employee approved that employee's own proposal
and dismissed the objection against it; a filer resolved their own objection and the employee
concerned then read the resolver's name — the filer's)."""

from datetime import date

import pytest

from jinjie.approvals.models import ApprovalStep, Objection, ObjectionResolution
from jinjie.approvals.selectors import FILER_HIDDEN, objections_for
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_member_li(users, staff):
    """The committee login is tied to 李四's employee record: 李四 sits on the committee."""
    users["employee_li"].employee = None  # 李四 logs in with the committee login instead
    users["employee_li"].save(update_fields=["employee"])
    member = users[Role.COMMITTEE]
    member.employee = staff["li"]
    member.save(update_fields=["employee"])
    return member


def test_a_committee_member_cannot_approve_their_own_proposal(client_for, make_proposal, staff, committee_member_li):
    own = make_proposal(staff["li"], route=("committee", "leader"))
    response = client_for(Role.COMMITTEE).post(f"/api/proposals/{own.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == 403 and "回避" in response.data["detail"]
    assert not ApprovalStep.objects.exists()
    # … nor find it in their queue; a colleague's proposal they do decide.
    assert client_for(Role.COMMITTEE).get("/api/proposals/queue/").data == []
    other = make_proposal(staff["zhang"], route=("committee", "leader"))
    response = client_for(Role.COMMITTEE).post(f"/api/proposals/{other.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == 200


@pytest.fixture
def objected(client_for, make_proposal, staff, users, today):
    """李四's proposal on notice in 甲市局, and an objection to it filed by 张三."""
    p = make_proposal(staff["li"], route=("notice",))
    today.set(date(2026, 10, 10))
    notice = client_for(Role.COMMITTEE).post("/api/notices/", {"ids": [p.pk]}, format="json").data
    today.set(date(2026, 10, 12))
    item = notice["items"][0]["id"]
    response = client_for(Role.EMPLOYEE).post("/api/objections/", {"notice_item": item, "text": "李四有违规未处理"}, format="json")
    assert response.status_code == 201, response.data
    return Objection.objects.get(pk=response.data["id"])


def test_the_committee_member_concerned_cannot_rule_on_the_objection_against_them(client_for, objected, committee_member_li):
    response = client_for(Role.COMMITTEE).post(
        f"/api/objections/{objected.pk}/resolve/", {"upheld": False, "reason": "不成立"}, format="json"
    )
    assert response.status_code in (403, 404)
    assert not ObjectionResolution.objects.exists()


def test_the_filer_never_rules_on_their_own_objection(client_for, objected, users, staff):
    filer = users[Role.EMPLOYEE]  # 张三 filed it; make 张三's login a committee member
    filer.role, filer.org_unit = Role.COMMITTEE, users[Role.HR].org_unit
    filer.save(update_fields=["role", "org_unit"])
    response = client_for(Role.EMPLOYEE).post(
        f"/api/objections/{objected.pk}/resolve/", {"upheld": False, "reason": "不成立"}, format="json"
    )
    assert response.status_code == 403 and "回避" in response.data["detail"]
    assert not ObjectionResolution.objects.exists()


def test_a_resolver_who_filed_is_never_named_to_the_employee_concerned(objected, users, staff):
    # An old record from before the rule: the filer ruled on their own objection.
    ObjectionResolution.objects.create(objection=objected, upheld=False, reason="不成立", actor=objected.filer)
    li_login = users["employee_li"]
    (seen,) = objections_for(user=li_login, proposal=objected.proposal_id)
    assert seen.filer_name is None and seen.resolver_name == FILER_HIDDEN
    (committee_view,) = objections_for(user=users[Role.COMMITTEE], proposal=objected.proposal_id)
    assert committee_view.resolver_name == committee_view.filer_name  # those who may know the filer see both
