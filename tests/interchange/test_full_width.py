"""Keys typed in full-width mode (２０２６-１１, ＬＪ０００００１) are the same keys as their ASCII
form: stored as ASCII, and a re-import updates the stored record instead of adding a twin."""

from datetime import date
from decimal import Decimal

import pytest

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.people.models import AnnualRating, Employee, RecordRevision, Violation

from .conftest import COUNTY, make_employee

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]


@pytest.fixture
def lj(org):
    employee = make_employee(org["county"], "LJ000001", name="李晋")
    MonthlyScore.objects.create(employee=employee, month="2026-11", score=Decimal("80"))
    return employee


@pytest.fixture
def write(write_csv, write_xlsx):
    def write_file(fmt, rows):
        return write_csv(rows) if fmt == "csv" else write_xlsx(rows)

    return write_file


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("month", ["２０２６-１１", "２０２６－１１"], ids=["ascii-hyphen", "full-width-hyphen"])
def test_a_full_width_month_and_employee_no_update_the_stored_score(lj, write, run_import, fmt, month):
    result = run_import("scores", write(fmt, [["工号", "月份", "考核得分"], ["ＬＪ０００００１", month, "９０．５"]]))
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (0, 1)
    assert list(MonthlyScore.objects.values_list("employee__employee_no", "month", "score")) == [
        ("LJ000001", "2026-11", Decimal("90.5"))
    ]
    assert RecordRevision.objects.get().record_key == "LJ000001|2026-11"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_width_employee_no_updates_the_stored_employee(lj, write, run_import, fmt):
    header = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期"]
    result = run_import("employees", write(fmt, [header, ["ＬＪ０００００１", "李晋", COUNTY, "客户经理", "２０２３－０３－０１"]]))
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (0, 1)
    assert list(Employee.objects.values_list("employee_no", "role_start_date")) == [("LJ000001", date(2023, 3, 1))]


@pytest.mark.parametrize("fmt", FORMATS)
def test_periods_years_and_dates_typed_full_width_are_stored_in_ascii(lj, write, run_import, fmt):
    assert run_import("ability", write(fmt, [["工号", "测评期", "得分"], ["ＬＪ０００００１", "２０２６Ｑ３", "８０"]])).ok
    assert run_import("annual", write(fmt, [["工号", "年度", "类别", "等次"], ["ＬＪ０００００１", "２０２５", "年度考核", "优秀"]])).ok
    assert run_import("violations", write(fmt, [["工号", "日期", "情节"], ["ＬＪ０００００１", "２０２６／０８／０３", "一般"]])).errors
    assert run_import("violations", write(fmt, [["工号", "日期", "情节"], ["ＬＪ０００００１", "２０２６－０８－０３", "一般"]])).ok
    assert list(AbilityScore.objects.values_list("period", "score")) == [("2026Q3", Decimal("80"))]
    assert list(AnnualRating.objects.values_list("year", "kind")) == [(2025, "年度考核")]
    assert list(Violation.objects.values_list("date", flat=True)) == [date(2026, 8, 3)]


def test_the_same_key_typed_in_both_widths_in_one_file_is_a_duplicate(lj, write_csv, run_import):
    path = write_csv([["工号", "月份", "考核得分"], ["LJ000001", "2026-12", "85"], ["ＬＪ０００００１", "２０２６-１２", "86"]])
    result = run_import("scores", path)
    assert [(e.row, e.reason) for e in result.errors] == [(3, "与第 2 行重复（工号+月份相同）")]


def test_names_and_descriptions_are_stored_as_typed(lj, write_csv, run_import):
    path = write_csv([["工号", "日期", "情节", "说明"], ["LJ000001", "2026-08-03", "一般", "未按规定着装（ＡＢ类）"]])
    assert run_import("violations", path).ok
    assert Violation.objects.get().description == "未按规定着装（ＡＢ类）"
