"""Starting sync runs (UI, CLI), retrying a failed one, and the watchdog that resumes orphans.

`sync_start` records a queued run and enqueues `tasks.sync_run` after commit; the task runs
it (`sync.sync_execute`). This module sits above `tasks` and `sync` (the file graph stays
acyclic: `tasks` never imports it).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import locks, providers, sync, tasks
from .models import Connection, SyncRun, SyncStatus
from .sync import QUEUED_TTL, SYNCABLE

logger = logging.getLogger(__name__)


class SyncRefused(Exception):
    """The sync cannot start; the message is for the user."""


def sync_start(
    *,
    connection: Connection,
    fiscal_years: list[dict[str, Any]] | None = None,
    overwrite_uploaded_ledger: bool = False,
    user: Any = None,
    enqueue: bool = True,
) -> SyncRun:
    """Queue a sync of `fiscal_years` ({"start", "end"} or {"year"}; None: the two latest).

    While a sync of the connection is alive, asking for the same again returns that run.
    """
    spec = providers.get(connection.provider)
    if not spec.can_sync:
        raise SyncRefused(_("Data cannot be synced from %(provider)s.") % {"provider": spec.display_name})
    if connection.status not in SYNCABLE:
        raise SyncRefused(
            connection.status_message
            or _("The connection to %(provider)s is not active. Send an activation link to connect.")
            % {"provider": spec.display_name}
        )
    wanted = list(fiscal_years or [])
    with transaction.atomic():
        for current in SyncRun.objects.filter(
            connection=connection, status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING]
        ).order_by("-created_at"):
            if _alive(current) and _covers(current, wanted, overwrite_uploaded_ledger):
                return current
        run = SyncRun.objects.create(
            connection=connection,
            fiscal_years=wanted,
            overwrite_uploaded_ledger=overwrite_uploaded_ledger,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            heartbeat_at=timezone.now(),  # queued: the watchdog re-queues it if no worker takes it
        )
        if enqueue:
            run_id = run.pk
            transaction.on_commit(lambda: tasks.sync_run.delay(run_id))
    return run


def _covers(run: SyncRun, wanted: list[dict[str, Any]], overwrite: bool) -> bool:
    if overwrite and not run.overwrite_uploaded_ledger:
        return False
    if not wanted:
        return True  # "the two latest": whatever is running for the connection is that
    return all(entry in run.fiscal_years for entry in wanted)


def _alive(run: SyncRun) -> bool:
    """A running run whose process died (its lock is free) or a long-forgotten queued one is not."""
    if run.status == SyncStatus.RUNNING:
        if locks.is_locked(run.connection_id):
            return True
        message = _("The sync was interrupted. Sync again: it continues where it stopped.")
    elif run.created_at < timezone.now() - QUEUED_TTL:
        message = _("The sync never started. Try again.")
    else:
        return True
    SyncRun.objects.filter(pk=run.pk).update(
        status=SyncStatus.FAILED, error=message, finished_at=timezone.now()
    )
    return False


def sync_watchdog(*, startup: bool = False) -> list[int]:
    """Re-queue the active runs no live process works on (`sync.sync_orphans`); returns their ids."""
    requeued = sync.sync_orphans(startup=startup)
    for run_id in requeued:
        logger.warning("Sync run %s has no live worker; queued again", run_id)
        tasks.sync_run.delay(run_id)
    return requeued


def sync_retry(*, run: SyncRun, user: Any = None) -> SyncRun:
    """ "Försök igen": a new run of the same kind (years, overwrite) as a failed one."""
    return sync_start(
        connection=run.connection,
        fiscal_years=list(run.fiscal_years),
        overwrite_uploaded_ledger=run.overwrite_uploaded_ledger,
        user=user,
    )
