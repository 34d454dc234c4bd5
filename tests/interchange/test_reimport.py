"""Re-importing a key updates the record and keeps the replaced values; unchanged rows stay put."""

from datetime import date
from decimal import Decimal

import pytest

from jinjie.assessments.models import MonthlyScore
from jinjie.people.models import Employee, RankChange, RecordRevision, TrainingRecord

from .conftest import COUNTY

pytestmark = pytest.mark.django_db

SCORES_HEADER = ["工号", "月份", "考核得分", "卷烟营销指标", "服务质量指标", "基础管理与纪律"]


@pytest.fixture(autouse=True)
def _schemes(db):
    from jinjie.assessments.schemes import schemes_load_defaults

    schemes_load_defaults()
EMPLOYEE_HEADER = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期", "当前职级", "现职级起始日期", "手机号"]


def test_reimporting_a_score_updates_it_and_keeps_the_old_value_in_the_history(employees, write_csv, run_import):
    first = run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-07", "85", "40", "27", "18"], ["E002", "2026-07", "80", "", "", ""]]))
    assert (first.created, first.updated) == (2, 0)
    second = run_import(
        "scores",
        write_csv(
            [SCORES_HEADER, ["E001", "2026-07", "88.5", "42.5", "28", "18"], ["E002", "2026-07", "80.00", "", "", ""]],
            name="july-v2.csv",
        ),
    )
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    score = MonthlyScore.objects.get(employee__employee_no="E001")
    assert (score.score, score.items) == (Decimal("88.5"), {"卷烟营销指标": 42.5, "服务质量指标": 28, "基础管理与纪律": 18})
    revision = RecordRevision.objects.get()
    assert (revision.kind, revision.record_key, revision.employee.employee_no) == ("scores", "E001|2026-07", "E001")
    assert revision.old_values == {"score": "85", "items": {"卷烟营销指标": 40, "服务质量指标": 27, "基础管理与纪律": 18}}
    assert revision.new_values == {"score": "88.5", "items": {"卷烟营销指标": 42.5, "服务质量指标": 28, "基础管理与纪律": 18}}
    assert revision.source == "july-v2.csv"


def test_an_unchanged_reimport_writes_nothing_and_makes_no_revision(employees, write_csv, run_import):
    path = write_csv([SCORES_HEADER, ["E001", "2026-07", "85", "40", "27", "18"]])
    run_import("scores", path)
    stamp = MonthlyScore.objects.values_list("pk", flat=True).get()
    result = run_import("scores", path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert MonthlyScore.objects.values_list("pk", flat=True).get() == stamp
    assert not RecordRevision.objects.exists()


def test_columns_absent_from_the_file_keep_their_stored_values(employees, write_csv, run_import):
    run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-07", "85", "40", "27", "18"]]))
    run_import("scores", write_csv([["工号", "月份", "考核得分"], ["E001", "2026-07", "90"]]))
    score = MonthlyScore.objects.get()
    assert (score.score, score.items) == (Decimal("90"), {"卷烟营销指标": 40, "服务质量指标": 27, "基础管理与纪律": 18})


def test_training_is_keyed_by_date_kind_course_and_level(employees, write_csv, run_import):
    header = ["工号", "日期", "类别", "课程", "成绩", "是否合格"]
    run_import("training", write_csv([header, ["E001", "2026-03-01", "考试", "营销", "70", "是"]]))
    result = run_import(
        "training",
        write_csv([header, ["E001", "2026-03-01", "考试", "营销", "75", "是"], ["E001", "2026-03-01", "考试", "法规", "60", "否"]]),
    )
    assert (result.created, result.updated) == (1, 1)
    assert sorted(TrainingRecord.objects.values_list("course", "score", "passed")) == [
        ("法规", Decimal("60.00"), False),
        ("营销", Decimal("75.00"), True),
    ]


def test_an_employee_is_created_as_trainee_when_the_rank_is_blank(org, write_csv, run_import):
    path = write_csv([EMPLOYEE_HEADER, ["N001", "张三", COUNTY, "客户经理", "2024-01-15", "", "", "13800000000"]])
    assert run_import("employees", path).created == 1
    employee = Employee.objects.get(employee_no="N001")
    assert (employee.current_rank, employee.rank_since, employee.status, employee.org_unit) == ("见习", None, "在岗", org["county"])
    assert not RankChange.objects.exists()


def test_changing_a_stored_employees_rank_writes_a_rank_change(employees, write_csv, run_import):
    path = write_csv([EMPLOYEE_HEADER, ["E001", "员工E001", COUNTY, "客户经理", "2022-01-01", "初级A", "2026-04-01", ""]])
    result = run_import("employees", path)
    assert result.updated == 1, [str(e) for e in result.errors]
    employee = Employee.objects.get(employee_no="E001")
    assert (employee.current_rank, employee.rank_since) == ("初级A", date(2026, 4, 1))
    change = RankChange.objects.get()
    assert (change.from_rank, change.to_rank, change.effective_date, change.source) == ("初级B", "初级A", date(2026, 4, 1), "import")
    revision = RecordRevision.objects.get()
    assert revision.old_values == {"current_rank": "初级B", "rank_since": "2025-01-01"}
    assert revision.new_values == {"current_rank": "初级A", "rank_since": "2026-04-01"}


def test_a_blank_rank_on_a_stored_employee_changes_nothing(employees, write_csv, run_import):
    path = write_csv([EMPLOYEE_HEADER, ["E001", "员工E001", COUNTY, "客户经理", "2022-01-01", "", "2025-01-01", ""]])
    assert run_import("employees", path).unchanged == 1
    assert Employee.objects.get(employee_no="E001").current_rank == "初级B"
    assert not RankChange.objects.exists()


def test_a_rank_change_on_a_date_that_already_has_one_is_refused(employees, write_csv, run_import):
    RankChange.objects.create(employee=employees[0], effective_date=date(2025, 1, 1), from_rank="初级C", to_rank="初级B")
    path = write_csv([EMPLOYEE_HEADER, ["E001", "员工E001", COUNTY, "客户经理", "2022-01-01", "初级A", "2025-01-01", ""]])
    result = run_import("employees", path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "现职级起始日期")]
    assert "已有职级变动记录" in result.errors[0].reason
    assert Employee.objects.get(employee_no="E001").current_rank == "初级B"
    assert RankChange.objects.count() == 1


