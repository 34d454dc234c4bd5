"""数据导入 through the page: an error report per row, or a preview; the file is kept under a
token until confirmed; nothing is written before the confirmation or when any row is bad."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jinjie.assessments.models import MonthlyScore
from jinjie.org.models import Role
from jinjie.web.views.imports import upload_dir

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _csv(text: str, name="scores.csv"):
    return SimpleUploadedFile(name, ("\ufeff" + text).encode("utf-8"), content_type="text/csv")


GOOD = "工号,月份,考核得分\nA001,2026-10,91\nA002,2026-10,88.5\n"
BAD = "工号,月份,考核得分\nA001,2026-13,91\nA999,2026-10,abc\n"


def test_a_bad_file_gets_a_report_per_row_and_writes_nothing(client_for, staff):
    response = client_for(Role.ASSESSOR).post(reverse("web:imports"), {"kind": "scores", "file": _csv(BAD)})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in page
    assert "<td>2</td>" in page and "<td>3</td>" in page  # spreadsheet rows: header is row 1
    assert "2026-13" in page and "abc" in page
    assert not MonthlyScore.objects.filter(month="2026-10").exists()
    assert list(upload_dir().iterdir()) == []  # a refused file is not kept


def test_a_good_file_is_previewed_then_written_on_confirmation(client_for, staff):
    client = client_for(Role.ASSESSOR)
    preview = client.post(reverse("web:imports"), {"kind": "scores", "file": _csv(GOOD)})
    page = preview.content.decode()
    assert 'id="import-preview"' in page and "将新增" in page
    assert not MonthlyScore.objects.filter(month="2026-10").exists()
    token = preview.context["token"]
    assert (upload_dir() / f"{token}.upload").is_file()

    done = client.post(reverse("web:import_confirm"), {"token": token, "action": "confirm"}, follow=True)
    assert any("导入完成" in str(m) for m in done.context["messages"])
    assert MonthlyScore.objects.filter(month="2026-10").count() == 2
    assert not (upload_dir() / f"{token}.upload").exists()
    # The token is spent: confirming again writes nothing more.
    again = client.post(reverse("web:import_confirm"), {"token": token, "action": "confirm"}, follow=True)
    assert any("已过期" in str(m) for m in again.context["messages"])


def test_another_user_cannot_confirm_someone_elses_upload(client_for, staff):
    preview = client_for(Role.ASSESSOR).post(reverse("web:imports"), {"kind": "scores", "file": _csv(GOOD)})
    token = preview.context["token"]
    response = client_for(Role.HR).post(reverse("web:import_confirm"), {"token": token, "action": "confirm"}, follow=True)
    assert any("已过期" in str(m) for m in response.context["messages"])
    assert not MonthlyScore.objects.filter(month="2026-10").exists()


def test_cancelling_removes_the_upload(client_for, staff):
    client = client_for(Role.HR)
    token = client.post(reverse("web:imports"), {"kind": "scores", "file": _csv(GOOD)}).context["token"]
    client.post(reverse("web:import_confirm"), {"token": token, "action": "cancel"})
    assert not (upload_dir() / f"{token}.upload").exists()
    assert not MonthlyScore.objects.filter(month="2026-10").exists()


def test_the_assessment_centre_may_not_import_employees(client_for, staff):
    client = client_for(Role.ASSESSOR)
    page = client.get(reverse("web:imports")).content.decode()
    assert 'value="scores"' in page and 'value="employees"' not in page
    response = client.post(reverse("web:imports"), {"kind": "employees", "file": _csv("工号\nX\n")})
    assert "选择一个有效的选项" in response.content.decode()


def test_rows_outside_the_users_subtree_are_errors(client_for, staff):
    response = client_for(Role.HR).post(reverse("web:imports"), {"kind": "scores", "file": _csv("工号,月份,考核得分\nB001,2026-10,91\n")})
    assert 'id="import-errors"' in response.content.decode()
    assert not MonthlyScore.objects.filter(month="2026-10").exists()


def test_uploading_without_a_file_is_a_chinese_form_error(client_for, staff):
    response = client_for(Role.HR).post(reverse("web:imports"), {"kind": "scores"})
    assert "必填项" in response.content.decode()
