"""The org_units file (SPEC 6): units keyed by their path, a parent stored or earlier in the file,
re-imports that keep the replaced 类型/编码 in the history, the importer's own subtree only, and an
export in the same format, parents first."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jinjie.interchange.services import export_kind, import_file
from jinjie.org.models import OrgUnit, Role, User
from jinjie.people.models import Employee, RecordRevision

pytestmark = pytest.mark.django_db

HEADER = ["单位路径", "类型", "编码"]
PROVINCE = "东海省烟草专卖局(公司)"
CITY = f"{PROVINCE}/临江市烟草专卖局(公司)"


def tree():
    return sorted(OrgUnit.objects.values_list("path", "kind", "code", "depth", "parent__path"))


def reasons(result):
    return [(e.row, e.column, e.reason) for e in result.errors]


def test_a_tree_is_created_parents_first(write_csv, run_import):
    path = write_csv(
        [
            HEADER,
            [PROVINCE, "省公司", "330000"],
            [CITY, "市局(分局)", "330100"],
            [f"{CITY}/青山县局", "县局·营销部", ""],
            [f" {CITY} / 青山县局 / 办公室 ", "部门", "３３０１０１０１"],  # as people type it
        ]
    )
    result = run_import("org_units", path)
    assert result.ok, reasons(result)
    assert (result.created, result.updated) == (4, 0)
    assert tree() == [
        (PROVINCE, "province", "330000", 0, None),
        (CITY, "city", "330100", 1, PROVINCE),
        (f"{CITY}/青山县局", "county", "", 2, CITY),
        (f"{CITY}/青山县局/办公室", "department", "33010101", 3, f"{CITY}/青山县局"),
    ]
    assert OrgUnit.objects.get(path=f"{CITY}/青山县局").name == "青山县局"


def test_a_parent_later_in_the_file_or_nowhere_is_a_row_error_and_nothing_is_written(write_csv, run_import):
    path = write_csv(
        [
            HEADER,
            [f"{CITY}/青山县局", "县局·营销部", ""],
            [PROVINCE, "省公司", ""],
            [CITY, "市局(分局)", ""],
            [f"{PROVINCE}/无此市局/白沙县局", "县局·营销部", ""],
        ]
    )
    result = run_import("org_units", path)
    assert reasons(result) == [
        (2, "单位路径", f"上级单位「{CITY}」不存在：请先导入它，或在本文件中把它放在前面"),
        (5, "单位路径", f"上级单位「{PROVINCE}/无此市局」不存在：请先导入它，或在本文件中把它放在前面"),
    ]
    assert not OrgUnit.objects.exists()


def test_a_bad_parent_row_is_reported_once_not_again_for_its_children(write_csv, run_import):
    path = write_csv([HEADER, [PROVINCE, "总公司", ""], [CITY, "市局(分局)", ""]])
    assert reasons(run_import("org_units", path)) == [(2, "类型", "应为以下之一：省公司、市局(分局)、县局·营销部、部门")]
    assert not OrgUnit.objects.exists()


def test_bad_paths_and_repeated_paths_are_row_errors(write_csv, run_import):
    path = write_csv(
        [HEADER, [PROVINCE, "省公司", ""], [f"{PROVINCE}//空", "部门", ""], [f"{PROVINCE}/", "省公司", ""]]
    )
    assert reasons(run_import("org_units", path)) == [
        (3, "单位路径", "路径中有空的层级（两个 / 之间没有单位名称）"),
        (4, "单位路径", "与第 2 行重复（单位路径相同）"),
    ]


@pytest.fixture
def stored(write_csv, run_import):
    result = run_import(
        "org_units",
        write_csv([HEADER, [PROVINCE, "省公司", "33"], [CITY, "市局(分局)", "3301"], [f"{CITY}/青山县局", "县局·营销部", ""]]),
    )
    assert result.ok, reasons(result)


def test_a_reimport_updates_kind_and_code_and_keeps_the_old_values(stored, write_csv, run_import):
    path = write_csv(
        [HEADER, [PROVINCE, "省公司", "33"], [CITY, "市局(分局)", "3301-A"], [f"{CITY}/青山县局", "部门", "330102"]]
    )
    result = run_import("org_units", path)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert OrgUnit.objects.get(path=f"{CITY}/青山县局").kind == "department"
    revisions = sorted(RecordRevision.objects.values_list("kind", "record_key", "old_values", "new_values", "employee"))
    assert revisions == [
        ("org_units", CITY, {"code": "3301"}, {"code": "3301-A"}, None),
        ("org_units", f"{CITY}/青山县局", {"kind": "县局·营销部", "code": ""}, {"kind": "部门", "code": "330102"}, None),
    ]
    assert run_import("org_units", path).unchanged == 3
    assert RecordRevision.objects.count() == 2


def test_a_file_without_the_code_column_leaves_codes_alone(stored, write_csv, run_import):
    assert run_import("org_units", write_csv([["path", "kind"], [CITY, "市局(分局)"]])).unchanged == 1
    assert OrgUnit.objects.get(path=CITY).code == "3301"


def test_a_dry_run_counts_and_writes_nothing(stored, write_csv, run_import):
    path = write_csv([HEADER, [CITY, "市局(分局)", "3399"], [f"{CITY}/白沙县局", "县局·营销部", ""]])
    result = run_import("org_units", path, dry_run=True)
    assert (result.ok, result.created, result.updated) == (True, 1, 1)
    assert not OrgUnit.objects.filter(path=f"{CITY}/白沙县局").exists()
    assert OrgUnit.objects.get(path=CITY).code == "3301"
    assert not RecordRevision.objects.exists()


def test_a_code_is_unique_across_the_stored_units_and_the_file(stored, write_csv, run_import):
    taken = run_import("org_units", write_csv([HEADER, [f"{CITY}/白沙县局", "县局·营销部", "3301"]]))
    assert reasons(taken) == [(2, "编码", f"编码「3301」与单位「{CITY}」重复")]
    twice = run_import(
        "org_units", write_csv([HEADER, [f"{CITY}/白沙县局", "县局·营销部", "77"], [f"{CITY}/江口县局", "县局·营销部", "77"]])
    )
    assert [r[:2] for r in reasons(twice)] == [(2, "编码"), (3, "编码")]
    assert OrgUnit.objects.count() == 3


def test_two_units_may_swap_their_codes(stored, write_csv, run_import):
    result = run_import("org_units", write_csv([HEADER, [PROVINCE, "省公司", "3301"], [CITY, "市局(分局)", "33"]]))
    assert result.ok, reasons(result)
    assert dict(OrgUnit.objects.filter(depth__lt=2).values_list("path", "code")) == {PROVINCE: "3301", CITY: "33"}


def test_an_importer_creates_and_updates_units_only_inside_their_subtree(stored, write_csv):
    hr = User.objects.create_user("hr", password="x-password-1", role=Role.HR, org_unit=OrgUnit.objects.get(path=CITY))
    path = write_csv(
        [
            HEADER,
            [CITY, "市局(分局)", "3301"],
            [f"{CITY}/白沙县局", "县局·营销部", ""],
            [PROVINCE, "省公司", "34"],
            [f"{PROVINCE}/另一市局", "市局(分局)", ""],
        ]
    )
    result = import_file(kind="org_units", path_or_fileobj=path, actor=hr)
    assert reasons(result) == [
        (4, "单位路径", f"该单位不在您的管理范围内（{CITY}）"),
        (5, "单位路径", f"该单位不在您的管理范围内（{CITY}）"),
    ]
    assert OrgUnit.objects.count() == 3
    inside = write_csv([HEADER, [f"{CITY}/白沙县局", "县局·营销部", ""], [f"{CITY}/白沙县局/办公室", "部门", ""]])
    result = import_file(kind="org_units", path_or_fileobj=inside, actor=hr)
    assert (result.ok, result.created) == (True, 2)
    assert RecordRevision.objects.count() == 0


def test_employees_can_be_imported_into_units_just_imported(write_csv, run_import):
    employees = [["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期"], ["N001", "张三", f"{CITY}/青山县局", "客户经理", "2024-01-15"]]
    refused = run_import("employees", write_csv(employees))
    assert refused.errors[0].reason.startswith(f"单位「{CITY}/青山县局」不存在：请先导入单位(org_units)")
    run_import("org_units", write_csv([HEADER, [PROVINCE, "省公司", ""], [CITY, "市局(分局)", ""], [f"{CITY}/青山县局", "县局·营销部", ""]]))
    assert run_import("employees", write_csv(employees)).ok
    assert Employee.objects.get().org_unit.path == f"{CITY}/青山县局"


def test_the_import_is_a_handful_of_queries_whatever_the_number_of_units(write_csv, run_import):
    def rows(count, prefix):
        root = f"{prefix}省公司"
        return [[root, "省公司", prefix]] + [
            [f"{root}/市局{i}", "市局(分局)", f"{prefix}{i}"] for i in range(count)
        ] + [[f"{root}/市局{i}/县局{i}", "县局·营销部", ""] for i in range(count)]

    def queries(count, prefix):
        with CaptureQueriesContext(connection) as captured:
            result = run_import("org_units", write_csv([HEADER, *rows(count, prefix)], name=f"{prefix}.csv"))
        assert (result.ok, result.created) == (True, 2 * count + 1), reasons(result)
        return len(captured)

    small = queries(5, "a")
    assert queries(400, "b") == small <= 12, small


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_lists_parents_first_and_imports_back_unchanged(stored, run_import, tmp_path, fmt):
    run_import("org_units", _csv(tmp_path, [HEADER, [f"{PROVINCE}/乙市局", "市局(分局)", "=3302"], [f"{CITY}/白沙县局", "县局·营销部", ""]]))
    out = tmp_path / f"org_units.{fmt}"
    assert export_kind(kind="org_units", path=out) == 5
    if fmt == "csv":
        with open(out, encoding="utf-8-sig", newline="") as handle:
            assert list(csv.reader(handle)) == [
                HEADER,
                [PROVINCE, "省公司", "33"],
                [CITY, "市局(分局)", "3301"],
                [f"{CITY}/白沙县局", "县局·营销部", ""],
                [f"{CITY}/青山县局", "县局·营销部", ""],
                [f"{PROVINCE}/乙市局", "市局(分局)", "'=3302"],  # after all of 临江's subtree (临 < 乙)
            ]
    before = tree()
    again = run_import("org_units", out)
    assert (again.ok, again.unchanged) == (True, 5)
    with transaction.atomic():
        OrgUnit.objects.filter(depth=2).delete()
        OrgUnit.objects.filter(depth=1).delete()
        OrgUnit.objects.all().delete()
        fresh = run_import("org_units", out)
        assert (fresh.ok, fresh.created) == (True, 5), reasons(fresh)
        assert tree() == before
        transaction.set_rollback(True)


def test_a_scoped_export_holds_the_actors_subtree(stored, tmp_path):
    hr = User.objects.create_user("hr", password="x-password-1", role=Role.HR, org_unit=OrgUnit.objects.get(path=CITY))
    assert export_kind(kind="org_units", path=tmp_path / "mine.csv", actor=hr) == 2


def test_the_commands_export_and_import_org_units(stored, tmp_path):
    out = io.StringIO()
    call_command("export", "org_units", "-o", str(tmp_path / "units.xlsx"), stdout=out)
    assert "已导出 3 行" in out.getvalue()
    out = io.StringIO()
    call_command("import", "org_units", str(tmp_path / "units.xlsx"), "--dry-run", stdout=out)
    assert "校验通过" in out.getvalue() and "未变 3 条" in out.getvalue()


def _csv(tmp_path, rows):
    path = tmp_path / "more.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path
