"""Imports through the API (SPEC 6): all or nothing, a Chinese row report, HR and the assessment
centre only, and only into their own subtree."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.test import APIClient

from jinjie.assessments.models import MonthlyScore
from jinjie.org.models import Role
from jinjie.people.models import Employee

pytestmark = pytest.mark.django_db

EMPLOYEES_CSV = (
    "\ufeff工号,姓名,所属单位,岗位序列,本岗位起始日期,当前职级\n"
    "A100,孙八,某省公司/甲市局/甲县局,客户经理,2025-03-01,见习\n"
)
SCORES_CSV = "工号,月份,考核得分\nA001,2026-07,85\nA001,2026-08,86.5\n"


def upload(client, kind, content, name="data.csv", query=""):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        f"/api/imports/{kind}/{query}", {"file": SimpleUploadedFile(name, data)}, format="multipart"
    )


def test_hr_checks_a_file_first_with_dry_run_and_nothing_is_written(client_for, staff):
    response = upload(client_for(Role.HR), "employees", EMPLOYEES_CSV, query="?dry_run=1")
    assert response.status_code == 200, response.data
    assert (response.data["dry_run"], response.data["written"], response.data["created"]) == (True, False, 1)
    assert "试运行" in response.data["detail"]
    assert not Employee.objects.filter(employee_no="A100").exists()


def test_hr_imports_employees(client_for, staff):
    response = upload(client_for(Role.HR), "employees", EMPLOYEES_CSV)
    assert response.status_code == 201, response.data
    assert (response.data["created"], response.data["updated"], response.data["written"]) == (1, 0, True)
    assert Employee.objects.get(employee_no="A100").org_unit.path == "某省公司/甲市局/甲县局"


def test_the_assessment_centre_imports_scores_from_xlsx(client_for, staff):
    book = Workbook()
    sheet = book.active
    sheet.append(["employee_no", "month", "score"])
    sheet.append(["A001", "2026-07", 85])
    sheet.append(["A002", "2026-07", 91.5])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client_for(Role.ASSESSOR), "scores", buffer.getvalue(), name="scores.xlsx")
    assert response.status_code == 201, response.data
    assert response.data["created"] == 2
    assert MonthlyScore.objects.get(employee=staff["li"], month="2026-07").score == Decimal("91.5")


def test_a_bad_file_writes_nothing_and_reports_every_row_in_chinese(client_for, staff):
    content = "工号,月份,考核得分\nA001,2026-07,85\nA001,2026-13,86\nA002,2026-07,百分\nA001,2026-07,80\n"
    response = upload(client_for(Role.ASSESSOR), "scores", content)
    assert response.status_code == 400
    assert "未写入任何数据" in response.data["detail"]
    rows = [(e["row"], e["column"], e["value"]) for e in response.data["errors"]]
    assert (3, "月份", "2026-13") in rows
    assert (4, "考核得分", "百分") in rows
    assert any(e["row"] == 5 and "与第 2 行重复" in e["reason"] for e in response.data["errors"])
    assert response.data["error_count"] == len(response.data["errors"]) == 3
    assert response.data["truncated"] is False
    assert not MonthlyScore.objects.exists()


def test_scores_of_another_citys_employee_are_refused_row_by_row(client_for, staff):
    content = "工号,月份,考核得分\nA001,2026-07,85\nB001,2026-07,85\n"
    response = upload(client_for(Role.ASSESSOR), "scores", content)
    assert response.status_code == 400
    assert [(e["row"], e["reason"]) for e in response.data["errors"]] == [(3, "工号不存在或不在您的管理范围内")]
    assert not MonthlyScore.objects.exists()


def test_the_assessment_centre_may_not_import_master_data(client_for, staff):
    response = upload(client_for(Role.ASSESSOR), "employees", EMPLOYEES_CSV)
    assert response.status_code == 403
    assert response.data["detail"] == "您的角色不能导入“员工”"
    assert not Employee.objects.filter(employee_no="A100").exists()


@pytest.mark.parametrize("kind", ["scores", "ability", "violations", "contributions"])
def test_the_assessment_centre_may_import_its_four_kinds(client_for, staff, kind):
    # An empty file reaches the importer (400 for "no data"), i.e. the role was let through.
    response = upload(client_for(Role.ASSESSOR), kind, "工号\n")
    assert response.status_code == 400
    assert response.data["errors"]


@pytest.mark.parametrize(
    "role", [Role.COMMITTEE, Role.TRACK_REVIEWER, Role.LEADER, Role.DIRECTOR, Role.DISCIPLINE, Role.EMPLOYEE]
)
def test_other_roles_may_not_import(client_for, staff, role):
    assert upload(client_for(role), "scores", SCORES_CSV).status_code == 403
    assert not MonthlyScore.objects.exists()


def test_anonymous_may_not_import(anon, staff):
    assert upload(anon, "scores", SCORES_CSV).status_code == 401


def test_an_unknown_kind_is_not_found(client_for, staff):
    response = upload(client_for(Role.HR), "salaries", SCORES_CSV)
    assert response.status_code == 404
    assert "未知的数据类别" in response.data["detail"]
    assert "employees（员工）" in response.data["detail"] and "scores（月度考核）" in response.data["detail"]


def test_a_missing_file_is_a_chinese_400(client_for, staff):
    response = client_for(Role.HR).post("/api/imports/scores/", {}, format="multipart")
    assert response.status_code == 400
    assert response.data["detail"] == "提交的数据有误：file: 没有提交任何文件。"


def test_a_file_that_is_not_a_table_is_a_chinese_400(client_for, staff):
    response = upload(client_for(Role.HR), "scores", b"\x00\x01\x02 not a spreadsheet", name="x.pdf")
    assert response.status_code == 400
    assert [(e["row"], e["reason"]) for e in response.data["errors"]] == [(None, "不是 CSV 或 XLSX 文件")]
    assert response.data["detail"] == "x.pdf：共 0 行数据，1 处错误，未写入任何数据"


def test_an_import_by_session_needs_the_csrf_token(users, staff):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="assessor", password="jinjie-test-pw")
    response = upload(client, "scores", SCORES_CSV)
    assert response.status_code == 403
    assert "CSRF" in response.data["detail"]
    assert not MonthlyScore.objects.exists()


def test_an_import_by_token_works(users, staff):
    client = APIClient()
    token = client.post("/api/token/", {"username": "assessor", "password": "jinjie-test-pw"}).data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = upload(client, "scores", SCORES_CSV)
    assert response.status_code == 201, response.data
    assert MonthlyScore.objects.filter(employee=staff["zhang"]).count() == 2
