"""Running writes at the same moment: the helper every twice-at-once test uses."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import pytest
from django.db import connection, connections

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite has one writer)"
)


def at_once(calls: Sequence[Callable[[], object]], timeout: float = 60) -> list[object]:
    """Run the calls in threads released together by a barrier; each one's result, or the
    exception it raised, in order. Each thread closes its own database connections."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def work(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
