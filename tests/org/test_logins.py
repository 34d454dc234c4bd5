"""Logins: HR gives the employees of their units logins in bulk with one-time passwords that must
be changed at first use; only a superuser grants roles, scopes, staff or superuser status, or sets a
staff login's password; staff who leave (离岗) lose their login at once."""

import io
from datetime import date

import pytest
from bureau import PASSWORD, make_employee, make_tree, make_user
from django.test import Client
from openpyxl import load_workbook

from jinjie.core.errors import NotPermitted
from jinjie.interchange.services import import_file
from jinjie.org.models import Role, User
from jinjie.org.services import (
    LoginError,
    employee_logins_create,
    password_change_own,
    staff_user_save,
    user_reset_password,
)
from jinjie.people.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    tree = make_tree()
    staff = [make_employee(tree["county_a"], f"A{i:03d}", f"员工{i}") for i in range(1, 4)]
    other = make_employee(tree["city_b"], "B001", "王五")
    admin = make_user("admin", Role.HR, tree["province"], is_superuser=True, is_staff=True)
    return {
        **tree, "staff": staff, "other": other, "admin": admin,
        "hr": make_user("hr", Role.HR, tree["city_a"]),
        "hr_county": make_user("hr_county", Role.HR, tree["county_a"]),
    }


def test_hr_creates_logins_for_their_staff_with_one_time_passwords(bureau):
    issued = employee_logins_create(actor=bureau["hr"], employees=bureau["staff"])
    assert [i.username for i in issued] == ["A001", "A002", "A003"]
    assert len({i.password for i in issued}) == 3
    user = User.objects.get(username="A001")
    assert user.employee == bureau["staff"][0] and user.role == Role.EMPLOYEE and user.must_change_password
    assert user.check_password(issued[0].password)
    # A second run creates nothing: everyone has a login.
    assert employee_logins_create(actor=bureau["hr"], employees=bureau["staff"]) == []


def test_logins_for_another_citys_staff_are_refused_whole(bureau):
    with pytest.raises(NotPermitted):
        employee_logins_create(actor=bureau["hr"], employees=[*bureau["staff"], bureau["other"]])
    assert not User.objects.filter(role=Role.EMPLOYEE).exists()


