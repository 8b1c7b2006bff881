"""The worker's stop request, for long tasks that checkpoint instead of running to the end.

Celery's warm shutdown (SIGTERM) waits for the running tasks, and a sync can take many
minutes. So a long task asks `requested()` at its safe points and, once true, saves where it
is, re-queues itself and returns: the worker exits within seconds, the next one continues.

The flag is one byte of shared memory made at import, in the worker's main process before
it forks its pool, so the pool processes see the main process set it (`core/celery_app.py`,
on `worker_shutting_down`). Not a signal to the pool: billiard resets their handlers, and a
pool process killed by SIGTERM can leave the main process stuck on the pool's queue lock.
No Django here.
"""

from __future__ import annotations

import mmap

_flag = mmap.mmap(-1, 1)  # anonymous and MAP_SHARED: inherited by forked processes


def request() -> None:
    """Ask the running tasks of this process and of its forked pool to checkpoint."""
    _flag[0] = 1


def requested() -> bool:
    if _flag[0]:
        return True
    # The solo and threads pools run tasks in the main process, where Celery sets its own flag
    # (to the exit code, which may be 0: only None and False mean "no").
    from celery.worker import state

    return any(flag is not None and flag is not False for flag in (state.should_stop, state.should_terminate))
