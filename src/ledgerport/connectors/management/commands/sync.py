"""`ledgerport sync ORGNR PROVIDER [--two-latest-years | --year YYYY] [--wait] [--overwrite-uploaded]`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledgerport.connectors import providers, sync, sync_runs
from ledgerport.connectors.models import Connection, SyncRun, SyncStatus
from ledgerport.tenancy.management.company_argument import add_company_arguments, company_from_options

POLL_SECONDS = 2.0


class Command(BaseCommand):
    help = "Sync a company's ledger and documents from a provider (`connections providers` lists them)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_company_arguments(parser)
        parser.add_argument("provider", choices=providers.sync_names())
        years = parser.add_mutually_exclusive_group()
        years.add_argument(
            "--two-latest-years", action="store_true", help="the company's two latest fiscal years (default)"
        )
        years.add_argument("--year", type=int, metavar="YYYY", help="the fiscal year starting in YYYY")
        parser.add_argument(
            "--wait", action="store_true", help="run here and now, print the result, exit 1 if it failed"
        )
        parser.add_argument(
            "--overwrite-uploaded", action="store_true", help="replace ledgers loaded from uploaded SIE files"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_from_options(options)
        connection = Connection.objects.filter(company=company, provider=options["provider"]).first()
        if connection is None:
            raise CommandError(f"{company.name} has no {options['provider']} connection")
        years = [{"year": options["year"]}] if options["year"] else None
        try:
            run = sync_runs.sync_start(
                connection=connection,
                fiscal_years=years,
                overwrite_uploaded_ledger=options["overwrite_uploaded"],
                enqueue=not options["wait"],
            )
        except sync_runs.SyncRefused as exc:
            raise CommandError(str(exc)) from exc
        if not options["wait"]:
            self.stdout.write(f"Sync {run.pk} queued.")
            return
        run = self._run_here(run)
        self.stdout.write(run.log.rstrip())
        self.stdout.write(
            f"Sync {run.pk}: {run.state}, {run.requests} requests, {run.timings.get('total', 0)} s"
        )
        if run.status != SyncStatus.SUCCEEDED:
            raise CommandError(run.error or run.status)

    def _run_here(self, run: SyncRun) -> SyncRun:
        """Execute in this process; if another process holds the sync, wait for it to finish."""
        while True:
            done = sync.sync_execute(run.pk)
            if done is not None and not done.is_active:
                return done
            time.sleep(POLL_SECONDS)
            run.refresh_from_db()
            if not run.is_active:
                return run
