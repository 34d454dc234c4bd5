"""Every kind of bad cell is reported with its row (header = row 1), column, value and reason,
and a file with any bad row writes nothing."""

import pytest

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.people.models import AnnualRating, Employee, TrainingRecord, Violation

pytestmark = pytest.mark.django_db

SCORES_HEADER = ["工号", "月份", "考核得分"]


def only_error(result):
    assert not result.ok
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return result.errors[0]


def test_a_score_that_is_not_a_number_is_a_type_error(employees, write_csv, run_import):
    result = run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-07", "八十五"]]))
    error = only_error(result)
    assert (error.row, error.column, error.value, error.reason) == (2, "考核得分", "八十五", "不是有效的数字")
    assert not MonthlyScore.objects.exists()


def test_a_score_over_100_is_out_of_range(employees, write_csv, run_import):
    result = run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-07", "85"], ["E002", "2026-07", "100.5"]]))
    error = only_error(result)
    assert (error.row, error.column, error.value) == (3, "考核得分", "100.5")
    assert error.reason == "应在 0 到 100 之间"
    assert not MonthlyScore.objects.exists()


def test_a_score_with_three_decimals_is_refused_but_trailing_zeros_are_not_decimals(employees, write_csv, run_import):
    result = run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-07", "85.125"], ["E002", "2026-07", "85.500"]]))
    error = only_error(result)
    assert (error.row, error.reason) == (2, "最多 2 位小数")


def test_a_negative_score_is_out_of_range(employees, write_csv, run_import):
    error = only_error(run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-07", "-1"]])))
    assert error.reason == "应在 0 到 100 之间"


def test_a_date_not_written_yyyy_mm_dd_is_refused(employees, write_csv, run_import):
    path = write_csv([["工号", "日期", "类别"], ["E001", "2026/07/01", "考试"], ["E001", "2026-02-30", "考试"]])
    result = run_import("training", path)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "日期", "2026/07/01"), (3, "日期", "2026-02-30")]
    assert result.errors[0].reason.startswith("日期格式应为 YYYY-MM-DD")
    assert result.errors[1].reason == "不是有效的日期"
    assert not TrainingRecord.objects.exists()


def test_a_month_not_written_yyyy_mm_is_refused(employees, write_csv, run_import):
    result = run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-13", "85"], ["E002", "2026-7", "85"]]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "月份"), (3, "月份")]
    assert all(e.reason.startswith("月份格式应为 YYYY-MM") for e in result.errors)


def test_a_period_not_written_yyyyqn_is_refused(employees, write_csv, run_import):
    result = run_import("ability", write_csv([["工号", "测评期", "得分"], ["E001", "2026Q5", "80"], ["E002", "2026q3", "80"]]))
    error = only_error(result)
    assert (error.row, error.column, error.value) == (2, "测评期", "2026Q5")
    assert error.reason.startswith("测评期格式应为 YYYYQn")
    assert not AbilityScore.objects.exists()


def test_a_value_outside_an_enumeration_is_refused_with_the_allowed_values(employees, write_csv, run_import):
    path = write_csv([["工号", "日期", "情节", "说明"], ["E001", "2026-08-03", "很严重", "x"]])
    error = only_error(run_import("violations", path))
    assert (error.row, error.column, error.value) == (2, "情节", "很严重")
    assert error.reason == "应为以下之一：一般、较重、严重"
    assert not Violation.objects.exists()


def test_an_annual_rating_must_belong_to_its_kind(employees, write_csv, run_import):
    path = write_csv([["工号", "年度", "类别", "等次"], ["E001", "2025", "专卖双能", "良好"], ["E002", "2025", "年度考核", "良好"]])
    error = only_error(run_import("annual", path))
    assert (error.row, error.column, error.value) == (3, "等次", "良好")
    assert error.reason == "年度考核的等次应为以下之一：不称职、基本称职、称职、优秀"
    assert not AnnualRating.objects.exists()


def test_a_level_exam_needs_its_level(employees, write_csv, run_import):
    path = write_csv([["工号", "日期", "类别", "等级"], ["E001", "2026-03-01", "等级考试", ""]])
    error = only_error(run_import("training", path))
    assert (error.row, error.column, error.reason) == (2, "等级", "等级考试须填写等级")


def test_an_unknown_employee_number_is_refused(employees, write_csv, run_import):
    result = run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-07", "85"], ["E404", "2026-07", "85"]]))
    error = only_error(result)
    assert (error.row, error.column, error.value, error.reason) == (3, "工号", "E404", "工号不存在")
    assert not MonthlyScore.objects.exists()


