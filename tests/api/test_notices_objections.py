"""Public notices (公示) and objections (异议) through the API (SPEC 2.4)."""

from datetime import date

import pytest

from jinjie.approvals.models import Notice, Objection, ObjectionResolution
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(make_proposal, staff):
    """李四 (甲县局) waiting for the notice step; 王五 (乙市局) likewise in the other city."""
    return {
        "li": make_proposal(staff["li"], route=("committee", "notice"), to_rank="中级B", state="in_review"),
        "wang": make_proposal(staff["wang"], route=("notice",), to_rank="初级A", state="in_review"),
    }


@pytest.fixture
def li_waiting(waiting):
    li = waiting["li"]
    li.step_index = 1  # the committee approved; now the notice
    li.save(update_fields=["step_index"])
    return li


@pytest.fixture
def published(client_for, li_waiting, today):
    today.set(date(2026, 10, 10))
    response = client_for(Role.COMMITTEE).post("/api/notices/", {"ids": [li_waiting.pk]}, format="json")
    assert response.status_code == 201, response.data
    return response.data


# --- notices -------------------------------------------------------------------------------------


def test_the_committee_sees_what_waits_for_a_notice(client_for, li_waiting):
    response = client_for(Role.COMMITTEE).get("/api/notices/candidates/")
    assert response.status_code == 200
    assert response.data["count"] == 1
    assert [p["employee_no"] for p in response.data["results"]] == ["A002"]


def test_the_committee_publishes_a_notice_of_seven_days(client_for, published, li_waiting):
    assert published["org_unit"] == "某省公司/甲市局"
    assert (published["start_date"], published["end_date"], published["days"]) == ("2026-10-11", "2026-10-17", 7)
    assert [(i["name"], i["from_rank"], i["to_rank"]) for i in published["items"]] == [("李四", "中级C", "中级B")]
    li_waiting.refresh_from_db()
    assert li_waiting.state == "on_notice"


def test_publishing_another_units_proposal_is_not_found(client_for, waiting, li_waiting, today):
    ids = [li_waiting.pk, waiting["wang"].pk]
    response = client_for(Role.COMMITTEE).post("/api/notices/", {"ids": ids}, format="json")
    assert response.status_code == 404
    assert not Notice.objects.exists()


def test_publishing_for_another_units_org_is_not_found(client_for, li_waiting, today):
    body = {"ids": [li_waiting.pk], "org": "某省公司/乙市局"}
    assert client_for(Role.COMMITTEE).post("/api/notices/", body, format="json").status_code == 404


def test_a_proposal_not_waiting_for_its_notice_is_refused_in_chinese(client_for, waiting, today):
    response = client_for(Role.COMMITTEE).post("/api/notices/", {"ids": [waiting["li"].pk]}, format="json")
    assert response.status_code == 400
    assert "不是待公示" in response.data["detail"]
    assert response.data["errors"][0]["id"] == waiting["li"].pk
    assert not Notice.objects.exists()


def test_a_bad_day_kind_is_a_chinese_400(client_for, li_waiting, today):
    body = {"ids": [li_waiting.pk], "day_kind": "lunar"}
    response = client_for(Role.COMMITTEE).post("/api/notices/", body, format="json")
    assert response.status_code == 400
    assert "不是合法选项" in response.data["detail"]


@pytest.mark.parametrize("role", [Role.HR, Role.LEADER, Role.DIRECTOR, Role.DISCIPLINE, Role.EMPLOYEE])
def test_only_the_committee_publishes(client_for, li_waiting, today, role):
    assert client_for(role).post("/api/notices/", {"ids": [li_waiting.pk]}, format="json").status_code == 403
    assert client_for(role).get("/api/notices/candidates/").status_code == 403
    assert not Notice.objects.exists()


