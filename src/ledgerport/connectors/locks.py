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
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections
from filelock import FileLock, Timeout

# pg_try_advisory_lock(namespace, key): the namespace keeps us clear of other advisory locks.
ADVISORY_NAMESPACE = 0x5C0_5F1C
_process_locks: dict[int, threading.Lock] = {}
_process_guard = threading.Lock()


POLL = 0.05  # seconds between tries while waiting for a lock


@contextmanager
def sync_lock(connection_id: int, wait: float = 0.0) -> Iterator[bool]:
    """Yields True while this process holds the connection's sync lock, False if another does.

    `wait`: keep trying that many seconds (a watchdog's probe holds it for a moment)."""
    if connection.vendor == "postgresql":
        with _advisory(connection_id, wait) as held:
            yield held
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
        path = Path(str(connection.settings_dict["NAME"]) + f".sync-{connection_id}.lock")
        lock = FileLock(path)
        try:
            lock.acquire(timeout=wait, poll_interval=POLL)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()
    else:
        with _process_guard:
            guard = _process_locks.setdefault(connection_id, threading.Lock())
        if not guard.acquire(timeout=wait):
            yield False
            return
        try:
            yield True
        finally:
            guard.release()


@contextmanager
def _advisory(connection_id: int, wait: float) -> Iterator[bool]:
    dedicated = connections.create_connection(DEFAULT_DB_ALIAS)
    deadline = time.monotonic() + wait
    try:
        with dedicated.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, connection_id])
                held = bool(cursor.fetchone()[0])
                if held or time.monotonic() >= deadline:
                    break
                time.sleep(POLL)
        yield held
    finally:
        dedicated.close()  # closing the session releases the lock


def is_locked(connection_id: int) -> bool:
    """Whether a live process is syncing the connection right now."""
    with sync_lock(connection_id) as held:
        return not held
