"""Celery tasks of the connectors; thin, the work is in `sync.py`."""

from __future__ import annotations

import logging

from celery import shared_task

from ledgerport.core import shutdown

from . import sync

logger = logging.getLogger(__name__)

# While another process syncs the same connection, try again this often (seconds).
BUSY_RETRY = 30
STOPPING_RETRY = 10  # the next worker's start-up watchdog is sooner still


@shared_task(bind=True, max_retries=240, acks_late=True, reject_on_worker_lost=True)
def sync_run(self, sync_run_id: int) -> None:
    """Run a queued sync, or resume an interrupted one where it stopped.

    acks_late + reject_on_worker_lost: a broker that redelivers (Redis) hands the task of a
    dead worker to the next; for the one that does not (the embedded SQLAlchemy broker),
    `sync_watchdog` re-queues it. While this worker is stopping (a run checkpointed, or a
    task arrived after the stop) the task goes back to the broker for the next worker: as a
    retry later, so the stopping worker only holds it (and gives it back) instead of running it."""
    if shutdown.requested():
        raise self.retry(countdown=STOPPING_RETRY)
    run = sync.sync_execute(sync_run_id)
    if run is None:
        raise self.retry(countdown=BUSY_RETRY)
    if run.is_active:
        raise self.retry(countdown=STOPPING_RETRY)


@shared_task(ignore_result=True, expires=60)
def sync_watchdog(startup: bool = False) -> None:
    """Re-queue the syncs whose worker vanished (beat; every worker at start-up)."""
    for run_id in sync.sync_orphans(startup=startup):
        logger.warning("Sync run %s has no live worker; queued again", run_id)
        sync_run.delay(run_id)