def test_the_bulk_page_hands_out_an_excel_list_once(bureau):
    client = Client()
    client.force_login(bureau["hr"])
    response = client.post("/users/bulk/", {"org_unit": bureau["city_a"].pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("工号", "姓名", "所属单位", "用户名", "初始密码")
    assert [r[0] for r in rows[1:]] == ["A001", "A002", "A003"]
    assert User.objects.get(username="A002").check_password(rows[2][4])


def test_a_one_time_password_opens_nothing_until_it_is_changed(bureau):
    (issued, *_) = employee_logins_create(actor=bureau["hr"], employees=bureau["staff"][:1])
    client = Client()
    assert client.post("/login/", {"username": "A001", "password": issued.password}).status_code == 302
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/password/")
    token = Client().post("/api/token/", {"username": "A001", "password": issued.password}).json()["token"]
    api = Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 403 and "修改初始密码" in api.json()["detail"]
    weak = client.post("/password/", {"old_password": issued.password, "new_password1": "12345678", "new_password2": "12345678"})
    assert "密码" in weak.content.decode() and User.objects.get(username="A001").must_change_password
    client.post("/password/", {"old_password": issued.password, "new_password1": "Qiming-2026!", "new_password2": "Qiming-2026!"})
    assert not User.objects.get(username="A001").must_change_password
    assert client.get("/me/").status_code == 200


def test_only_a_superuser_grants_roles_scopes_and_superuser(bureau):
    for hr in (bureau["hr"], bureau["hr_county"]):
        with pytest.raises(NotPermitted, match="只有系统管理员"):
            staff_user_save(actor=hr, username="x", role=Role.COMMITTEE, org_unit=bureau["province"])
        with pytest.raises(NotPermitted, match="只有系统管理员"):
            staff_user_save(actor=hr, user=hr, username="", role=Role.HR, org_unit=bureau["province"], is_superuser=True)
    hr = User.objects.get(username="hr_county")
    assert (hr.is_superuser, hr.org_unit) == (False, bureau["county_a"])
    user, password = staff_user_save(actor=bureau["admin"], username="kw", role=Role.COMMITTEE, org_unit=bureau["city_a"])
    assert user.must_change_password and user.check_password(password)


def test_hr_never_sets_a_staff_or_superuser_password_nor_their_own(bureau):
    for target in (bureau["admin"], bureau["hr_county"]):
        with pytest.raises(NotPermitted):
            user_reset_password(actor=bureau["hr"], user=target)
    with pytest.raises(NotPermitted, match="回避"):
        user_reset_password(actor=bureau["hr"], user=bureau["hr"])
    assert User.objects.get(username="admin").check_password(PASSWORD)


def test_hr_resets_an_employees_forgotten_password_inside_their_subtree_only(bureau):
    employee_logins_create(actor=bureau["admin"], employees=[*bureau["staff"], bureau["other"]])
    password = user_reset_password(actor=bureau["hr"], user=User.objects.get(username="A001"))
    assert User.objects.get(username="A001").check_password(password)
    with pytest.raises(NotPermitted):
        user_reset_password(actor=bureau["hr"], user=User.objects.get(username="B001"))


def test_the_admin_password_page_is_closed_to_hr(bureau):
    client = Client()
    bureau["hr"].is_staff = True
    bureau["hr"].save()
    client.force_login(bureau["hr"])
    url = f"/admin/org/user/{bureau['admin'].pk}/password/"
    response = client.post(url, {"password1": "Taken-over-2026", "password2": "Taken-over-2026"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert User.objects.get(username="admin").check_password(PASSWORD)
    assert client.get("/admin/people/employee/").status_code == 302


def test_a_new_password_goes_through_the_validators_in_chinese(bureau):
    with pytest.raises(LoginError, match="密码"):
        password_change_own(user=bureau["hr"], old_password=PASSWORD, new_password="password")
    with pytest.raises(LoginError, match="原密码不正确"):
        password_change_own(user=bureau["hr"], old_password="wrong", new_password="Qiming-2026!")


def test_staff_who_leave_lose_their_login_at_once(bureau, tmp_path):
    (issued, *_) = employee_logins_create(actor=bureau["hr"], employees=bureau["staff"][:1])
    user = User.objects.get(username="A001")
    user.set_password("Qiming-2026!")
    user.must_change_password = False
    user.save()
    client = Client()
    assert client.post("/login/", {"username": "A001", "password": "Qiming-2026!"}).status_code == 302
    assert client.get("/me/").status_code == 200
    path = tmp_path / "employees.csv"
    path.write_text(
        "工号,姓名,所属单位,岗位序列,本岗位起始日期,状态\nA001,员工1,某省公司/甲市局/甲县局,客户经理,2024-01-15,离岗\n",
        encoding="utf-8",
    )
    assert import_file(kind="employees", path_or_fileobj=path, actor=bureau["hr"]).ok
    assert Employee.objects.get(employee_no="A001").status == "离岗"
    assert not User.objects.get(username="A001").is_active
    assert client.get("/me/").status_code == 302  # the open session is over too
    assert Client().post("/login/", {"username": "A001", "password": "Qiming-2026!"}).status_code == 200


def test_a_departed_employee_is_refused_even_if_the_login_is_still_active(bureau):
    employee = bureau["staff"][0]
    user = make_user("a001", Role.EMPLOYEE, employee=employee)
    Employee.objects.filter(pk=employee.pk).update(status="离岗", role_start_date=date(2024, 1, 15))
    assert user.is_active
    assert Client().post("/login/", {"username": "a001", "password": PASSWORD}).status_code == 200
