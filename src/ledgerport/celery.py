"""The Celery application; tasks are thin and call services.

Process wiring (see `core/shutdown.py`): SIGTERM makes running syncs checkpoint and re-queue
themselves, so a warm shutdown takes seconds, not the rest of a sync; a worker that starts
looks for syncs a dead worker left behind (`connectors.tasks.sync_watchdog`).
"""

import contextlib
import os
import signal
from typing import Any

from celery import Celery
from celery.signals import worker_process_init, worker_ready, worker_shutting_down

from ledgerport.core import shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")

app = Celery("ledgerport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _pool_process_takes_sigterm(**_: Any) -> None:
    # Celery resets SIGTERM to "die" in pool processes; a sync then loses its current batch.
    signal.signal(signal.SIGTERM, shutdown.on_sigterm)


@worker_shutting_down.connect
def _pass_sigterm_to_the_pool(**_: Any) -> None:
    """The main process got SIGTERM (or SIGINT): the pool processes checkpoint their tasks."""
    from billiard.process import active_children

    shutdown.request()
    for child in active_children():
        if child.pid:
            with contextlib.suppress(OSError):  # already gone
                os.kill(child.pid, signal.SIGTERM)


@worker_ready.connect
def _resume_what_a_dead_worker_left(**_: Any) -> None:
    """The embedded broker never redelivers a dead worker's tasks: look for them at once."""
    app.send_task("ledgerport.connectors.tasks.sync_watchdog", kwargs={"startup": True})
