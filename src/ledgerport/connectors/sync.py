"""Sync runs: a connection's ledger and documents for some fiscal years, recorded as a SyncRun.

`sync_start` (UI, CLI) records a queued run and enqueues the task after commit; the task
calls `sync_execute`, which takes the connection's sync lock (`locks.py`: released by the
OS or the database when a process dies), resolves the fiscal years, imports each year's
ledger through `ledger_import_sie` and stores and links the documents.

- Ledger source rule: a year whose ledger came from this provider (or that has none) is
  refreshed (`replace_sources=(provider,)`); a year loaded from an uploaded SIE file (or
  another provider) is replaced only when the run says `overwrite_uploaded_ledger`,
  otherwise only its documents are fetched.
- Idempotent and resumable: the ledger import is one transaction, and documents are keyed
  on the provider's ids (`DocumentOrigin`), so a repeated or interrupted sync re-lists
  (cheap) and downloads only what it does not have yet.
- Never stuck: the executing process refreshes the run's heartbeat every few seconds. A run
  whose process died (heartbeat stale and lock free) is re-queued by `sync_watchdog` (beat,
  and every worker at start-up: the embedded broker never redelivers) and resumes; one
  interrupted MAX_ATTEMPTS times fails with the reason. On SIGTERM a run checkpoints
  (`core.shutdown`) and is re-queued, so a worker stops within seconds.
- Incremental: a year synced successfully before is asked only for what changed since that
  run started (minus a margin for clock skew), in each provider's own terms
  (`<provider>/sync.py`).
"""

from __future__ import annotations

import io
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ledgerport.core import shutdown
from ledgerport.documents.models import Document
from ledgerport.documents.services import documents_store, known_origins, voucher_document_links
from ledgerport.ledger.errors import ImportRefused
from ledgerport.ledger.fiscal_years import FiscalYearOverlap
from ledgerport.ledger.models import FiscalYear
from ledgerport.ledger.services import ledger_import_sie

from . import clients, fetching, fiscal_years, locks, messages, providers
from .http import ApiClient, GrantRevoked, NotFound, ProviderError, Unauthorized
from .models import Connection, ConnectionStatus, SyncRun, SyncStatus, heartbeat_interval, heartbeat_stale
from .sync_base import DocumentRef, ProviderSync, Target, interleave

logger = logging.getLogger(__name__)

# A connection in ERROR (say, a licence was missing) may be synced again once fixed.
SYNCABLE = (ConnectionStatus.ACTIVE, ConnectionStatus.ERROR)
# Records registered just before the previous sync started are fetched again, not missed.
WATERMARK_MARGIN = timedelta(minutes=10)
# A queued run no worker took within this time is considered lost.
QUEUED_TTL = timedelta(hours=1)
SAVE_INTERVAL = 1.0  # seconds between progress writes
# Fetched documents are committed in batches of at most this many, or this often (seconds).
STORE_BATCH = 50
STORE_BYTES = 32 * 1024 * 1024
STORE_INTERVAL = 1.0
# A run is resumed at most this often (executions started); then it fails for the user to retry.
MAX_ATTEMPTS = 10
# How long a start waits for the lock that a watchdog's probe may hold for a moment.
LOCK_WAIT = 2.0


def queued_stale() -> timedelta:
    """Queued this long without a worker taking it: its message may be lost (or just waiting)."""
    return timedelta(seconds=20 * heartbeat_interval())


class _NothingToSync(Exception):
    pass


class _Interrupted(Exception):
    """The worker is stopping: the run checkpoints and is re-queued."""


@dataclass
class _DocumentPlan:
    total: int  # the years' documents
    pending: list[DocumentRef]  # not fetched before, in fetching order
    known_links: list[tuple[Document, FiscalYear, str, str]]  # links of those fetched before


# ----------------------------------------------------------------------------- running


def sync_execute(sync_run_id: int) -> SyncRun | None:
    """Run (or resume) a sync; None when another live process holds the connection's lock.

    The run returned is still active when it checkpointed because the worker is stopping."""
    connection_id = SyncRun.objects.values_list("connection_id", flat=True).get(pk=sync_run_id)
    with locks.sync_lock(connection_id, wait=LOCK_WAIT) as held:
        if not held:
            return None
        run = SyncRun.objects.select_related("connection__company").get(pk=sync_run_id)
        if run.status in (SyncStatus.SUCCEEDED, SyncStatus.FAILED):
            return run
        with translation.override(settings.LANGUAGE_CODE):
            if run.attempts >= MAX_ATTEMPTS:
                message = _("The sync was interrupted %(count)s times and has stopped. Try again.") % {
                    "count": run.attempts
                }
                _Run(run)._finish(SyncStatus.FAILED, message)
                return run
            run.attempts += 1
            run.worker = f"{socket.gethostname()}:{os.getpid()}"
            run.heartbeat_at = timezone.now()
            run.save(update_fields=["attempts", "worker", "heartbeat_at"])
            with _Heartbeat(run.pk):
                _Run(run).execute()
        return run


