"""The upload job's run: what the Celery task does with one queued `LedgerImport`.

Apart from `services.py` (which queues jobs through `tasks.py`), so services -> tasks ->
import_jobs has no way back. Progress counters and a heartbeat are written while the
import runs; the outcome (or the question to confirm a replace) is stored on the job row.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import ImportRefused, ReplaceNeeded
from .import_plan import ImportResult
from .importer import import_sie
from .models import ImportStatus, LedgerImport, Source
from .saft_import import import_saft

logger = logging.getLogger(__name__)


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


def finish(job: LedgerImport, status: str, message: str) -> None:
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
        with _Heartbeat(job), job.file.open("rb") as stored:
            options: dict[str, Any] = {
                "company": job.company,
                "stream": cast(BinaryIO, stored),  # a FieldFile reads as a binary file does
                "source": job.source,
                "file_name": job.file_name,
                "replace": job.replace,
                "ledger_import": job,
                "progress": progress,
            }
            result = import_saft(**options) if job.source == Source.SAFT else import_sie(**options)
    except ReplaceNeeded as exc:
        job.status = ImportStatus.AWAITING_CONFIRMATION
        job.question = exc.message
    except ImportRefused as exc:
        finish(job, ImportStatus.FAILED, exc.message)
    except OperationalError:
        logger.exception("SIE import %s failed", job.pk)
        job.retryable = True
        finish(
            job, ImportStatus.FAILED, _("The database was busy, so the import stopped; nothing was changed.")
        )
    except Exception as exc:
        logger.exception("SIE import %s failed", job.pk)
        job.retryable = True
        finish(
            job,
            ImportStatus.FAILED,
            _("The import failed unexpectedly (%(reason)s); nothing was changed.")
            % {"reason": type(exc).__name__},
        )
    else:
        finish(job, ImportStatus.SUCCEEDED, _summary(result))
        job.bytes_done = job.file_size
        job.vouchers_done = result.vouchers
        job.rows_done = result.rows
        job.warnings = result.warnings
        job.voucher_issues = result.voucher_issues
    finally:
        progress.close()
    job.save()
    return job
