"""Celery tasks of the documents; thin, the work is in services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def orphan_files_sweep() -> int:
    """Delete stored files no document references (older than the grace period); how many."""
    return len(services.orphan_files_delete())
