"""One sync at a time per connection, with a lock that dies with its process.

A sync that was killed (SIGKILL, OOM, a lost worker) must not block the next one, and a
redelivered Celery task must not run next to a live one. So the lock is not a row flag
but something the operating system or the database releases when the holder dies:

- PostgreSQL: a session advisory lock on a dedicated connection (released when the
  backend sees the socket close);
- SQLite file: an OS file lock (`flock`) next to the database file;
- SQLite in memory (tests): the database lives in this process only, so a process lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections
from filelock import FileLock, Timeout

# pg_try_advisory_lock(namespace, key): the namespace keeps us clear of other advisory locks.
ADVISORY_NAMESPACE = 0x5C0_5F1C
_process_locks: dict[int, threading.Lock] = {}
_process_guard = threading.Lock()


@contextmanager
def sync_lock(connection_id: int) -> Iterator[bool]:
    """Yields True while this process holds the connection's sync lock, False if another does."""
    if connection.vendor == "postgresql":
        with _advisory(connection_id) as held:
            yield held
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
        path = Path(str(connection.settings_dict["NAME"]) + f".sync-{connection_id}.lock")
        lock = FileLock(path)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()
    else:
        with _process_guard:
            lock = _process_locks.setdefault(connection_id, threading.Lock())
        if not lock.acquire(blocking=False):
            yield False
            return
        try:
            yield True
        finally:
            lock.release()


@contextmanager
def _advisory(connection_id: int) -> Iterator[bool]:
    dedicated = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with dedicated.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, connection_id])
            held = bool(cursor.fetchone()[0])
        yield held
    finally:
        dedicated.close()  # closing the session releases the lock


def is_locked(connection_id: int) -> bool:
    """Whether a live process is syncing the connection right now."""
    with sync_lock(connection_id) as held:
        return not held
