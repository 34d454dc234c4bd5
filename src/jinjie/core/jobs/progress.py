"""A job's progress, written where the pages can read it while the job's transaction is open.

A job's work is one transaction (all or nothing), so progress written on the worker's own
connection would stay invisible until the end. On PostgreSQL it goes through a second
connection, committed at once. On SQLite the job's transaction holds the database's only write
lock, so a second connection would wait for the job itself; there it goes to Django's cache
(a file cache under JINJIE_VAR_DIR, shared by the processes of the one machine an SQLite
installation runs on) until the transaction ends, and to the row otherwise.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from ..models import Job

EVERY_SECONDS = 0.5  # at most two writes a second, however often the work reports


def cache_key(job_id: int) -> str:
    return f"jinjie:job:{job_id}:progress"


class ProgressWriter:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._side = None
        self._last = 0.0
        self._stage = None

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if stage == self._stage and not final and now - self._last < EVERY_SECONDS:
            return
        self._stage, self._last = stage, now
        values = {"stage": stage[:100], "done": max(0, int(done)), "total": None if total is None else max(0, int(total))}
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job_id).update(**values, heartbeat_at=timezone.now())
        elif connection.vendor == "postgresql":
            self._write_aside(values)
        else:
            cache.set(cache_key(self.job_id), {**values, "at": timezone.now().isoformat()}, 24 * 3600)

    def _write_aside(self, values: dict) -> None:
        if self._side is None:
            self._side = connections.create_connection("default")
        table = connection.ops.quote_name(Job._meta.db_table)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET stage = %s, done = %s, total = %s, heartbeat_at = %s WHERE id = %s",
                [values["stage"], values["done"], values["total"], timezone.now(), self.job_id],
            )

    def close(self) -> None:
        cache.delete(cache_key(self.job_id))
        if self._side is not None:
            self._side.close()
            self._side = None
