"""Daily work of the connectors (beat): the ombud grants checked, the data syncs started.

Registered by `ConnectorsConfig.ready()`; it sits above `sync_runs` (which enqueues through
`tasks`), so it is not in `tasks.py`.
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import ombud, providers, sync_runs
from .models import Connection
from .sync import SYNCABLE

logger = logging.getLogger(__name__)


def daily_data_syncs() -> list[int]:
    """Check every ombud grant, then queue a sync of each active connection whose data is not
    a ledger (the tax account, say): a ledger is synced when someone asks. Returns the run ids."""
    checked = ombud.check_all()
    logger.info("Ombud grants checked: %s", checked)
    names = [spec.name for spec in providers.all() if spec.can_sync and not spec.provides_ledger]
    runs = []
    for connection in Connection.objects.filter(
        provider__in=names, status__in=SYNCABLE, company__deleted_at__isnull=True
    ):
        try:
            runs.append(sync_runs.sync_start(connection=connection).pk)
        except sync_runs.SyncRefused as exc:
            logger.info("Daily sync of connection %s not started: %s", connection.pk, exc)
    return runs


@shared_task(ignore_result=True, expires=3600)
def daily_data_syncs_task() -> None:
    daily_data_syncs()
