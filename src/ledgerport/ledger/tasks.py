"""Celery tasks of the ledger; thin, the work is in import_jobs."""

from __future__ import annotations

from celery import shared_task

from . import import_jobs


@shared_task
def import_sie_file(ledger_import_id: int) -> None:
    """Run one queued SIE import (progress and outcome are recorded on its job row)."""
    import_jobs.sie_import_run(ledger_import_id=ledger_import_id)
