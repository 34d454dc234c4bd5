"""An edit in the admin keeps the replaced values in the history, the ID number only masked."""

from datetime import date

import pytest

from jinjie.org.models import OrgUnit, User
from jinjie.people.models import Employee, RecordRevision

pytestmark = pytest.mark.django_db


def test_editing_an_employee_in_the_admin_records_the_old_values(client):
    unit = OrgUnit.objects.create(name="临江市局")
    emp = Employee.objects.create(
        employee_no="E1", name="张三", org_unit=unit, track="客户经理", role_start_date=date(2020, 1, 1),
        id_number="11010519491231002X",
    )
    client.force_login(User.objects.create_superuser("root", password="x-secret-pw"))
    form = {
        "employee_no": "E1", "name": "张三丰", "org_unit": unit.pk, "track": "客户经理",
        "role_start_date": "2020-01-01", "hire_date": "", "education": "", "vocational_level": "",
        "pay_grade": "", "law_cert_valid_until": "", "gender": "", "birth_date": "", "phone": "",
        "status": "在岗", "new_id_number": "440524188001010014",
    }
    response = client.post(f"/admin/people/employee/{emp.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    emp.refresh_from_db()
    assert (emp.name, emp.id_number) == ("张三丰", "440524188001010014")
    revision = RecordRevision.objects.get()
    assert revision.old_values == {"name": "张三", "id_number": "110105********002X"}
    assert revision.new_values == {"name": "张三丰", "id_number": "440524********0014"}
    assert (revision.kind, revision.employee, revision.source) == ("employees", emp, "管理后台")


def test_saving_without_changes_records_nothing(client):
    unit = OrgUnit.objects.create(name="临江市局")
    emp = Employee.objects.create(employee_no="E1", name="张三", org_unit=unit, track="客户经理", role_start_date=date(2020, 1, 1))
    client.force_login(User.objects.create_superuser("root", password="x-secret-pw"))
    form = {
        "employee_no": "E1", "name": "张三", "org_unit": unit.pk, "track": "客户经理",
        "role_start_date": "2020-01-01", "status": "在岗",
    }
    assert client.post(f"/admin/people/employee/{emp.pk}/change/", form).status_code == 302
    assert not RecordRevision.objects.exists()
