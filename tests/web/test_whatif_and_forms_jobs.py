"""The what-if of a scope too large for a request, and a big batch of 晋级审批表, run as background
jobs (issue 14): the request only queues them, the job's page shows the result — the what-if's
counts and differences with their Excel export, the PDF to download — to the user who asked only;
a double click queues one job; nothing is written by either."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from jinjie.approvals.services import proposal_submit
from jinjie.core.models import Job, JobState
from jinjie.evaluations.models import Proposal
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def work():
    call_command("worker", "--burst", verbosity=0)


def _pages(pdf: bytes) -> int:
    return int(re.search(rb"/Count (\d+) /Kids \[[^]]*\] /Type /Pages", pdf).group(1))


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    settings.JINJIE_JOB_FILES_DIR = tmp_path / "job-files"
    return settings.JINJIE_JOB_FILES_DIR


# --- the what-if ----------------------------------------------------------------------------------


def ask_in_background(client, draft, unit):
    return client.post(reverse("web:whatif_job"), {"book": draft.pk, "period": "2026Q3", "unit": unit.pk})


def test_a_whatif_too_large_for_the_page_runs_as_a_job_and_shows_its_result(client_for, evaluated, draft, tree, settings):
    settings.JINJIE_WHATIF_MAX_EMPLOYEES = 1
    before = list(Proposal.objects.order_by("pk").values_list("pk", "state", "to_rank", "updated_at"))
    client = client_for(Role.HR)
    first, second = ask_in_background(client, draft, tree["city_a"]), ask_in_background(client, draft, tree["city_a"])
    assert first.status_code == 302 and first.url == second.url  # a double click: one job
    job = Job.objects.get()
    assert (job.kind, job.state) == ("whatif_run", JobState.QUEUED)
    assert "排队中" in client.get(first.url).content.decode()
    work()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    page = client.get(first.url).content.decode()
    assert "按 v2 试算完成" in page and "结果不同 1 人" in page
    assert 'id="whatif-job-counts"' in page and "赵六" in page and "平均绩效 85 &lt; 86 ✗" in page
    assert "每月增减 -200.00 元" in page  # 初级A 2800 → 初级B 2600 a month
    export = client.get(reverse("web:job_export", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "工号" and [r[:2] for r in rows[1:]] == [("A002", "赵六")]
    assert list(Proposal.objects.order_by("pk").values_list("pk", "state", "to_rank", "updated_at")) == before


def test_the_whatif_job_keeps_the_rights_of_the_page(client_for, evaluated, draft, tree):
    for role in (Role.COMMITTEE, Role.LEADER, Role.EMPLOYEE):
        assert ask_in_background(client_for(role), draft, tree["city_a"]).status_code == 403
    # 乙市局's HR cannot choose 甲市局: refused, nothing queued.
    refused = ask_in_background(client_for("hr_b"), draft, tree["city_a"])
    assert refused.status_code == 302 and not Job.objects.exists()
    response = ask_in_background(client_for(Role.HR), draft, tree["city_a"])
    work()
    job = Job.objects.get()
    for other in ("hr_b", Role.COMMITTEE):
        assert client_for(other).get(response.url).status_code == 404
        assert client_for(other).get(reverse("web:job_export", args=[job.pk])).status_code == 404


def test_a_whatif_job_whose_book_has_gone_fails_in_chinese(client_for, evaluated, draft, tree):
    response = ask_in_background(client_for(Role.HR), draft, tree["city_a"])
    Job.objects.update(args={"book_id": 10**9, "period": "2026Q3", "org_unit_id": tree["city_a"].pk})
    work()
    page = client_for(Role.HR).get(response.url).content.decode()
    assert 'id="job-error"' in page and "要试算的标准已不存在" in page
    assert client_for(Role.HR).get(reverse("web:job_export", args=[Job.objects.get().pk])).status_code == 404


# --- a big batch of 晋级审批表 ----------------------------------------------------------------------


@pytest.fixture
def in_review(evaluated, users):
    proposal_submit(proposals=[evaluated["A001"], evaluated["A002"]], actor=users[Role.COMMITTEE])
    return evaluated


@pytest.fixture
def small_batches(monkeypatch):
    # The in-request batch bound made 1, so that two forms make a "big" batch.
    monkeypatch.setattr("jinjie.web.views.approval_forms.MAX_FORMS", 1)


def test_a_batch_over_the_request_bound_is_made_by_a_job_and_offered_to_download(client_for, in_review, small_batches, job_files):
    client = client_for(Role.COMMITTEE)
    ids = {"print_ids": [in_review["A001"].pk, in_review["A002"].pk]}
    first = client.post(reverse("web:proposal_forms_pdf"), ids)
    again = client.post(reverse("web:proposal_forms_pdf"), ids)
    assert first.status_code == 302 and first.url == again.url and Job.objects.count() == 1
    work()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED, job.error
    page = client.get(first.url).content.decode()
    assert "已生成 2 份晋级审批表" in page and reverse("web:job_file", args=[job.pk]) in page
    pdf = client.get(reverse("web:job_file", args=[job.pk]))
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF-") and _pages(content) == 2
    assert [p.name for p in job_files.iterdir()] == [job.result["file"]]  # no partial file left
    for other in (Role.LEADER, "committee_b", Role.EMPLOYEE):
        assert client_for(other).get(reverse("web:job_file", args=[job.pk])).status_code == 404


def test_a_batch_job_prints_only_what_is_in_the_users_scope(client_for, in_review, small_batches):
    client = client_for("committee_b")
    response = client.post(reverse("web:proposal_forms_pdf"), {"print_ids": [in_review["A001"].pk, in_review["A002"].pk]})
    work()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "不在您的数据范围内" in job.error
    assert "不在您的数据范围内" in client.get(response.url).content.decode()
    assert client.get(reverse("web:job_file", args=[job.pk])).status_code == 404


def test_a_made_file_that_was_removed_is_said_so(client_for, in_review, small_batches, job_files):
    client = client_for(Role.COMMITTEE)
    client.post(reverse("web:proposal_forms_pdf"), {"print_ids": [in_review["A001"].pk, in_review["A002"].pk]})
    work()
    for f in job_files.iterdir():
        f.unlink()
    missing = client.get(reverse("web:job_file", args=[Job.objects.get().pk]), follow=True)
    assert missing.redirect_chain[-1][0] == reverse("web:job", args=[Job.objects.get().pk])
    assert "文件已不存在" in missing.content.decode()


def test_an_english_user_reads_the_job_pages_in_english(client_for, evaluated, draft, tree, settings, in_review, small_batches):
    settings.JINJIE_WHATIF_MAX_EMPLOYEES = 1
    hr = client_for(Role.HR)
    hr.cookies["django_language"] = "en"
    assert "Run it in the background" in hr.get(
        reverse("web:whatif") + f"?book={draft.pk}&period=2026Q3&unit={tree['city_a'].pk}").content.decode()
    whatif = ask_in_background(hr, draft, tree["city_a"])
    committee = client_for(Role.COMMITTEE)
    committee.cookies["django_language"] = "en"
    forms = committee.post(reverse("web:proposal_forms_pdf"), {"print_ids": [in_review["A001"].pk, in_review["A002"].pk]})
    work()
    page = hr.get(whatif.url).content.decode()
    assert "What-if of 2026" in page and "with a different outcome" in page and "Export to Excel" in page
    assert "2 promotion approval forms are ready" in committee.get(forms.url).content.decode()