def test_moving_an_employee_to_another_unit_is_an_update_with_paths_in_the_history(employees, org, write_csv, run_import):
    header = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期"]
    path = write_csv([header, ["E002", "员工E002", "某省公司/另一市局", "客户经理", "2022-01-01"]])
    assert run_import("employees", path).updated == 1
    assert Employee.objects.get(employee_no="E002").org_unit == org["other"]
    revision = RecordRevision.objects.get()
    assert (revision.old_values, revision.new_values) == ({"org_unit": COUNTY}, {"org_unit": "某省公司/另一市局"})


def test_a_changed_id_number_is_kept_in_the_history_only_masked(employees, write_csv, run_import):
    Employee.objects.filter(employee_no="E001").update(id_number="11010519491231002X")
    header = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期", "身份证号"]
    path = write_csv([header, ["E001", "员工E001", COUNTY, "客户经理", "2022-01-01", "440524188001010014"]])
    assert run_import("employees", path).updated == 1
    assert Employee.objects.get(employee_no="E001").id_number == "440524188001010014"
    revision = RecordRevision.objects.get()
    assert revision.old_values["id_number"] == "110105********002X"
    assert revision.new_values["id_number"] == "440524********0014"


def test_one_file_updates_stored_employees_and_creates_new_ones_in_any_order(employees, write_csv, run_import):
    # The planner handles a batch row by row: a new employee after an updated one (and before
    # another) is created with its own values, untouched by the update's.
    rows = [EMPLOYEE_HEADER]
    rows.append(["E001", "改名一", COUNTY, "客户经理", "2022-01-01", "", "", "13900000001"])
    rows.append(["N001", "新员工一", COUNTY, "市场管理员", "2023-03-01", "初级C", "2026-01-01", "13900000002"])
    rows.append(["E002", "改名二", COUNTY, "客户经理", "2022-01-01", "", "", ""])
    rows.append(["N002", "新员工二", COUNTY, "客户经理", "2024-05-06", "", "", ""])
    result = run_import("employees", write_csv(rows))
    assert (result.ok, result.created, result.updated) == (True, 2, 2), result.errors
    stored = {
        e.employee_no: (e.name, e.track, e.role_start_date, e.current_rank, e.phone)
        for e in Employee.objects.filter(employee_no__in=["E001", "N001", "E002", "N002"])
    }
    assert stored["N001"] == ("新员工一", "市场管理员", date(2023, 3, 1), "初级C", "13900000002")
    assert stored["N002"] == ("新员工二", "客户经理", date(2024, 5, 6), "见习", "")
    assert stored["E001"][0] == "改名一" and stored["E002"][0] == "改名二"
