"""Background jobs: long work run by `jinjie worker`, with progress a page can poll.

The queue is django-tasks' database backend (no broker: a table in our own database, SQLite or
PostgreSQL); what a user sees is a `core.models.Job` row. A domain app never imports the worker:

- a module registers a kind: `@register("evaluation_run", "季度测评")` over a function taking
  keyword arguments (JSON values), `actor` (the user who asked, or None for the operator) and
  `progress(stage, done, total)`, returning a JSON-able result;
- an edge enqueues it by name: `job_enqueue(kind=…, args={…}, actor=user, dedupe_key=…)`;
- `jinjie worker` (ops) runs it: the function's own transaction makes it all or nothing; a
  DomainError becomes the job's Chinese error as it is, anything else "任务失败：…" (logged).
"""

from .registry import JobKind, Progress, kind_named, register, registered_kinds
from .selectors import job_for, job_view
from .services import JobError, JobFailed, job_enqueue

__all__ = [
    "JobError",
    "JobFailed",
    "JobKind",
    "Progress",
    "job_enqueue",
    "job_for",
    "job_view",
    "kind_named",
    "register",
    "registered_kinds",
]
