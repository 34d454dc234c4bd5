"""The 申报 API (SPEC 3.1): rounds (HR), applying (the employee, or HR on behalf), withdraw,
review; then the existing decision and notice endpoints carry the application's proposal."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from jinjie.applications.models import Application, ApplicationRound
from jinjie.org.models import Role
from jinjie.people.models import AnnualRating, Qualification, TrainingRecord

from .conftest import make_employee, make_user

pytestmark = pytest.mark.django_db

ROUND = {"title": "2026年第四季度申报", "org": "某省公司/甲市局", "levels": ["中级专卖管理员"],
         "opens": "2026-10-01", "closes": "2026-10-31"}


def monopoly_admin(unit, no, name):
    e = make_employee(unit, no, name, track="专卖管理员", current_rank="初级专卖管理员", role_start_date=date(2022, 1, 1),
                      education="大专", pay_grade=9, law_cert_valid_until=date(2027, 12, 31))
    Qualification.objects.create(employee=e, level="初级专卖管理员", granted_date=date(2024, 6, 1))
    TrainingRecord.objects.create(employee=e, date=date(2026, 5, 1), kind="等级考试", level="中级专卖管理员", score=85, passed=True)
    AnnualRating.objects.create(employee=e, year=2025, kind="专卖双能", rating="良好")
    return e


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def world(tree, users, rulebooks, today):
    m1 = monopoly_admin(tree["county_a"], "M001", "孙专管")
    m2 = monopoly_admin(tree["county_a"], "M002", "钱专管")
    return {
        "m1": m1, "m2": m2,
        "sun": as_user(make_user("sun", Role.EMPLOYEE, tree["county_a"], employee=m1)),
        "zhuanmai": as_user(make_user("zhuanmai", Role.TRACK_REVIEWER, tree["city_a"], track="市场管理员")),
    }


@pytest.fixture
def round_id(world, client_for):
    response = client_for(Role.HR).post("/api/application-rounds/", ROUND, format="json")
    assert response.status_code == 201, response.data
    return response.data["id"]


def test_hr_opens_a_round_and_everyone_in_scope_reads_it(round_id, client_for):
    r = ApplicationRound.objects.get(pk=round_id)
    assert (r.org_unit.path, r.check_date) == ("某省公司/甲市局", date(2026, 10, 31))
    listed = client_for(Role.COMMITTEE).get("/api/application-rounds/").data["results"]
    assert [x["id"] for x in listed] == [round_id] and listed[0]["status"] == "open"
    assert client_for("hr_b").get(f"/api/application-rounds/{round_id}/").status_code == 404
    assert client_for(Role.EMPLOYEE).get("/api/application-rounds/").status_code == 403


def test_a_bad_round_is_a_chinese_400_and_another_citys_unit_a_404(world, client_for):
    response = client_for(Role.HR).post("/api/application-rounds/", {**ROUND, "check_date": "2026-12-01"}, format="json")
    assert response.status_code == 400 and "不能晚于申报截止日期" in response.data["detail"]
    response = client_for(Role.HR).post("/api/application-rounds/", {**ROUND, "org": "某省公司/乙市局"}, format="json")
    assert response.status_code == 404
    response = client_for(Role.HR).post("/api/application-rounds/", {**ROUND, "levels": ["超级"]}, format="json")
    assert response.status_code == 400
    assert not ApplicationRound.objects.exists()


def test_an_employee_applies_and_the_answer_has_id_state_and_checks(world, round_id):
    response = world["sun"].post("/api/applications/", {"round": round_id, "level": "中级专卖管理员"}, format="json")
    assert response.status_code == 201, response.data
    body = response.data
    assert body["state"] == "submitted" and body["id"] == Application.objects.get().pk
    assert {"code", "label", "required", "actual", "ok"} <= set(body["checks"][0])
    assert all(c["ok"] for c in body["checks"]) and body["frozen"] is False
    again = world["sun"].post("/api/applications/", {"round": round_id}, format="json")
    assert again.status_code == 400 and "一个批次只能申报一次" in again.data["detail"]


def test_a_failing_condition_is_a_400_listing_every_unmet_one(world, round_id):
    AnnualRating.objects.filter(employee=world["m1"]).delete()
    world["m1"].pay_grade = 10
    world["m1"].save()
    response = world["sun"].post("/api/applications/", {"round": round_id, "level": "中级专卖管理员"}, format="json")
    assert response.status_code == 400
    assert "还差：" in response.data["detail"] and "工资档次" in response.data["detail"] and "双能" in response.data["detail"]
    assert not Application.objects.exists()


def test_hr_applies_on_behalf_and_outside_scope_is_404(world, round_id, client_for):
    response = client_for(Role.HR).post("/api/applications/", {"round": round_id, "employee_no": "M002", "level": "中级专卖管理员"}, format="json")
    assert response.status_code == 201 and response.data["employee_no"] == "M002"
    assert client_for("hr_b").post("/api/applications/", {"round": round_id, "employee_no": "M001"}, format="json").status_code == 404
    # An employee naming someone else finds nobody: their scope is themself.
    assert world["sun"].post("/api/applications/", {"round": round_id, "employee_no": "M002"}, format="json").status_code == 404
    assert client_for(Role.COMMITTEE).post("/api/applications/", {"round": round_id, "employee_no": "M001"}, format="json").status_code == 403
    assert Application.objects.count() == 1


def test_withdraw_then_close_then_review_then_the_proposal_endpoints(world, round_id, client_for, today):
    a = world["sun"].post("/api/applications/", {"round": round_id}, format="json").data["id"]
    b = client_for(Role.HR).post("/api/applications/", {"round": round_id, "employee_no": "M002"}, format="json").data["id"]
    withdrawn = world["sun"].post(f"/api/applications/{a}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.data["state"] == "withdrawn"
    closed = client_for(Role.HR).post(f"/api/application-rounds/{round_id}/close/")
    assert closed.status_code == 200 and (closed.data["checked"], closed.data["ineligible"]) == (1, 0)
    assert closed.data["round"]["status"] == "closed"
    assert world["sun"].post(f"/api/applications/{a}/withdraw/").status_code == 400

    detail = world["zhuanmai"].get(f"/api/applications/{b}/").data
    assert detail["frozen"] is True and [m["code"] for m in detail["manual_items"]] == ["manual.1", "manual.2"]
    assert client_for(Role.TRACK_REVIEWER).post(f"/api/applications/{b}/review/", {"items": {"manual.1": True, "manual.2": True}}, format="json").status_code == 403
    bad = world["zhuanmai"].post(f"/api/applications/{b}/review/", {"items": {"manual.1": True}}, format="json")
    assert bad.status_code == 400 and "尚未认定" in bad.data["detail"]
    reviewed = world["zhuanmai"].post(f"/api/applications/{b}/review/", {"items": {"manual.1": True, "manual.2": True}, "comment": "符合"}, format="json")
    assert reviewed.status_code == 200 and reviewed.data["state"] == "reviewed"
    proposal = reviewed.data["proposal"]

    decided = client_for(Role.COMMITTEE).post(f"/api/proposals/{proposal}/decide/", {"decision": "approve", "comment": "同意"}, format="json")
    assert decided.status_code == 200, decided.data
    notice = client_for(Role.COMMITTEE).post("/api/notices/", {"ids": [proposal], "org": "某省公司/甲市局"}, format="json")
    assert notice.status_code == 201 and notice.data["items"][0]["to_rank"] == "中级专卖管理员"
    assert client_for(Role.HR).get(f"/api/applications/{b}/").data["state"] == "in_route"


def test_the_employee_lists_only_their_own(world, round_id, client_for):
    world["sun"].post("/api/applications/", {"round": round_id}, format="json")
    client_for(Role.HR).post("/api/applications/", {"round": round_id, "employee_no": "M002"}, format="json")
    assert [x["employee_no"] for x in world["sun"].get("/api/applications/").data["results"]] == ["M001"]
    assert len(client_for(Role.HR).get(f"/api/applications/?round={round_id}&state=submitted").data["results"]) == 2
    assert client_for("hr_b").get("/api/applications/").data["results"] == []
