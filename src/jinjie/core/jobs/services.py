"""Enqueue a job, once: a double click, or two requests at once, give the same job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jinjie.core.errors import DomainError

from ..models import PENDING_STATES, Job, JobState
from .registry import kind_named


class JobError(DomainError):
    """A job that cannot be enqueued (an unknown kind, arguments that are not JSON)."""


class JobFailed(DomainError):
    """Raised by a job's function to fail with a Chinese message and a result still worth showing
    (an import's row report)."""

    def __init__(self, message: str, *, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


STALE_REASON = "任务中断：执行它的工作进程已停止（长时间没有进度），请重新提交"


def _fail_stale(dedupe_key: str) -> None:
    """A running job whose worker died (killed, machine restarted) would hold its key for ever:
    after JINJIE_JOB_STALE_SECONDS without progress it is failed, so the same work can be asked again."""
    cutoff = timezone.now() - timedelta(seconds=settings.JINJIE_JOB_STALE_SECONDS)
    Job.objects.filter(dedupe_key=dedupe_key, state=JobState.RUNNING, heartbeat_at__lt=cutoff).update(
        state=JobState.FAILED, error=STALE_REASON, finished_at=timezone.now()
    )


def _pending(dedupe_key: str) -> Job | None:
    return Job.objects.filter(dedupe_key=dedupe_key, state__in=PENDING_STATES).order_by("pk").first()


def job_enqueue(*, kind: str, args: dict[str, Any], actor=None, dedupe_key: str = "", label: str = "") -> Job:
    """Queue the job `kind` with `args` for `jinjie worker`, as `actor`.

    With a `dedupe_key`, a job with the same key that is still queued or running is returned
    instead of a new one. The job row and the queue's own row are written in one transaction:
    the worker never sees a task without its job, nor a job without its task.
    """
    from .runner import run_job

    spec = kind_named(kind)
    if spec is None:
        raise JobError(f"未知的后台任务类别：{kind}")
    if dedupe_key:
        _fail_stale(dedupe_key)
        existing = _pending(dedupe_key)
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind, label=(label or spec.label)[:200], args=args, dedupe_key=dedupe_key[:200], created_by=actor
            )
            queued = run_job.enqueue(job.pk)
            job.task_id = str(queued.id)
            job.save(update_fields=["task_id"])
    except IntegrityError:
        # Another request inserted the same key between our look and our insert (the partial
        # unique index made us wait for it, then refused): that job is the one.
        existing = _pending(dedupe_key) if dedupe_key else None
        if existing is None:
            raise
        return existing
    except TypeError as e:  # arguments the queue cannot store as JSON: a programming error
        raise JobError(f"后台任务参数无法保存：{e}") from None
    return job
