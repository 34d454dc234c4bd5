"""Running one job: the django-tasks task the worker picks from the queue.

The queue's task only names the job; everything the user sees is written to the Job row:
running, its progress, then the result or the Chinese reason it failed. The job's function
does its work in its own transaction (the services are all or nothing), so a failure leaves
nothing half-written; an unexpected exception is logged with its traceback and the user reads
"任务失败：…", never the traceback.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jinjie.core.errors import DomainError

from ..models import Job, JobState
from .progress import ProgressWriter
from .registry import kind_named
from .services import JobFailed

logger = logging.getLogger("jinjie.jobs")


def unexpected_failure(job_id: int) -> str:
    return f"任务失败：系统内部错误，详细情况已记入服务器日志（任务 #{job_id}），请联系系统管理员"


@task()
def run_job(job_id: int) -> str:
    return execute(job_id)


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(of=("self",))
            .select_related("created_by", "created_by__org_unit")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.state != JobState.QUEUED:
            return None  # already run (or taken by another worker): never twice
        now = timezone.now()
        Job.objects.filter(pk=job_id).update(state=JobState.RUNNING, started_at=now, heartbeat_at=now)
        job.state, job.started_at, job.heartbeat_at = JobState.RUNNING, now, now
        return job


def _finish(job: Job, *, state: str, result=None, error: str = "") -> None:
    values = {"state": state, "result": result, "error": error, "finished_at": timezone.now()}
    if state == JobState.SUCCEEDED:
        values["heartbeat_at"] = values["finished_at"]
    Job.objects.filter(pk=job.pk).update(**values)


def execute(job_id: int) -> str:
    """Run the job `job_id` if it is still queued; returns the state it ended in."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    spec = kind_named(job.kind)
    progress = ProgressWriter(job.pk)
    try:
        if spec is None:
            raise DomainError(f"未知的后台任务类别：{job.kind}（可能是旧版本提交的任务）")
        result = spec.func(actor=job.created_by, progress=progress, **job.args)
    except JobFailed as e:
        _finish(job, state=JobState.FAILED, result=e.result, error=str(e))
    except DomainError as e:
        _finish(job, state=JobState.FAILED, error=str(e))
    except Exception:
        logger.exception("后台任务 #%s（%s）失败", job.pk, job.kind)
        _finish(job, state=JobState.FAILED, error=unexpected_failure(job.pk))
    else:
        _finish(job, state=JobState.SUCCEEDED, result=result)
    finally:
        progress.close()
    return Job.objects.values_list("state", flat=True).get(pk=job.pk)
