"""Background jobs (core.jobs): queued once, run by the worker, progress visible while the job's
transaction is still open, failures said in Chinese with nothing half-written."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jinjie.core.errors import DomainError
from jinjie.core.jobs import job_enqueue, job_view, register
from jinjie.core.jobs.services import STALE_REASON, JobError
from jinjie.core.models import Job, JobState, LoginKnownAddress

seen_progress: list = []


@register("test_echo", "测试任务")
def echo(*, actor, progress, value: int) -> dict:
    progress("计算", 1, 2)
    return {"twice": value * 2, "actor": actor.username if actor else None}


@register("test_refused", "测试任务（拒绝）")
def refused(*, actor, progress) -> None:
    raise DomainError("该期间没有可测评的员工")


@register("test_half_written", "测试任务（写到一半出错）")
def half_written(*, actor, progress) -> None:
    with transaction.atomic():
        LoginKnownAddress.objects.create(key="written-before-the-crash", last_success=timezone.now())
        raise KeyError("boom: internal detail")


@register("test_progress", "测试任务（进度）")
def reports_progress(*, actor, progress, job_id_box: list | None = None) -> None:
    with transaction.atomic():
        LoginKnownAddress.objects.create(key="inside-the-transaction", last_success=timezone.now())
        progress("写入", 5, 10)
        job = Job.objects.order_by("-pk").first()
        view = job_view(job)
        seen_progress.append((view.stage, view.done, view.total, view.percent))


def work():
    call_command("worker", "--burst", verbosity=0)


@pytest.mark.django_db
def test_a_job_is_queued_then_run_by_the_worker_with_its_result(django_user_model):
    user = django_user_model.objects.create_user("hr", password="x")
    job = job_enqueue(kind="test_echo", args={"value": 21}, actor=user)
    assert job.state == JobState.QUEUED and job.label == "测试任务"
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    work()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.result == {"twice": 42, "actor": "hr"}
    assert job.started_at and job.finished_at and job.error == ""


@pytest.mark.django_db
def test_the_same_key_queued_twice_runs_once():
    first = job_enqueue(kind="test_echo", args={"value": 1}, dedupe_key="echo:1")
    second = job_enqueue(kind="test_echo", args={"value": 1}, dedupe_key="echo:1")
    assert second.pk == first.pk
    assert Job.objects.count() == 1 and DBTaskResult.objects.count() == 1
    work()
    # Once it has finished, the same work may be asked for again.
    third = job_enqueue(kind="test_echo", args={"value": 1}, dedupe_key="echo:1")
    assert third.pk != first.pk


@pytest.mark.django_db
def test_a_worker_never_runs_a_job_twice():
    job = job_enqueue(kind="test_echo", args={"value": 2})
    work()
    from jinjie.core.jobs.runner import execute

    assert execute(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_in_chinese():
    with pytest.raises(JobError, match="未知的后台任务类别"):
        job_enqueue(kind="no_such_kind", args={})
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_refusal_is_the_jobs_error_as_the_service_said_it():
    job = job_enqueue(kind="test_refused", args={})
    work()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "该期间没有可测评的员工"


@pytest.mark.django_db
def test_an_unexpected_failure_is_logged_shown_in_chinese_and_writes_nothing(caplog):
    job = job_enqueue(kind="test_half_written", args={})
    with caplog.at_level(logging.ERROR, logger="jinjie.jobs"):
        work()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.startswith("任务失败：") and f"#{job.pk}" in job.error
    assert "boom" not in job.error and "Traceback" not in job.error and "KeyError" not in job.error
    assert "boom: internal detail" in caplog.text  # the detail is in the log, for the administrator
    assert not LoginKnownAddress.objects.filter(key="written-before-the-crash").exists()


@pytest.mark.django_db
def test_a_running_job_without_progress_for_too_long_no_longer_holds_its_key(settings):
    settings.JINJIE_JOB_STALE_SECONDS = 60
    lost = job_enqueue(kind="test_echo", args={"value": 1}, dedupe_key="k")
    Job.objects.filter(pk=lost.pk).update(state=JobState.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1))
    again = job_enqueue(kind="test_echo", args={"value": 1}, dedupe_key="k")
    assert again.pk != lost.pk
    lost.refresh_from_db()
    assert lost.state == JobState.FAILED and lost.error == STALE_REASON


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_jobs_transaction_is_open():
    seen_progress.clear()
    job = job_enqueue(kind="test_progress", args={})
    work()
    assert seen_progress == [("写入", 5, 10, 50)]
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_progress_on_postgresql_is_committed_aside_while_the_job_works():
    """Another connection (the page's) reads the progress while the job's transaction is open."""
    from django.db import connections

    job = job_enqueue(kind="test_echo", args={"value": 1})
    from jinjie.core.jobs.progress import ProgressWriter

    writer = ProgressWriter(job.pk)
    other = connections.create_connection("default")
    try:
        with transaction.atomic():
            writer("写入", 3, 4)
            with other.cursor() as cursor:
                cursor.execute("SELECT stage, done, total FROM core_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == ("写入", 3, 4)
    finally:
        writer.close()
        other.close()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_requests_enqueuing_the_same_key_at_once_get_one_job():
    from django.db import connections

    barrier = threading.Barrier(2)
    got, errors = [], []

    def enqueue():
        try:
            barrier.wait(timeout=10)
            got.append(job_enqueue(kind="test_echo", args={"value": 3}, dedupe_key="double-click").pk)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connections.close_all()

    # Slow the insert down so that both requests have looked and found nothing before either inserts.
    original = Job.objects.create

    def slow_create(**kwargs):
        import time

        time.sleep(0.3)
        return original(**kwargs)

    Job.objects.create = slow_create
    try:
        threads = [threading.Thread(target=enqueue) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        del Job.objects.create
    assert not errors
    assert len(got) == 2 and got[0] == got[1]
    assert Job.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert connection.vendor == "postgresql"
