"""Celery tasks of the connectors; thin, the work is in `sync.py`."""

from __future__ import annotations

from celery import shared_task

from . import sync

# While another process syncs the same connection, try again this often (seconds).
BUSY_RETRY = 30


@shared_task(bind=True, max_retries=240, acks_late=True)
def sync_run(self, sync_run_id: int) -> None:  # type: ignore[no-untyped-def]
    """Run a queued sync. With acks_late a worker that dies mid-sync gets the task redelivered,
    and `sync_execute` resumes the run where it stopped."""
    if sync.sync_execute(sync_run_id) is None:
        raise self.retry(countdown=BUSY_RETRY)
