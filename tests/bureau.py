"""Builders shared by the API and web tests: a small bureau (甲市局 with 甲县局, and 乙市局 that
its users must not see), employees with SPEC 8's defaults, and logins."""

from datetime import date

from jinjie.org.models import OrgKind, OrgUnit, User
from jinjie.people.models import Employee

PASSWORD = "jinjie-test-pw"


def make_tree() -> dict[str, OrgUnit]:
    province = OrgUnit.objects.create(name="某省公司", kind=OrgKind.PROVINCE)
    city_a = OrgUnit.objects.create(name="甲市局", kind=OrgKind.CITY, parent=province)
    county_a = OrgUnit.objects.create(name="甲县局", kind=OrgKind.COUNTY, parent=city_a)
    city_b = OrgUnit.objects.create(name="乙市局", kind=OrgKind.CITY, parent=province)
    return {"province": province, "city_a": city_a, "county_a": county_a, "city_b": city_b}


def make_employee(unit, no, name, **extra) -> Employee:
    values = {
        "track": "客户经理",
        "role_start_date": date(2024, 1, 15),
        "current_rank": "初级B",
        "rank_since": date(2026, 1, 1),
        "education": "高中",
        "vocational_level": "五级",
        "id_number": "11010519491231002X",
    }
    values.update(extra)
    return Employee.objects.create(org_unit=unit, employee_no=no, name=name, **values)


def make_user(username, role, unit=None, employee=None, **extra) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, org_unit=unit, employee=employee, **extra
    )
