"""Writes for the ledger: SIE imports as jobs (upload, confirm, run) and the direct import path.

- `ledger_import_sie(...)`: the one import path. An uploaded file, the console command and a
  provider sync (a SIE 4 byte stream with `source=` the provider's name) all end here.
- `sie_import_create` / `sie_import_prepare` / `sie_import_confirm` / `sie_import_run`: the
  upload as a job row the UI polls (progress counters, final status and message).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Collection
from datetime import timedelta
from pathlib import PurePath
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ledgerport.tenancy.models import Company

from .errors import ImportRefused, ReplaceNeeded
from .importer import ImportResult, import_sie, read_plan
from .models import ImportStatus, LedgerImport, Source

logger = logging.getLogger(__name__)


def ledger_import_sie(
    *,
    company: Company,
    stream: BinaryIO,
    source: str = Source.SIE,
    file_name: str = "",
    replace: bool = False,
    replace_sources: Collection[str] = (),
    ledger_import: LedgerImport | None = None,
    progress: Any = None,
    note_kept_years: bool = True,
) -> ImportResult:
    """Import a SIE byte stream as the company's ledger, atomically.

    Raises ImportRefused (ReplaceNeeded when a year already has a ledger and `replace` is
    false, BrokenFile naming the line for a broken file); then nothing has changed.
    `replace_sources` replaces without asking when the existing ledger came from one of
    them (a provider's sync refreshing its own earlier sync).
    """
    return import_sie(
        company=company,
        stream=stream,
        source=source,
        file_name=file_name,
        replace=replace,
        replace_sources=replace_sources,
        ledger_import=ledger_import,
        progress=progress,
        note_kept_years=note_kept_years,
    )


def sie_import_create(
    *, company: Company, user: Any, upload: File, file_name: str, source: str = Source.SIE
) -> LedgerImport:
    """Store the uploaded file (Django storage, for provenance) and create its job row."""
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    job = LedgerImport(
        company=company,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        file_name=PurePath(file_name).name[:255] or "sie.se",
        file_size=size,
        sha256=digest.hexdigest(),
    )
    job.file.save(get_valid_filename(job.file_name) or "sie.se", upload, save=False)
    job.save()
    return job


def _enqueue(job: LedgerImport) -> None:
    from . import tasks

    job_id = job.pk
    transaction.on_commit(lambda: tasks.import_sie_file.delay(job_id))


def sie_import_prepare(*, ledger_import: LedgerImport) -> LedgerImport:
    """What the header tells at once: refuse, ask before replacing, or queue the import."""
    job = ledger_import
    try:
        with job.file.open("rb") as stream:
            read_plan(company=job.company, stream=stream, replace=job.replace)
    except ReplaceNeeded as exc:
        job.status = ImportStatus.AWAITING_CONFIRMATION
        job.question = exc.message
    except ImportRefused as exc:
        _finish(job, ImportStatus.FAILED, exc.message)
    else:
        job.status = ImportStatus.QUEUED
    job.save()
    if job.status == ImportStatus.QUEUED:
        _enqueue(job)  # after the save: an eager or quick worker must not be overwritten by it
    return job


def sie_import_confirm(*, ledger_import: LedgerImport) -> LedgerImport:
    """The user answered yes: replace the existing ledger."""
    job = ledger_import
    if job.status == ImportStatus.AWAITING_CONFIRMATION:
        job.replace = True
        job.status = ImportStatus.QUEUED
        job.save(update_fields=["replace", "status"])
        _enqueue(job)
    return job


def sie_import_cancel(*, ledger_import: LedgerImport) -> LedgerImport:
    job = ledger_import
    if job.status == ImportStatus.AWAITING_CONFIRMATION:
        _finish(job, ImportStatus.CANCELLED, _("Cancelled; the existing ledger was kept."))
        job.save()
    return job


class _ProgressWriter:
    """Progress counters written while the import runs.

    On PostgreSQL through a second connection in autocommit, so the polling page sees them
    while the import is still uncommitted. On SQLite the import commits batch by batch
    (staging.py), so between batches through its own connection.
    """

    interval = 0.5

    def __init__(self, job: LedgerImport) -> None:
        self.job_id = job.pk
        self.last = 0.0
        self.connection = (
            connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None
        )

    def __call__(self, bytes_done: int, vouchers: int, rows: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        if self.connection is None:
            if not connection.in_atomic_block:
                self.last = now
                LedgerImport.objects.filter(pk=self.job_id).update(
                    bytes_done=bytes_done, vouchers_done=vouchers, rows_done=rows
                )
            return
        self.last = now
        # The table name is the model's own, not input.
        sql = f"UPDATE {LedgerImport._meta.db_table} SET bytes_done = %s, vouchers_done = %s, rows_done = %s"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute(f"{sql} WHERE id = %s", [bytes_done, vouchers, rows, self.job_id])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


class _Heartbeat:
    """Touches the job's heartbeat_at every `interval` seconds from a thread of its own.

    A thread (with its own connection), so that long phases without progress (deleting the
    old ledger, the commit) still beat; it dies with the worker, which is the point.
    """

    interval = 5.0

    def __init__(self, job: LedgerImport) -> None:
        self.job_id = job.pk
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"import-{job.pk}-heartbeat", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    LedgerImport.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now())
                except DatabaseError:  # busy: the next beat will do
                    logger.warning("SIE import %s: heartbeat not written", self.job_id)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()


STALE_AFTER = timedelta(seconds=60)  # twelve missed heartbeats


def sie_import_fail_stale(*, company: Company | None = None) -> int:
    """Fail the RUNNING jobs whose heartbeat stopped (their worker vanished), so none sticks.

    Called by the status poll and the upload page (no broker redelivers on SQLite, so the
    worker side cannot be relied on); the ledger itself is intact, its transaction died too.
    """
    now = timezone.now()
    stale = LedgerImport.objects.filter(status=ImportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=now - STALE_AFTER) | Q(heartbeat_at__isnull=True, started_at__lt=now - STALE_AFTER)
    )
    if company is not None:
        stale = stale.filter(company=company)
    if not stale.exists():  # a read: a page view takes no write lock (SQLite) unless needed
        return 0
    return stale.update(
        status=ImportStatus.FAILED,
        retryable=True,
        finished_at=now,
        message=_("The import stopped: the worker running it disappeared. Nothing was changed; try again."),
    )


def sie_import_retry(*, ledger_import: LedgerImport) -> LedgerImport:
    """ "Try again": queue a failed job once more, from the start (the file is kept)."""
    job = ledger_import
    if job.status == ImportStatus.FAILED and job.retryable:
        job.status = ImportStatus.QUEUED
        job.retryable = False
        job.message = ""
        job.bytes_done = job.vouchers_done = job.rows_done = 0
        job.started_at = job.finished_at = job.heartbeat_at = None
        job.save()
        _enqueue(job)
    return job


def _finish(job: LedgerImport, status: str, message: str) -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()


def _summary(result: ImportResult) -> str:
    years = ", ".join(str(fy) for fy in result.years)
    return ngettext(
        "Imported %(vouchers)s voucher with %(rows)s rows for %(years)s.",
        "Imported %(vouchers)s vouchers with %(rows)s rows for %(years)s.",
        result.vouchers,
    ) % {"vouchers": result.vouchers, "rows": result.rows, "years": years}


def sie_import_run(*, ledger_import_id: int) -> LedgerImport:
    """The task's body: in the uploader's language, so the outcome reads as the upload did."""
    job = LedgerImport.objects.select_related("company", "created_by").get(pk=ledger_import_id)
    language = getattr(job.created_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return _run(job)


def _run(job: LedgerImport) -> LedgerImport:
    if job.status != ImportStatus.QUEUED:
        return job  # already handled (a redelivered task) or cancelled
    job.status = ImportStatus.RUNNING
    job.started_at = job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "started_at", "heartbeat_at"])
    progress = _ProgressWriter(job)
    try:
        with _Heartbeat(job), job.file.open("rb") as stream:
            result = ledger_import_sie(
                company=job.company,
                stream=stream,
                source=job.source,
                file_name=job.file_name,
                replace=job.replace,
                ledger_import=job,
                progress=progress,
            )
    except ReplaceNeeded as exc:
        job.status = ImportStatus.AWAITING_CONFIRMATION
        job.question = exc.message
    except ImportRefused as exc:
        _finish(job, ImportStatus.FAILED, exc.message)
    except OperationalError:
        logger.exception("SIE import %s failed", job.pk)
        job.retryable = True
        _finish(
            job, ImportStatus.FAILED, _("The database was busy, so the import stopped; nothing was changed.")
        )
    except Exception as exc:
        logger.exception("SIE import %s failed", job.pk)
        job.retryable = True
        _finish(
            job,
            ImportStatus.FAILED,
            _("The import failed unexpectedly (%(reason)s); nothing was changed.")
            % {"reason": type(exc).__name__},
        )
    else:
        _finish(job, ImportStatus.SUCCEEDED, _summary(result))
        job.bytes_done = job.file_size
        job.vouchers_done = result.vouchers
        job.rows_done = result.rows
        job.warnings = result.warnings
        job.voucher_issues = result.voucher_issues
    finally:
        progress.close()
    job.save()
    return job
