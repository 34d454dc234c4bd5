"""身份证号 leave the system masked unless someone allowed to read them asks, and that is logged
(like the web page's reveal); a masked number handed back by an import keeps the stored one."""

import csv

import pytest
from bureau import make_employee, make_tree, make_user

from jinjie.core.errors import NotPermitted
from jinjie.interchange.services import export_kind, import_file
from jinjie.org.models import Role
from jinjie.people.models import Employee, PiiAccessLog

pytestmark = pytest.mark.django_db
FULL = "11010519491231002X"
MASKED = "110105********002X"


@pytest.fixture
def bureau():
    tree = make_tree()
    mine = make_employee(tree["county_a"], "A001", "张三", id_number=FULL)
    theirs = make_employee(tree["city_b"], "B001", "王五", id_number=FULL)
    return {
        "tree": tree, "mine": mine, "theirs": theirs,
        "hr": make_user("hr", Role.HR, tree["city_a"]),
        "committee": make_user("committee", Role.COMMITTEE, tree["city_a"]),
    }


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_an_export_masks_every_id_number_and_logs_nothing(bureau, tmp_path):
    path = tmp_path / "employees.csv"
    export_kind(kind="employees", path=path)
    assert {r["身份证号"] for r in _rows(path)} == {MASKED}
    assert FULL not in path.read_text(encoding="utf-8-sig")
    assert not PiiAccessLog.objects.exists()


def test_hr_reveals_the_numbers_of_their_own_subtree_and_each_is_logged(bureau, tmp_path):
    path = tmp_path / "employees.csv"
    assert export_kind(kind="employees", path=path, actor=bureau["hr"], reveal_id_numbers=True) == 1
    assert [r["身份证号"] for r in _rows(path)] == [FULL]  # 王五 of another city is not even listed
    log = PiiAccessLog.objects.get()
    assert (log.user, log.employee, log.field) == (bureau["hr"], bureau["mine"], "id_number")


def test_nobody_else_may_reveal_and_the_command_line_must_name_someone(bureau, tmp_path):
    with pytest.raises(NotPermitted, match="不能导出员工数据"):
        export_kind(kind="employees", path=tmp_path / "x.csv", actor=bureau["committee"], reveal_id_numbers=True)
    with pytest.raises(NotPermitted, match="--as"):
        export_kind(kind="employees", path=tmp_path / "y.csv", reveal_id_numbers=True)
    assert not PiiAccessLog.objects.exists()


def test_the_masked_export_imports_back_unchanged(bureau, tmp_path):
    path = tmp_path / "employees.csv"
    export_kind(kind="employees", path=path, actor=bureau["hr"])
    result = import_file(kind="employees", path_or_fileobj=path, actor=bureau["hr"])
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert Employee.objects.get(employee_no="A001").id_number == FULL


def test_a_masked_number_that_does_not_match_or_names_a_new_employee_is_refused(bureau, tmp_path):
    path = tmp_path / "employees.csv"
    path.write_text(
        "工号,姓名,所属单位,岗位序列,本岗位起始日期,身份证号\n"
        "A001,张三,某省公司/甲市局/甲县局,客户经理,2024-01-15,110105********1234\n"
        "A009,新人,某省公司/甲市局/甲县局,客户经理,2024-01-15,110105********002X\n",
        encoding="utf-8",
    )
    result = import_file(kind="employees", path_or_fileobj=path, actor=bureau["hr"])
    reasons = {(e.row, e.reason) for e in result.errors}
    assert (2, "身份证号为脱敏号码，与已存的号码不符") in reasons
    assert (3, "身份证号为脱敏号码，新员工须填写完整号码") in reasons
    assert not Employee.objects.filter(employee_no="A009").exists()
    assert Employee.objects.get(employee_no="A001").id_number == FULL
