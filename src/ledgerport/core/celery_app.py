"""The Celery application; tasks are thin and call services.

Process wiring (see `core/shutdown.py`): SIGTERM to the main process makes running syncs
checkpoint and re-queue themselves, so a warm shutdown takes seconds, not the rest of a sync;
a worker that starts looks for syncs a dead worker left behind (`connectors.tasks.sync_watchdog`).
"""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready, worker_shutting_down

from . import shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")

app = Celery("ledgerport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_shutting_down.connect
def _checkpoint_running_tasks(**_: Any) -> None:
    """The main process got SIGTERM (or SIGINT): running syncs, in any pool process, pause."""
    shutdown.request()


@worker_ready.connect
def _resume_what_a_dead_worker_left(**_: Any) -> None:
    """The embedded broker never redelivers a dead worker's tasks: look for them at once."""
    app.send_task("ledgerport.connectors.tasks.sync_watchdog", kwargs={"startup": True})
