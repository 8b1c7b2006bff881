"""The worker's stop request, for long tasks that checkpoint instead of running to the end.

Celery's warm shutdown (SIGTERM) waits for the running tasks, and a sync can take many
minutes. So a long task asks `requested()` at its safe points and, once true, saves where it
is, re-queues itself and returns: the worker exits within seconds, the next one continues.

A prefork pool process does not see the main process's shutdown flag; `ledgerport.celery`
gives each one a SIGTERM handler that calls `request()` and makes the main process pass
SIGTERM on to them. No Django here: a signal handler must stay trivial.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

_stop = threading.Event()


def request(*_args: Any) -> None:
    """Ask the running tasks of this process to checkpoint."""
    _stop.set()


def on_sigterm(*_args: Any) -> None:
    """A pool process's SIGTERM handler: checkpoint; a second SIGTERM kills as before."""
    _stop.set()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def requested() -> bool:
    if _stop.is_set():
        return True
    # The solo and threads pools run tasks in the main process, where Celery sets its own flag
    # (to the exit code, which may be 0: only None and False mean "no").
    from celery.worker import state

    return any(flag is not None and flag is not False for flag in (state.should_stop, state.should_terminate))


def reset() -> None:
    _stop.clear()
