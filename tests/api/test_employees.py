"""Employees through the API: scoped like the web app, ID numbers masked, read-only."""

from datetime import date

import pytest

from jinjie.org.models import Role
from jinjie.people.models import RankChange

pytestmark = pytest.mark.django_db


def employee_nos(response):
    return [row["employee_no"] for row in response.data["results"]]


def test_hr_lists_the_employees_of_their_subtree_only(client_for):
    response = client_for(Role.HR).get("/api/employees/")
    assert response.status_code == 200
    assert employee_nos(response) == ["A001", "A002"]
    assert response.data["count"] == 2


def test_another_citys_hr_sees_only_their_city(client_for):
    assert employee_nos(client_for("hr_b").get("/api/employees/")) == ["B001"]


def test_an_employee_lists_only_themselves(client_for):
    assert employee_nos(client_for(Role.EMPLOYEE).get("/api/employees/")) == ["A001"]


def test_the_list_filters_by_org_path_track_and_rank(client_for):
    hr = client_for(Role.HR)
    assert employee_nos(hr.get("/api/employees/", {"org": "某省公司/甲市局/甲县局"})) == ["A001", "A002"]
    assert employee_nos(hr.get("/api/employees/", {"track": "市场管理员"})) == ["A002"]
    assert employee_nos(hr.get("/api/employees/", {"rank": "初级B"})) == ["A001"]
    # A path outside the subtree, or one that does not exist, matches nothing (no hint that it exists).
    assert employee_nos(hr.get("/api/employees/", {"org": "某省公司/乙市局"})) == []
    assert employee_nos(hr.get("/api/employees/", {"org": "某省公司/甲市"})) == []


def test_a_bad_filter_value_is_a_400_in_chinese(client_for):
    response = client_for(Role.HR).get("/api/employees/", {"track": "司机"})
    assert response.status_code == 400
    assert "不是合法选项" in response.data["detail"]


def test_the_id_number_is_always_masked(client_for, staff):
    hr = client_for(Role.HR)
    listed = hr.get("/api/employees/").data["results"][0]
    detail = hr.get(f"/api/employees/{staff['zhang'].pk}/").data["employee"]
    for row in (listed, detail):
        assert row["id_number"] == "110105********002X"
    assert "11010519491231002X" not in hr.get(f"/api/employees/{staff['zhang'].pk}/").content.decode()


def test_retrieve_shows_the_rank_history(client_for, staff):
    zhang = staff["zhang"]
    RankChange.objects.create(employee=zhang, effective_date=date(2025, 1, 1), from_rank="见习", to_rank="初级C")
    RankChange.objects.create(employee=zhang, effective_date=date(2026, 1, 1), from_rank="初级C", to_rank="初级B")
    data = client_for(Role.HR).get(f"/api/employees/{zhang.pk}/").data
    assert [(c["from_rank"], c["to_rank"]) for c in data["rank_history"]] == [("见习", "初级C"), ("初级C", "初级B")]
    assert data["rank_history"][0]["source"] == "导入"


def test_another_units_employee_is_not_found(client_for, staff):
    assert client_for(Role.HR).get(f"/api/employees/{staff['wang'].pk}/").status_code == 404


def test_an_employee_cannot_open_a_colleague(client_for, staff):
    assert client_for(Role.EMPLOYEE).get(f"/api/employees/{staff['li'].pk}/").status_code == 404
    assert client_for(Role.EMPLOYEE).get(f"/api/employees/{staff['zhang'].pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.DISCIPLINE, Role.LEADER, Role.DIRECTOR, Role.TRACK_REVIEWER])
def test_roles_without_employee_access_are_refused(client_for, staff, role):
    response = client_for(role).get("/api/employees/")
    assert response.status_code == 403
    assert str(response.data["detail"]).startswith("您的角色")
    assert client_for(role).get(f"/api/employees/{staff['zhang'].pk}/").status_code == 403


def test_anonymous_callers_are_refused(anon, staff):
    response = anon.get("/api/employees/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.data["detail"] == "身份认证信息未提供。"


def test_employees_are_read_only(client_for, staff):
    hr = client_for(Role.HR)
    assert hr.post("/api/employees/", {"employee_no": "X"}).status_code == 405
    assert hr.patch(f"/api/employees/{staff['zhang'].pk}/", {"current_rank": "高级A"}).status_code == 405
    staff["zhang"].refresh_from_db()
    assert staff["zhang"].current_rank == "初级B"


def test_retrieve_shows_the_pay_and_its_history(client_for, staff, rulebooks):
    zhang = staff["zhang"]
    RankChange.objects.create(employee=zhang, effective_date=date(2025, 1, 1), from_rank="见习", to_rank="初级C")
    RankChange.objects.create(employee=zhang, effective_date=date(2026, 1, 15), from_rank="初级C", to_rank="初级B")
    pay = client_for(Role.HR).get(f"/api/employees/{zhang.pk}/").data["pay"]
    assert pay["current"] == "2600.00"  # 2000 × 1.3 (初级B), SPEC 2.5
    assert [(c["from_date"], c["rank"], c["monthly_pay"]) for c in pay["history"]] == [
        ("2025-02-01", "初级C", "2400.00"),
        ("2026-02-01", "初级B", "2600.00"),  # the first day of the month after the change
    ]
    assert pay["history"][1]["difference"] == "200.00"


def test_a_monopoly_administrator_has_no_ladder_pay_and_is_told_why(client_for, staff, rulebooks):
    from jinjie.people.models import Employee

    admin = Employee.objects.create(
        org_unit=staff["zhang"].org_unit, employee_no="A009", name="钱七", track="专卖管理员",
        role_start_date=date(2020, 1, 1), current_rank="初级专卖管理员",
    )
    response = client_for(Role.HR).get(f"/api/employees/{admin.pk}/")
    assert response.status_code == 200
    assert response.data["pay"]["current"] is None
    assert "初级专卖管理员" in response.data["pay"]["note"]
