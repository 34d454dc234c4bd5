"""Reading a job: only the user who asked for it (or a superuser) may see it and its result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import connection

from ..models import Job
from .progress import cache_key


def job_for(*, pk: int, user) -> Job:
    """The job `pk` if `user` may see it; Job.DoesNotExist otherwise (another's job is "not found")."""
    jobs = Job.objects.select_related("created_by")
    if not user.is_superuser:
        jobs = jobs.filter(created_by_id=user.pk)
    return jobs.get(pk=pk)


@dataclass(frozen=True)
class JobView:
    job: Job
    stage: str
    done: int
    total: int | None

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


def job_view(job: Job) -> JobView:
    """The job with its latest progress (on SQLite, what the running transaction left in the cache)."""
    stage, done, total = job.stage, job.done, job.total
    if job.pending and connection.vendor == "sqlite":
        aside = cache.get(cache_key(job.pk))
        if aside and (job.heartbeat_at is None or datetime.fromisoformat(aside["at"]) >= job.heartbeat_at):
            stage, done, total = aside["stage"], aside["done"], aside["total"]
    return JobView(job, stage, done, total)