def test_employees_of_the_unit_read_the_notice_others_do_not(client_for, published):
    for who in (Role.EMPLOYEE, "employee_li", Role.HR, Role.DISCIPLINE):
        listed = client_for(who).get("/api/notices/")
        assert [n["id"] for n in listed.data["results"]] == [published["id"]], who
    assert client_for(Role.EMPLOYEE).get(f"/api/notices/{published['id']}/").data["items"][0]["name"] == "李四"
    assert client_for("employee_wang").get("/api/notices/").data["results"] == []
    assert client_for("employee_wang").get(f"/api/notices/{published['id']}/").status_code == 404
    assert client_for("committee_b").get(f"/api/notices/{published['id']}/").status_code == 404


def test_notices_are_not_changed_through_the_api(client_for, published):
    response = client_for(Role.COMMITTEE).patch(f"/api/notices/{published['id']}/", {"title": "改"}, format="json")
    assert response.status_code == 405


# --- objections ----------------------------------------------------------------------------------


def file(client, published, text="李四上季度有投诉未处理"):
    return client.post("/api/objections/", {"notice_item": published["items"][0]["id"], "text": text}, format="json")


def test_an_employee_of_the_unit_objects_during_the_notice_and_the_proposal_is_held(
    client_for, published, li_waiting, today
):
    today.set(date(2026, 10, 12))
    response = file(client_for(Role.EMPLOYEE), published)
    assert response.status_code == 201, response.data
    assert response.data["status"] == "open"
    assert response.data["filer"] == "zhang"  # the filer sees their own name
    li_waiting.refresh_from_db()
    assert li_waiting.state == "held"


def test_objecting_before_the_notice_starts_is_refused_in_chinese(client_for, published, today):
    today.set(date(2026, 10, 10))
    response = file(client_for(Role.EMPLOYEE), published)
    assert response.status_code == 400
    assert response.data["detail"] == "公示期自 2026-10-11 开始，届时方可提出异议"
    assert not Objection.objects.exists()


def test_an_employee_of_another_city_cannot_object(client_for, published, today):
    today.set(date(2026, 10, 12))
    assert file(client_for("employee_wang"), published).status_code == 404
    assert not Objection.objects.exists()


def test_a_login_without_an_employee_cannot_object(client_for, published, today):
    today.set(date(2026, 10, 12))
    response = file(client_for(Role.HR), published)
    assert response.status_code == 403
    assert "未关联员工" in response.data["detail"]


def test_an_objection_cannot_name_its_own_filer(client_for, published, today, users):
    today.set(date(2026, 10, 12))
    body = {"notice_item": published["items"][0]["id"], "text": "x", "filer": users[Role.HR].pk}
    response = client_for(Role.EMPLOYEE).post("/api/objections/", body, format="json")
    assert response.status_code == 400
    assert "不接受的字段：filer" in response.data["detail"]
    assert not Objection.objects.exists()


def test_an_empty_objection_is_a_chinese_400(client_for, published, today):
    today.set(date(2026, 10, 12))
    response = file(client_for(Role.EMPLOYEE), published, text="")
    assert response.status_code == 400
    assert "不能为空" in response.data["detail"]


@pytest.fixture
def objection(client_for, published, today):
    today.set(date(2026, 10, 12))
    return file(client_for(Role.EMPLOYEE), published).data


def test_the_filer_is_hidden_from_the_employee_concerned(client_for, objection):
    rows = client_for("employee_li").get("/api/objections/").data["results"]
    assert [(r["id"], r["filer"], r["filer_id"]) for r in rows] == [(objection["id"], "（不公开）", None)]
    assert "zhang" not in client_for("employee_li").get(f"/api/objections/{objection['id']}/").content.decode()


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.DISCIPLINE])
def test_the_committee_and_discipline_see_the_filer(client_for, objection, users, role):
    rows = client_for(role).get("/api/objections/").data["results"]
    assert [(r["filer"], r["filer_id"]) for r in rows] == [("zhang", users[Role.EMPLOYEE].pk)]


