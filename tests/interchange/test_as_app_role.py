"""Imports as production runs them on PostgreSQL: connected as the application's role, which owns
no table. New rows go in by COPY, changed ones through a temporary staging table and one UPDATE …
FROM, replaced values into the append-only revisions: all of it without the owner's rights."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from jinjie.assessments.models import MonthlyScore
from jinjie.people.models import Employee, RankChange, RecordRevision
from tests.app_role import acting_as

from .conftest import COUNTY

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

SCORES = ["工号", "月份", "考核得分", "卷烟营销指标", "服务质量指标", "基础管理与纪律"]
EMPLOYEES = ["工号", "姓名", "所属单位", "岗位序列", "本岗位起始日期", "当前职级", "现职级起始日期", "手机号"]


@pytest.fixture(autouse=True)
def _schemes(transactional_db):
    from jinjie.assessments.schemes import schemes_load_defaults

    schemes_load_defaults()


def test_the_application_role_imports_new_and_changed_rows(app_role, employees, write_csv, run_import):
    call_command("init", app_role=app_role)
    with acting_as(app_role):
        created = run_import("scores", write_csv([SCORES, ["E001", "2026-07", "85", "40", "27", "18"], ["E002", "2026-07", "80", "", "", ""]]))
        changed = run_import("scores", write_csv([SCORES, ["E001", "2026-07", "88.5", "42.5", "28", "18"]], name="v2.csv"))
        hired = run_import("employees", write_csv([EMPLOYEES, ["N001", "张三", COUNTY, "客户经理", "2024-01-15", "", "", "13800000000"],
                                                   ["E001", "员工E001", COUNTY, "客户经理", "2022-01-01", "初级A", "2026-04-01", ""]], name="e.csv"))
    assert (created.created, changed.updated, hired.created, hired.updated) == (2, 1, 1, 1)
    assert MonthlyScore.objects.get(employee__employee_no="E001").score == Decimal("88.5")
    assert RecordRevision.objects.get(kind="scores").old_values["score"] == "85"
    assert list(RankChange.objects.values_list("employee__employee_no", "to_rank")) == [("E001", "初级A")]
    assert Employee.objects.get(employee_no="N001").current_rank == "见习"
