"""Writes for the ledger: SIE imports as jobs (upload, confirm, run) and the direct import path.

- `ledger_import_sie(...)`: the one import path of SIE (`saft_import.import_saft` is SAF-T's:
  a job with source "saft" runs it). An uploaded file, the console command and a
  provider sync (a SIE 4 byte stream with `source=` the provider's name) all end here.
- `sie_import_create` / `sie_import_prepare` / `sie_import_confirm`: the upload as a job row
  the UI polls (progress counters, final status and message); the task runs it with
  `import_jobs.sie_import_run`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from datetime import timedelta
from pathlib import PurePath
from typing import Any, BinaryIO, cast

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ledgerport.tenancy.models import Company

from . import tasks
from .errors import ImportRefused, ReplaceNeeded
from .import_jobs import finish
from .import_plan import ImportResult
from .importer import import_sie, read_plan
from .models import ImportStatus, LedgerImport, Source
from .saft_import import looks_like_saft, read_saft_plan

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


def upload_source(*, company: Company, upload: File) -> str:
    """SAF-T for a Norwegian company's SAF-T Financial file, else SIE (which says what it is not)."""
    if company.country != "NO":
        return Source.SIE
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    return Source.SAFT if looks_like_saft(head) else Source.SIE


def _enqueue(job: LedgerImport) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: tasks.import_sie_file.delay(job_id))


def sie_import_prepare(*, ledger_import: LedgerImport) -> LedgerImport:
    """What the header tells at once: refuse, ask before replacing, or queue the import."""
    job = ledger_import
    try:
        with job.file.open("rb") as stream:
            planner = read_saft_plan if job.source == Source.SAFT else read_plan
            planner(company=job.company, stream=cast(BinaryIO, stream), replace=job.replace)
    except ReplaceNeeded as exc:
        job.status = ImportStatus.AWAITING_CONFIRMATION
        job.question = exc.message
    except ImportRefused as exc:
        finish(job, ImportStatus.FAILED, exc.message)
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
        finish(job, ImportStatus.CANCELLED, _("Cancelled; the existing ledger was kept."))
        job.save()
    return job


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