class _Heartbeat:
    """Refreshes the run's heartbeat from a thread of its own while the run executes.

    A thread, because the ledger import is one long call; it beats as long as the process
    lives, which is what the watchdog needs to know. A beat that meets a busy database is
    skipped (the lock, not the heartbeat, has the last word on death)."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"sync-heartbeat-{run_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        try:
            while not self.stop.wait(heartbeat_interval()):
                try:
                    SyncRun.objects.filter(pk=self.run_id, status=SyncStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    logger.warning("Sync run %s: heartbeat skipped", self.run_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connection


class _Run:
    """One execution of a SyncRun: the provider work, and the record the UI polls."""

    def __init__(self, run: SyncRun) -> None:
        self.run = run
        self.connection = run.connection
        self.company = run.connection.company
        self.provider = run.connection.provider
        self.base_requests = run.requests  # a resumed run keeps counting
        self.api: ApiClient | None = None
        self.job: ProviderSync | None = None
        self._saved_at = 0.0
        self._done = 0  # documents handled so far (progress)

    # -------------------------------------------------------------- the record

    def line(self, text: str) -> None:
        self.run.log += f"{timezone.localtime():%H:%M:%S} {text}\n"
        self.save(force=True)

    def warn(self, area: str, message: str) -> None:
        """A skipped area, once per run (a resumed run meets it again), in the log and the record."""
        self.line(_("%(module)s were skipped: %(reason)s") % {"module": area, "reason": message})
        if any(w.get("area") == area for w in self.run.warnings):
            return
        self.run.warnings.append({"area": area, "message": message})
        SyncRun.objects.filter(pk=self.run.pk).update(warnings=self.run.warnings)

    def progress(self, key: str, done: int, total: int) -> None:
        self.run.progress[key] = [done, total]
        self.save(force=done in (0, total))

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            spent = self.run.timings.get(name, 0.0) + time.monotonic() - started
            self.run.timings[name] = round(spent, 2)

    def save(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._saved_at < SAVE_INTERVAL:
            return
        self._saved_at = now
        self.run.requests = self.base_requests + (self.api.requests_sent if self.api else 0)
        SyncRun.objects.filter(pk=self.run.pk).update(
            log=self.run.log,
            progress=self.run.progress,
            timings=self.run.timings,
            requests=self.run.requests,
            heartbeat_at=timezone.now(),
        )

    def checkpoint(self) -> None:
        """A safe point to stop at: everything before it is committed."""
        if shutdown.requested():
            raise _Interrupted

    # -------------------------------------------------------------- the run

    def execute(self) -> None:
        run = self.run
        resumed = run.status == SyncStatus.RUNNING
        run.status = SyncStatus.RUNNING
        run.started_at = run.started_at or timezone.now()
        run.save(update_fields=["status", "started_at"])
        if resumed:
            self.line(_("Resuming the interrupted sync."))
        started = time.monotonic()
        try:
            if self.connection.status not in SYNCABLE:
                raise GrantRevoked(self.connection.status_message)
            self.api = clients.for_connection(self.connection)
            self.job = self._provider_sync(self.api)
            try:
                self._work()
            finally:
                self.job.close()
        except (ProviderError, httpx.HTTPError) as exc:
            # A missing licence (403), a 429 storm or 5xx that outlasted the retries, an
            # unreachable provider: the connection shows it until a sync succeeds again (ERROR
            # stays syncable). A grant found dead meanwhile keeps its own status.
            message = messages.describe(self.provider, exc)
            Connection.objects.filter(pk=self.connection.pk, status__in=SYNCABLE).update(
                status=ConnectionStatus.ERROR, status_message=message, updated_at=timezone.now()
            )
            self._finish(SyncStatus.FAILED, message)
        except GrantRevoked as exc:  # tokens.py has asked for a new approval
            self._finish(SyncStatus.FAILED, messages.describe(self.provider, exc))
        except ImportRefused as exc:
            self._finish(SyncStatus.FAILED, exc.message)
        except _NothingToSync as exc:
            self._finish(SyncStatus.FAILED, str(exc))
        except _Interrupted:  # stays RUNNING; the task re-queues it, the watchdog would too
            self.line(_("The worker is stopping; the sync is paused here and continues in the next one."))
        except Exception:
            logger.exception("Sync run %s failed", run.pk)
            self._finish(SyncStatus.FAILED, _("The sync failed unexpectedly. Try again later."))
        else:
            if self.connection.status == ConnectionStatus.ERROR:
                Connection.objects.filter(pk=self.connection.pk).update(
                    status=ConnectionStatus.ACTIVE, status_message="", updated_at=timezone.now()
                )
            self._finish(SyncStatus.SUCCEEDED, "")
        finally:
            run.timings["total"] = round(run.timings.get("total", 0.0) + time.monotonic() - started, 2)
            self.save(force=True)

    def _finish(self, status: str, error: str) -> None:
        run = self.run
        run.status = status
        run.error = error
        run.finished_at = timezone.now()
        if error:
            self.line(error)
        else:
            self.line(_("Done."))
        run.save(update_fields=["status", "error", "finished_at"])

    def _provider_sync(self, api: ApiClient) -> ProviderSync:
        spec = providers.get(self.provider)
        if spec.sync is None:
            raise _NothingToSync(
                _("Data cannot be synced from %(provider)s.") % {"provider": spec.display_name}
            )
        job: ProviderSync = spec.sync(api, self, self.connection)
        return job

    def _work(self) -> None:
        """Years, then every request for the ledgers and the document lists, then the documents'
        fetches start on their workers while this thread imports the ledgers: the budget is
        spent from the first seconds, not after the imports, and the imports wait for the
        fetches' bursts (`fetching.py`). A grant that dies while documents are fetched still
        leaves the ledgers (fetched first) imported."""
        assert self.api is not None
        collect = getattr(self.job, "collect", None)
        if collect is not None:  # not a ledger: the provider stores its own data
            with self.phase("data"):
                collect()
            return
        with self.phase("years"):
            targets = self._targets()
        with self.phase("ledger"):
            ledgers = []
            for target in targets:
                self.checkpoint()
                ledgers.append((target, self._ledger_content(target)))
        self.checkpoint()
        with self.phase("documents"):
            plan = self._document_plan(targets)
        self.api.share_token()
        with fetching.Fetcher(
            plan.pending,
            stop=self.api.stop,
            lane_workers=getattr(self.job, "fetch_workers", None),
            free_lanes=getattr(self.job, "free_lanes", ()),
            waiting_for_permit=self.api.waiting_for_permit,
        ) as fetcher:
            with self.phase("ledger"):
                self.progress("ledger", 0, len(targets))
                for done, (target, content) in enumerate(ledgers, start=1):
                    self.checkpoint()
                    if content is not None:
                        fetcher.yield_to_budget()  # the import's work would slow a burst
                        self._ledger_import(target, fetching.complete(content))
                    self.progress("ledger", done, len(targets))
            self.checkpoint()
            with self.phase("documents"):
                self._documents(plan, fetcher)

    # -------------------------------------------------------------- fiscal years

    def _targets(self) -> list[Target]:
        assert self.job is not None
        provider_name = providers.get(self.provider).display_name
        provider_years = self.job.provider_years()
        wanted = [fiscal_years.as_period(entry) for entry in self.run.fiscal_years]
        missing: list[Any]
        if wanted:
            chosen, missing = fiscal_years.requested(wanted, provider_years)
        else:  # the current fiscal year and the one before, counted from today
            chosen, missing = fiscal_years.two_latest(self.company, provider_years)
        for period in missing:
            label = period if isinstance(period, int) else f"{period[0]} – {period[1]}"
            self.line(
                _("%(provider)s has no fiscal year %(year)s; it was skipped.")
                % {"provider": provider_name, "year": label}
            )
        targets = []
        for year in sorted(chosen, key=lambda y: y.start):
            try:
                local = fiscal_years.local_year(self.company, year)
            except FiscalYearOverlap as exc:
                self.line(
                    _("The fiscal year %(period)s in %(provider)s overlaps %(local)s here and was skipped.")
                    % {"period": f"{year.start} – {year.end}", "provider": provider_name, "local": exc.clash}
                )
                continue
            targets.append(Target(year, local, self._watermark(local)))
        if not targets:
            raise _NothingToSync(
                _("There is no fiscal year to sync in %(provider)s.") % {"provider": provider_name}
            )
        self.run.fiscal_years = [fiscal_years.period_json(t.fiscal_year) for t in targets]
        SyncRun.objects.filter(pk=self.run.pk).update(fiscal_years=self.run.fiscal_years)
        self.line(_("Fiscal years: %(years)s") % {"years": ", ".join(t.label for t in targets)})
        return targets

    def _watermark(self, fiscal_year: FiscalYear) -> datetime | None:
        """When the last successful sync of this year started (minus the margin); None: never."""
        period = fiscal_years.period_json(fiscal_year)
        earlier = (
            SyncRun.objects.filter(
                connection=self.connection, status=SyncStatus.SUCCEEDED, started_at__isnull=False
            )
            .exclude(pk=self.run.pk)
            .order_by("-started_at")
            .values_list("fiscal_years", "started_at", "warnings")[:50]
        )
        for years, started_at, warnings in earlier:
            # A run that skipped an area is no watermark: once fixed, the area is fetched whole.
            if period in years and not warnings and started_at is not None:
                return started_at - WATERMARK_MARGIN
        return None

    # -------------------------------------------------------------- ledger

    def _ledger_content(self, target: Target) -> bytes | fetching.Later | None:
        """The year's ledger as SIE bytes from the provider; None: the one here is kept."""
        assert self.job is not None
        fiscal_year = FiscalYear.objects.get(pk=target.fiscal_year.pk)  # an upload may have changed it
        target.fiscal_year = fiscal_year
        source = self.job.source
        uploaded = fiscal_year.source not in (None, source) and fiscal_year.full_ledger
        if uploaded and not self.run.overwrite_uploaded_ledger:
            self.line(
                _("%(year)s: the ledger from %(source)s was kept; only documents are fetched.")
                % {"year": target.label, "source": fiscal_year.get_source_display()}
            )
            return None
        ours = fiscal_year.source == source and fiscal_year.full_ledger
        if ours and target.since and not self.job.ledger_changed(target):
            self.line(_("%(year)s: the ledger has not changed since the last sync.") % {"year": target.label})
            return None
        return self.job.ledger_sie(target)

    def _ledger_import(self, target: Target, content: bytes) -> None:
        assert self.job is not None
        source = self.job.source
        result = ledger_import_sie(
            company=self.company,
            stream=io.BytesIO(content),
            source=source,
            replace=self.run.overwrite_uploaded_ledger,
            replace_sources=(source,),
            note_kept_years=False,  # each year is synced by itself; an earlier one is no news
        )
        fiscal_year = target.fiscal_year
        fiscal_year.refresh_from_db()
        self.line(
            _("%(year)s: imported %(vouchers)s vouchers with %(rows)s rows.")
            % {"year": target.label, "vouchers": fiscal_year.voucher_count, "rows": fiscal_year.row_count}
        )
        for warning in result.warnings[:5]:
            self.line(f"{target.label}: {warning['message']}")

    # -------------------------------------------------------------- documents

    def _document_plan(self, targets: list[Target]) -> _DocumentPlan:
        """The years' documents, and those of them not fetched before, in fetching order."""
        assert self.job is not None
        refs = self.job.documents(targets)
        have = known_origins(
            company=self.company, source=self.job.source, external_ids=[ref.external_id for ref in refs]
        )
        pending = interleave([ref for ref in refs if ref.external_id not in have])
        self.job.prepare_fetch(pending)
        links = [
            (have[ref.external_id], *key) for ref in refs if ref.external_id in have for key in ref.links
        ]
        return _DocumentPlan(total=len(refs), pending=pending, known_links=links)

    def _documents(self, plan: _DocumentPlan, fetcher: fetching.Fetcher[DocumentRef]) -> None:
        """Store each document not fetched before with its voucher links.

        What was fetched before (by external id) was looked up in one query and only gets
        the links it may be missing. A few fetches per rate-limit lane are in flight at once
        on worker threads (`fetching.py`), so the budget never idles while an answer travels
        and a provider that limits per endpoint never waits on one endpoint while another has
        budget left; this thread stores what they fetched. Fetched files are stored in small
        batches (a few statements and one commit each, at least every STORE_INTERVAL): an
        interrupted sync loses at most that much, and what was in flight, and fetches it
        again on resume.
        """
        assert self.api is not None
        total = plan.total
        voucher_document_links(plan.known_links)
        known = total - len(plan.pending)
        self._done = known
        self.progress("documents", self._done, total)
        fetched = missing = size = 0
        batch: list[tuple[DocumentRef, bytes]] = []
        batch_started = time.monotonic()
        try:
            for ref, future in fetcher.results():
                self.checkpoint()
                try:
                    content = self._content(ref, future)
                except NotFound:  # removed in the provider since it was listed
                    missing += 1
                    self._done += 1
                    continue
                if not batch:
                    batch_started, size = time.monotonic(), 0
                batch.append((ref, content))
                size += len(content)
                if (
                    len(batch) >= STORE_BATCH
                    or size >= STORE_BYTES
                    or time.monotonic() - batch_started >= STORE_INTERVAL
                ):
                    ready, batch = batch, []
                    fetcher.yield_to_budget()  # storing waits for a burst of requests to pass
                    fetched += self._store(ready, total)
                    self.api.share_token()  # a token about to expire is refreshed here
        finally:  # what was fetched before a failure is kept
            ready, batch = batch, []
            fetched += self._store(ready, total)
        self.progress("documents", total, total)
        summary = ngettext(
            "%(total)s document: %(fetched)s fetched, %(known)s fetched before.",
            "%(total)s documents: %(fetched)s fetched, %(known)s fetched before.",
            total,
        ) % {"total": total, "fetched": fetched, "known": known}
        if missing:
            summary += " " + _("%(missing)s no longer found.") % {"missing": missing}
        self.line(summary)

    def _content(self, ref: DocumentRef, future: Future[bytes]) -> bytes:
        """A worker's fetch; a 401 it met is refreshed and fetched again on this thread."""
        assert self.api is not None
        try:
            return future.result()
        except Unauthorized:
            if self.api.token_withdrawn():  # refresh once, however many workers met the 401
                self.api.on_unauthorized()
                self.api.share_token(refreshed=True)
            return fetching.complete(ref.fetch())

    def _consent(self) -> str:
        """The provenance of what this run fetches: the connection and who consented, when."""
        connection = self.connection
        who = connection.consent_name or connection.consent_email or "?"
        when = f"{connection.consent_at:%Y-%m-%d %H:%M} UTC" if connection.consent_at else "?"
        return f"{connection.provider} #{connection.pk}: {who}, {when}"

    def _store(self, batch: list[tuple[DocumentRef, bytes]], total: int) -> int:
        """The fetched files with their origins and voucher links, in one transaction."""
        assert self.job is not None
        if not batch:
            return 0
        with transaction.atomic():
            stored = documents_store(
                company=self.company,
                source=self.job.source,
                files=[(ref.external_id, ref.file_name, content) for ref, content in batch],
                consent=self._consent(),
            )
            voucher_document_links((stored[ref.external_id], *key) for ref, _ in batch for key in ref.links)
        self._done += len(batch)
        self.progress("documents", self._done, total)
        return len(batch)


