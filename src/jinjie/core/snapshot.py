"""A second connection that reads exactly what the current transaction sees (PostgreSQL).

A bulk write streams its rows into a COPY, and no other statement may run on a connection while
its COPY is open. The quarterly run reads its facts chunk by chunk; on one connection it has to
close the COPY, wait for the server to store every row sent so far, read the next chunk, then
open a new COPY — the server and the engine taking turns. Reading on a second connection, in a
thread one chunk ahead (`read_aside`), lets the server store one chunk's rows while the next chunk
is read, and read the next while this one is evaluated.

The second connection imports the transaction's snapshot (`pg_export_snapshot`, `SET TRANSACTION
SNAPSHOT` in a REPEATABLE READ, READ ONLY transaction), so it reads the data the transaction
itself would read at that moment — but not the transaction's own uncommitted changes, which no
other connection can see. It is therefore offered only while the transaction has changed
nothing yet (`unchanged_so_far`, asked before the writer's first change): a test's data written
in the test's own transaction, or any caller's writes before the bulk read, keep the one
connection.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["read_aside", "unchanged_so_far"]

T = TypeVar("T")

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


def _export(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
    if not _SNAPSHOT_ID.match(snapshot):  # inlined below: SET TRANSACTION takes no parameter
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    return snapshot


@contextmanager
def _connected(snapshot: str, using: str) -> Iterator[BaseDatabaseWrapper]:
    """A new connection (of the calling thread) in a READ ONLY transaction on `snapshot`."""
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


@contextmanager
def read_aside(reads: Callable[[BaseDatabaseWrapper], Iterable[T]], using: str = "default") -> Iterator[Iterator[T]]:
    """What `reads(reader)` yields, read one item ahead of the caller, in a thread, on a second
    connection that sees the current transaction's snapshot.

    The caller works on one item (and writes on its own connection) while the next is read: the
    queries' time on the server is no longer the caller's to wait for. Call it only where
    `unchanged_so_far` held before the transaction's first change; row locks taken since (SELECT …
    FOR UPDATE) do not matter, since they change no data. An error in `reads` is raised in the
    caller; leaving the block early stops the thread and closes its connection.
    """
    snapshot = _export(connections[using])  # in the caller's thread: its transaction's snapshot
    items: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand_over(kind: str, value=None) -> bool:
        while not stop.is_set():
            try:
                items.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            with _connected(snapshot, using) as reader:
                for item in reads(reader):
                    if not hand_over("item", item):
                        return
            hand_over("end")
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            hand_over("error", error)
        finally:
            # `reads` is given the reader; should anything in it still reach for Django's own
            # connection of this thread (one per thread, outside the snapshot), it is not left open.
            connections.close_all()

    def results() -> Iterator[T]:
        while True:
            kind, value = items.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value

    thread = threading.Thread(target=work, name="jinjie-read-aside", daemon=True)
    thread.start()
    try:
        yield results()
    finally:
        stop.set()
        thread.join()