def test_objections_filter_by_proposal(client_for, objection, li_waiting):
    committee = client_for(Role.COMMITTEE)
    assert len(committee.get("/api/objections/", {"proposal": li_waiting.pk}).data["results"]) == 1
    assert committee.get("/api/objections/", {"proposal": li_waiting.pk + 1000}).data["results"] == []


@pytest.mark.parametrize("role", [Role.HR, Role.LEADER, Role.DIRECTOR, Role.ASSESSOR, Role.TRACK_REVIEWER])
def test_other_roles_do_not_read_objections(client_for, objection, role):
    assert client_for(role).get("/api/objections/").status_code == 403
    assert client_for(role).get(f"/api/objections/{objection['id']}/").status_code == 403


def test_another_citys_committee_does_not_see_the_objection(client_for, objection):
    assert client_for("committee_b").get("/api/objections/").data["results"] == []
    assert client_for("committee_b").get(f"/api/objections/{objection['id']}/").status_code == 404


def test_the_committee_upholds_an_objection_and_the_proposal_is_rejected(client_for, objection, li_waiting):
    response = client_for(Role.COMMITTEE).post(
        f"/api/objections/{objection['id']}/resolve/", {"upheld": True, "reason": "经核实投诉属实"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["objection"]["status"] == "upheld"
    assert response.data["objection"]["resolution_reason"] == "经核实投诉属实"
    assert response.data["proposal"]["state"] == "rejected"
    li_waiting.refresh_from_db()
    assert li_waiting.state == "rejected"


def test_a_dismissed_objection_puts_the_proposal_back_on_notice(client_for, objection, li_waiting):
    response = client_for(Role.COMMITTEE).post(
        f"/api/objections/{objection['id']}/resolve/", {"upheld": False, "reason": "反映问题不属实"}, format="json"
    )
    assert response.status_code == 200
    assert response.data["proposal"]["state"] == "on_notice"


def test_an_objection_is_resolved_once(client_for, objection):
    committee = client_for(Role.COMMITTEE)
    body = {"upheld": False, "reason": "不属实"}
    assert committee.post(f"/api/objections/{objection['id']}/resolve/", body, format="json").status_code == 200
    again = committee.post(f"/api/objections/{objection['id']}/resolve/", body, format="json")
    assert again.status_code == 400
    assert "已经处理" in again.data["detail"]
    assert ObjectionResolution.objects.count() == 1


@pytest.mark.parametrize(
    "body", [{"upheld": True}, {"reason": "理由"}, {"upheld": "也许", "reason": "理由"}]
)
def test_a_ruling_needs_a_verdict_and_a_reason(client_for, objection, body):
    response = client_for(Role.COMMITTEE).post(f"/api/objections/{objection['id']}/resolve/", body, format="json")
    assert response.status_code == 400
    assert response.data["detail"]
    assert not ObjectionResolution.objects.exists()


@pytest.mark.parametrize("role", [Role.DISCIPLINE, Role.EMPLOYEE, Role.HR, Role.LEADER])
def test_only_the_committee_rules_on_objections(client_for, objection, role):
    body = {"upheld": True, "reason": "理由"}
    assert client_for(role).post(f"/api/objections/{objection['id']}/resolve/", body, format="json").status_code == 403
    assert not ObjectionResolution.objects.exists()


def test_another_citys_committee_cannot_rule(client_for, objection):
    body = {"upheld": True, "reason": "理由"}
    response = client_for("committee_b").post(f"/api/objections/{objection['id']}/resolve/", body, format="json")
    assert response.status_code == 404
    assert not ObjectionResolution.objects.exists()


def test_anonymous_reads_no_notice_and_files_no_objection(anon, objection, published):
    assert anon.get("/api/notices/").status_code == 401
    assert anon.get("/api/objections/").status_code == 401
    assert anon.post("/api/objections/", {"notice_item": published["items"][0]["id"], "text": "x"}).status_code == 401
