"""The scores import checks item columns against the scheme in force for the row's month and the
employee's track (SPEC 5): all or none, 0 ≤ item ≤ max, empty score = sum, given score = sum,
unknown item → error — each in Chinese with its row and column, and the file writes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from jinjie.assessments.models import AssessmentScheme, MonthlyScore
from jinjie.assessments.schemes import schemes_load_defaults

from .conftest import make_employee

pytestmark = pytest.mark.django_db

CM = ["卷烟营销指标", "服务质量指标", "基础管理与纪律"]
HEADER = ["工号", "月份", "考核得分", *CM]


@pytest.fixture(autouse=True)
def _schemes(db):
    schemes_load_defaults()


def errors_of(result):
    return [(e.row, e.column, e.value, e.reason) for e in result.errors]


def test_all_items_and_an_empty_score_store_the_sum(employees, write_csv, run_import):
    result = run_import("scores", write_csv([HEADER, ["E001", "2026-07", "", "42.5", "28", "19"], ["E002", "2026-07", "80", "", "", ""]]))
    assert result.ok and result.created == 2
    stored = MonthlyScore.objects.get(employee__employee_no="E001")
    assert (stored.score, stored.items) == (Decimal("89.5"), {"卷烟营销指标": 42.5, "服务质量指标": 28, "基础管理与纪律": 19})


def test_every_bad_case_is_reported_with_row_and_column_and_nothing_is_written(employees, org, write_csv, run_import):
    make_employee(org["county"], "M001", track="市场管理员")
    rows = [
        [*HEADER, "市场巡查"],
        ["E001", "2026-07", "", "40", "", "", ""],          # 2: not all items
        ["E002", "2026-07", "", "51", "28", "19", ""],      # 3: item over its maximum
        ["E003", "2026-07", "", "-1", "28", "19", ""],      # 4: negative item
        ["E001", "2026-08", "90", "42", "28", "19", ""],    # 5: score ≠ sum (89)
        ["E002", "2026-08", "", "", "", "", "20"],          # 6: 市场巡查 is not a 客户经理 item
        ["E003", "2026-08", "", "", "", "", ""],            # 7: neither score nor items
        ["M001", "2026-08", "", "40", "28", "19", ""],      # 8: 客户经理 items for a 市场管理员
        ["E001", "2026-09", "89", "42", "28", "19", ""],    # fine, but the file is refused as a whole
    ]
    result = run_import("scores", write_csv(rows))
    assert sorted(errors_of(result)) == sorted([
        (2, "服务质量指标", "", "缺少分项「服务质量指标」：填写分项时须填全客户经理的全部分项（卷烟营销指标、服务质量指标、基础管理与纪律）"),
        (2, "基础管理与纪律", "", "缺少分项「基础管理与纪律」：填写分项时须填全客户经理的全部分项（卷烟营销指标、服务质量指标、基础管理与纪律）"),
        (3, "卷烟营销指标", "51", "分项「卷烟营销指标」应在 0 到 50 之间，实为 51"),
        (4, "卷烟营销指标", "-1", "分项得分应在 0 到 100 之间"),  # refused by the cell parser already
        (5, "考核得分", "90", "考核得分 90 与分项合计 89 不一致"),
        (6, "市场巡查", "20", "未知的分项「市场巡查」：客户经理的考核分项为 卷烟营销指标、服务质量指标、基础管理与纪律"),
        (7, "考核得分", "", "必填，不能为空（未填写分项时须填写考核得分）"),
        (8, "卷烟营销指标", "40", "未知的分项「卷烟营销指标」：市场管理员的考核分项为 市场巡查、证件管理、经营户分类管理、专卖社区化管理、案件查办、内部监管、举报投诉处理"),
        (8, "服务质量指标", "28", "未知的分项「服务质量指标」：市场管理员的考核分项为 市场巡查、证件管理、经营户分类管理、专卖社区化管理、案件查办、内部监管、举报投诉处理"),
        (8, "基础管理与纪律", "19", "未知的分项「基础管理与纪律」：市场管理员的考核分项为 市场巡查、证件管理、经营户分类管理、专卖社区化管理、案件查办、内部监管、举报投诉处理"),
    ])
    assert not MonthlyScore.objects.exists()


def test_the_scheme_in_force_for_the_rows_month_is_the_one_checked(employees, write_csv, run_import):
    AssessmentScheme.objects.create(
        track="客户经理", version=2, effective_from=date(2026, 9, 1), status="published",
        items=[{"name": "营销", "max": "60"}, {"name": "服务", "max": "40"}],
    )
    rows = [
        ["工号", "月份", "考核得分", *CM, "营销", "服务"],
        ["E001", "2026-08", "", "42", "28", "19", "", ""],   # August: the default scheme
        ["E001", "2026-09", "", "", "", "", "55", "35"],     # September: version 2
    ]
    result = run_import("scores", write_csv(rows))
    assert result.ok, errors_of(result)
    assert sorted(MonthlyScore.objects.values_list("month", "score")) == [("2026-08", Decimal(89)), ("2026-09", Decimal(90))]


def test_a_month_before_any_scheme_cannot_take_items(employees, write_csv, run_import):
    AssessmentScheme.objects.update(effective_from=date(2027, 1, 1))
    result = run_import("scores", write_csv([HEADER, ["E001", "2026-07", "", "42", "28", "19"]]))
    assert errors_of(result) == [(2, "工号", "E001", "2026-07 没有生效的客户经理考核方案，不能导入分项得分")]
