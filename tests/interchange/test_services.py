"""The services as the web will call them: uploads as file objects, an actor and their scope."""

import io

import pytest

from jinjie.assessments.models import MonthlyScore
from jinjie.core.errors import NotPermitted
from jinjie.interchange.services import export_kind, import_file
from jinjie.org.models import Role, User
from jinjie.people.models import Employee, RecordRevision

from .conftest import make_employee

pytestmark = pytest.mark.django_db

CSV = "工号,月份,考核得分\r\n{rows}"


def upload(text: str) -> io.BytesIO:
    return io.BytesIO(("\ufeff" + text).encode("utf-8"))


@pytest.fixture
def officer(org):
    return User.objects.create_user("officer", password="x-password-1", role=Role.ASSESSOR, org_unit=org["city"])


def test_an_upload_is_imported_from_a_file_object_under_its_own_name(employees, officer):
    import_file(kind="scores", path_or_fileobj=upload(CSV.format(rows="E001,2026-07,85\r\n")), filename="七月.csv", actor=officer)
    result = import_file(
        kind="scores", path_or_fileobj=upload(CSV.format(rows="E001,2026-07,86\r\n")), filename="七月-更正.csv", actor=officer
    )
    assert (result.ok, result.updated) == (True, 1)
    revision = RecordRevision.objects.get()
    assert (revision.source, revision.changed_by) == ("七月-更正.csv", officer)


def test_an_actor_cannot_import_records_of_employees_outside_their_unit(employees, org, officer):
    make_employee(org["other"], "X001")
    result = import_file(kind="scores", path_or_fileobj=upload(CSV.format(rows="E001,2026-07,85\r\nX001,2026-07,85\r\n")), actor=officer)
    assert [(e.row, e.value, e.reason) for e in result.errors] == [(3, "X001", "工号不存在或不在您的管理范围内")]
    assert not MonthlyScore.objects.exists()


def test_an_actor_cannot_place_employees_outside_their_unit(org):
    hr = User.objects.create_user("hr", password="x-password-1", role=Role.HR, org_unit=org["city"])
    text = "工号,姓名,所属单位,岗位序列,本岗位起始日期\r\nN001,张三,某省公司/另一市局,客户经理,2024-01-15\r\n"
    result = import_file(kind="employees", path_or_fileobj=upload(text), actor=hr)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(2, "所属单位", "该单位不在您的管理范围内")]
    assert not Employee.objects.exists()


def test_an_employee_login_cannot_import(employees):
    user = User.objects.create_user("worker", password="x-password-1", role=Role.EMPLOYEE, employee=employees[0])
    with pytest.raises(NotPermitted, match="不能导入月度考核数据"):
        import_file(kind="scores", path_or_fileobj=upload(CSV.format(rows="E001,2026-07,85\r\n")), actor=user)
    assert not MonthlyScore.objects.exists()


def test_the_assessment_centre_imports_assessment_data_only(employees, officer):
    text = "工号,姓名,所属单位,岗位序列,本岗位起始日期\r\nN001,张三,某省公司/某市局,客户经理,2024-01-15\r\n"
    with pytest.raises(NotPermitted, match="不能导入员工数据"):
        import_file(kind="employees", path_or_fileobj=upload(text), actor=officer)
    assert not Employee.objects.filter(employee_no="N001").exists()


def test_nobody_imports_data_about_themself(employees, officer):
    officer.employee = employees[0]
    officer.save()
    result = import_file(kind="scores", path_or_fileobj=upload(CSV.format(rows="E001,2026-07,99\r\n")), actor=officer)
    assert [(e.row, e.reason) for e in result.errors] == [(2, "回避：不能导入或修改本人的数据")]
    assert not MonthlyScore.objects.exists()


def test_an_export_for_an_actor_holds_only_what_they_may_see(employees, org, officer, tmp_path):
    outsider = make_employee(org["other"], "X001")
    for employee in (employees[0], outsider):
        MonthlyScore.objects.create(employee=employee, month="2026-07", score=80)
    assert export_kind(kind="scores", path=tmp_path / "s.csv", actor=officer) == 1
    assert "X001" not in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