# ----------------------------------------------------------------------------- orphans


def sync_orphans(*, startup: bool = False) -> list[int]:
    """The active runs no live process works on, claimed for re-queueing (the watchdog: `tasks`).

    Beat calls it every SYNC_WATCHDOG_SECONDS for runs whose heartbeat is stale, and each
    worker at start-up for every active run: the embedded broker (kombu's SQLAlchemy
    transport) drops the tasks a killed worker had taken, Redis hands them back only after the
    visibility timeout. A run is re-queued only when the connection's lock is free (no live
    process holds it); a duplicate delivery is harmless, `sync_execute` takes the lock first.
    """
    now = timezone.now()
    runs = SyncRun.objects.filter(status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING])
    if not startup:
        runs = runs.filter(
            Q(status=SyncStatus.RUNNING, heartbeat_at__lt=now - heartbeat_stale())
            | Q(status=SyncStatus.QUEUED, heartbeat_at__lt=now - queued_stale())
            | Q(heartbeat_at__isnull=True)
        )
    requeued = []
    for run in runs.order_by("created_at"):
        with locks.sync_lock(run.connection_id) as free:
            if not free:
                continue  # a live process is syncing the connection
            if run.status == SyncStatus.QUEUED and run.created_at < now - QUEUED_TTL:
                with translation.override(settings.LANGUAGE_CODE):
                    message = _("The sync never started. Try again.")
                SyncRun.objects.filter(pk=run.pk, status=SyncStatus.QUEUED).update(
                    status=SyncStatus.FAILED, error=message, finished_at=now
                )
                continue
            # Claimed by the heartbeat: a second watchdog does not queue it again meanwhile.
            if SyncRun.objects.filter(pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at).update(
                heartbeat_at=now
            ):
                requeued.append(run.pk)
    return requeued