def test_the_same_key_twice_in_one_file_is_refused(employees, write_csv, run_import):
    rows = [SCORES_HEADER, ["E001", "2026-07", "85"], ["E001", "2026-08", "85"], ["E001", "2026-07", "90"]]
    error = only_error(run_import("scores", write_csv(rows)))
    assert (error.row, error.column, error.value) == (4, "工号+月份", "E001 / 2026-07")
    assert error.reason == "与第 2 行重复（工号+月份相同）"
    assert not MonthlyScore.objects.exists()


def test_an_org_path_that_does_not_exist_is_refused(org, write_csv, run_import):
    header = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期"]
    path = write_csv([header, ["N001", "张三", "某省公司/某市局/不存在的县局", "客户经理", "2024-01-15"]])
    error = only_error(run_import("employees", path))
    assert (error.row, error.column, error.value) == (2, "所属单位", "某省公司/某市局/不存在的县局")
    assert error.reason == "单位「某省公司/某市局/不存在的县局」不存在：请先导入单位(org_units)，或填写完整路径（如 省公司/市局/县局）"
    assert not Employee.objects.exists()


def test_an_unknown_rank_is_refused(org, write_csv, run_import):
    header = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期", "当前职级"]
    path = write_csv([header, ["N001", "张三", "某省公司/某市局/某县局", "客户经理", "2024-01-15", "中级D"]])
    error = only_error(run_import("employees", path))
    assert (error.row, error.column, error.value) == (2, "当前职级", "中级D")
    assert not Employee.objects.exists()


def test_a_rank_of_the_other_ladder_is_refused_for_the_track(org, write_csv, run_import):
    header = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期", "当前职级"]
    path = write_csv([header, ["N001", "张三", "某省公司/某市局/某县局", "客户经理", "2024-01-15", "中级专卖管理员"]])
    error = only_error(run_import("employees", path))
    assert (error.column, error.value) == ("当前职级", "中级专卖管理员")
    assert error.reason.startswith("岗位序列为客户经理时应为以下之一：见习、初级C")


def test_an_id_number_with_a_wrong_checksum_is_refused(org, write_csv, run_import):
    header = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期", "身份证号"]
    good, bad = "11010519491231002X", "110105194912310021"
    rows = [header, ["N001", "张三", "某省公司/某市局/某县局", "客户经理", "2024-01-15", good]]
    rows.append(["N002", "李四", "某省公司/某市局/某县局", "客户经理", "2024-01-15", bad])
    error = only_error(run_import("employees", write_csv(rows)))
    assert (error.row, error.column, error.value, error.reason) == (3, "身份证号", bad, "身份证号校验位不正确")
    assert not Employee.objects.exists()


def test_a_required_cell_left_blank_is_refused(employees, write_csv, run_import):
    error = only_error(run_import("scores", write_csv([SCORES_HEADER, ["E001", "2026-07", ""]])))
    assert (error.row, error.column, error.reason) == (2, "考核得分", "必填，不能为空（未填写分项时须填写考核得分）")


def test_an_item_score_must_be_a_score(employees, write_csv, run_import):
    path = write_csv([[*SCORES_HEADER, "卷烟营销指标"], ["E001", "2026-07", "85", "120"]])
    error = only_error(run_import("scores", path))
    assert (error.row, error.column, error.value) == (2, "卷烟营销指标", "120")
    assert error.reason == "分项得分应在 0 到 100 之间"


def test_an_unknown_column_is_refused_outside_scores(employees, write_csv, run_import):
    path = write_csv([["工号", "测评期", "得分", "备注"], ["E001", "2026Q3", "80", "x"]])
    error = only_error(run_import("ability", path))
    assert (error.row, error.column) == (1, "备注")
    assert error.reason.startswith("未知的列")


def test_a_value_under_a_column_without_header_is_refused(employees, write_csv, run_import):
    path = write_csv([["工号", "测评期", "得分", ""], ["E001", "2026Q3", "80", "x"]])
    error = only_error(run_import("ability", path))
    assert (error.row, error.column, error.reason) == (2, "第 4 列", "该列没有列名")


def test_every_bad_row_is_reported_not_only_the_first(employees, write_csv, run_import):
    rows = [SCORES_HEADER, ["E001", "2026-07", "x"], ["E002", "2026-07", "85"], ["E003", "2026-99", "101"], ["E404", "2026-07", "1"]]
    result = run_import("scores", write_csv(rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "考核得分"), (4, "月份"), (4, "考核得分"), (5, "工号")]
    assert not MonthlyScore.objects.exists()
