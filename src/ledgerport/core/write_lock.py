"""One writer at a time on SQLite, for write paths that may run in several threads at once.

PostgreSQL serialises such writers with a row lock inside the transaction. SQLite has one
writer per database: between processes (a file with a busy timeout) a second `BEGIN IMMEDIATE`
waits, but between connections of one process sharing a cache (the in-memory database, as the
test database is) it fails at once with "database table is locked": the busy timeout does not
apply to shared-cache locks. So on SQLite the threads of a process queue on a mutex before
their transaction begins.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction

_MUTEX = threading.RLock()
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def write_transaction(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """`transaction.atomic()`, entered by one thread of the process at a time on SQLite.

    Inside an open transaction it is a savepoint only: the outer transaction already holds
    SQLite's write lock (transactions begin IMMEDIATE), and waiting on the mutex there could
    wait on a thread that waits for that lock."""
    db = connections[using]
    if db.vendor != "sqlite" or db.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    with _MUTEX, transaction.atomic(using=using):
        yield


def serialised_write(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of `write_transaction` (in place of `@transaction.atomic`)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with write_transaction():
            return func(*args, **kwargs)

    return wrapper
