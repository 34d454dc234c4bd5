"""Long work through the pages runs as background jobs: the request only queues it, the job's
page polls its progress (htmx) and shows its result or its Chinese error; a double click runs
once; only the user who asked sees the job; a failed job leaves nothing half-written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jinjie.assessments.models import MonthlyScore
from jinjie.core.models import Job, JobState
from jinjie.evaluations.models import EvaluationRun, Proposal
from jinjie.org.models import Role, User
from jinjie.web.views.imports import upload_dir

pytestmark = pytest.mark.django_db


def work():
    call_command("worker", "--burst", verbosity=0)


def run_period(client, unit):
    return client.post(reverse("web:periods"), {"period": "2026Q3", "org_unit": unit.pk})


def test_a_double_click_queues_one_job_and_evaluates_once(client_for, staff, rulebooks, tree):
    client = client_for(Role.COMMITTEE)
    first, second = run_period(client, tree["city_a"]), run_period(client, tree["city_a"])
    assert first.url == second.url
    assert Job.objects.count() == 1
    work()
    assert EvaluationRun.objects.count() == 1
    assert Job.objects.get().state == JobState.SUCCEEDED


def test_a_colleagues_same_job_is_not_queued_again(client_for, users, staff, rulebooks, tree):
    run_period(client_for(Role.COMMITTEE), tree["city_a"])
    colleague = User.objects.create_user("committee2", password="x", role=Role.COMMITTEE, org_unit=tree["city_a"])
    client = Client()
    client.force_login(colleague)
    response = client.post(reverse("web:periods"), {"period": "2026Q3", "org_unit": tree["city_a"].pk}, follow=True)
    assert "已提交了同样的任务" in response.content.decode()
    assert Job.objects.count() == 1


def test_only_the_user_who_asked_sees_the_job(client_for, users, staff, rulebooks, tree):
    response = run_period(client_for(Role.COMMITTEE), tree["city_a"])
    job = Job.objects.get()
    assert client_for(Role.COMMITTEE).get(response.url).status_code == 200
    for other in (Role.HR, Role.LEADER, Role.EMPLOYEE, "committee_b"):
        assert client_for(other).get(response.url).status_code == 404
        assert client_for(other).get(reverse("web:job_progress", args=[job.pk])).status_code == 404
    admin = User.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(admin)
    assert client.get(response.url).status_code == 200
    anonymous = Client().get(response.url)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url


def test_a_running_job_shows_its_stage_and_a_progress_bar(client_for, staff, rulebooks, tree):
    response = run_period(client_for(Role.COMMITTEE), tree["city_a"])
    Job.objects.update(state=JobState.RUNNING, stage="测评", done=30, total=120)
    page = client_for(Role.COMMITTEE).get(response.url).content.decode()
    assert "进行中" in page and "测评：30 / 120" in page
    assert '<progress class="w-100" max="100" value="25">' in page
    assert 'hx-trigger="every 1s"' in page


def test_a_refused_evaluation_says_why_in_chinese(client_for, staff, tree):
    # No rule book loaded: the service refuses, the job carries its message as it is.
    response = run_period(client_for(Role.COMMITTEE), tree["city_a"])
    work()
    page = client_for(Role.COMMITTEE).get(response.url).content.decode()
    assert "失败" in page and 'id="job-error"' in page and "评定标准" in page
    assert not EvaluationRun.objects.exists()


def test_an_evaluation_that_breaks_half_way_writes_nothing(client_for, staff, rulebooks, tree, monkeypatch):
    from jinjie.evaluations import services

    def broken_flush(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services._ProposalWriter, "flush", broken_flush)
    response = run_period(client_for(Role.COMMITTEE), tree["city_a"])
    work()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.error.startswith("任务失败：")
    page = client_for(Role.COMMITTEE).get(response.url).content.decode()
    assert "任务失败：" in page and "disk on fire" not in page and "Traceback" not in page
    assert not EvaluationRun.objects.exists() and not Proposal.objects.exists()


# --- imports -----------------------------------------------------------------------------------


@pytest.fixture
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def _csv(text: str, name="scores.csv"):
    return SimpleUploadedFile(name, ("\ufeff" + text).encode("utf-8"), content_type="text/csv")


GOOD = "工号,月份,考核得分\nA001,2026-10,91\nA002,2026-10,88.5\n"
BAD = "工号,月份,考核得分\nA001,2026-13,91\nA999,2026-10,abc\n"


def test_a_big_file_is_previewed_and_imported_by_the_worker(client_for, staff, uploads, settings):
    settings.JINJIE_IMPORT_JOB_BYTES = 10  # every file is "big" here
    client = client_for(Role.ASSESSOR)
    preview = client.post(reverse("web:imports"), {"kind": "scores", "file": _csv(GOOD)})
    job = Job.objects.get()
    assert preview.url == reverse("web:job", args=[job.pk]) and job.args["dry_run"] is True
    work()
    page = client.get(preview.url).content.decode()
    assert "校验通过" in page and "将新增" in page and "确认导入" in page
    assert not MonthlyScore.objects.filter(month="2026-10").exists()
    token = page.split('name="token" value="')[1].split('"')[0]

    confirmed = client.post(reverse("web:import_confirm"), {"token": token, "action": "confirm"})
    imported = Job.objects.exclude(pk=job.pk).get()
    assert confirmed.url == reverse("web:job", args=[imported.pk])
    work()
    assert MonthlyScore.objects.filter(month="2026-10").count() == 2
    assert "导入完成" in client.get(confirmed.url).content.decode()
    assert list(upload_dir().iterdir()) == []  # the file is removed once imported


def test_a_big_bad_file_gets_its_row_report_on_the_jobs_page(client_for, staff, uploads, settings):
    settings.JINJIE_IMPORT_JOB_BYTES = 10
    client = client_for(Role.ASSESSOR)
    preview = client.post(reverse("web:imports"), {"kind": "scores", "file": _csv(BAD)})
    work()
    page = client.get(preview.url).content.decode()
    assert 'id="job-error"' in page and "未写入任何数据" in page
    assert "2026-13" in page and "abc" in page and "确认导入" not in page
    assert list(upload_dir().iterdir()) == []


def test_a_previewed_file_of_many_rows_is_imported_by_the_worker(client_for, staff, uploads, settings):
    settings.JINJIE_IMPORT_JOB_ROWS = 2
    client = client_for(Role.ASSESSOR)
    token = client.post(reverse("web:imports"), {"kind": "scores", "file": _csv(GOOD)}).context["token"]
    assert not Job.objects.exists()  # a small file: previewed in the request
    confirmed = client.post(reverse("web:import_confirm"), {"token": token, "action": "confirm"})
    assert confirmed.url == reverse("web:job", args=[Job.objects.get().pk])
    assert not MonthlyScore.objects.filter(month="2026-10").exists()
    work()
    assert MonthlyScore.objects.filter(month="2026-10").count() == 2
