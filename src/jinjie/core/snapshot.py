"""A second connection that reads exactly what the current transaction sees (PostgreSQL).

A bulk write streams its rows into a COPY, and no other statement may run on a connection while
its COPY is open. The quarterly run reads its facts chunk by chunk; on one connection it has to
close the COPY, wait for the server to store every row sent so far, read the next chunk, then
open a new COPY — the server and the engine taking turns. Reading on a second connection lets
the server store one chunk's rows while the next chunk is read and evaluated.

The second connection imports the transaction's snapshot (`pg_export_snapshot`, `SET TRANSACTION
SNAPSHOT` in a REPEATABLE READ, READ ONLY transaction), so it reads the data the transaction
itself would read at that moment — but not the transaction's own uncommitted changes, which no
other connection can see. It is therefore offered only while the transaction has changed
nothing yet (`unchanged_so_far`, asked before the writer's first change): a test's data written
in the test's own transaction, or any caller's writes before the bulk read, keep the one
connection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["snapshot_reader", "unchanged_so_far"]

_SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+-[0-9]+$")


def unchanged_so_far(using: str = "default") -> bool:
    """PostgreSQL, inside a transaction that has not changed (nor locked) anything yet: no
    transaction id has been assigned to it."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NULL")
        return bool(cursor.fetchone()[0])


@contextmanager
def snapshot_reader(using: str = "default") -> Iterator[BaseDatabaseWrapper]:
    """A new connection whose reads see the current transaction's snapshot, closed afterwards.

    Call it only where `unchanged_so_far` held before the transaction's first change; row locks
    taken since (SELECT … FOR UPDATE) do not matter, since they change no data.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
    if not _SNAPSHOT_ID.match(snapshot):  # inlined below: SET TRANSACTION takes no parameter
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    reader = connections.create_connection(using)
    try:
        with reader.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        yield reader
        with reader.cursor() as cursor:
            cursor.execute("COMMIT")
    finally:
        reader.close()
