"""Reads for the sync partials (the company passed in is already scoped by `company_view`)."""

from __future__ import annotations

from typing import Any

from ledgerport.ledger.models import FiscalYear, Source
from ledgerport.tenancy.models import Company

from . import providers
from .fiscal_years import period_json, period_label, two_latest_periods
from .models import Connection, SyncRun, SyncStatus
from .sync import SYNCABLE

RECENT_RUNS = 30


def sync_connections(*, company: Company) -> list[Connection]:
    """The company's bookkeeping connections that can be synced now."""
    return list(
        Connection.objects.filter(
            company=company, provider__in=providers.ledger_sync_names(), status__in=SYNCABLE
        ).order_by("provider")
    )


def sync_active(*, company: Company) -> bool:
    """Whether a sync of the company is queued or running (its documents are still arriving)."""
    return SyncRun.objects.filter(
        connection__company=company, status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING]
    ).exists()


def _uploaded(fiscal_year: FiscalYear) -> bool:
    """A ledger loaded from a SIE file: a sync replaces it only when the user chooses so."""
    return fiscal_year.source == Source.SIE and fiscal_year.full_ledger


def panel_context(*, company: Company, provider: str) -> dict[str, Any]:
    """ "Synka två senaste åren" for one connection, with its latest run."""
    connection = Connection.objects.filter(company=company, provider=provider).first()
    run = (
        SyncRun.objects.filter(connection=connection).order_by("-created_at").first() if connection else None
    )
    periods = two_latest_periods(company)  # what the button fetches, said before it starts
    latest = FiscalYear.objects.filter(company=company, start__in=[start for start, _ in periods])
    return {
        "company": company,
        "spec": providers.get(provider),
        "connection": connection,
        "can_sync": connection is not None and connection.status in SYNCABLE,
        "run": run,
        "two_latest": [period_label(period) for period in periods],
        "uploaded_years": [year for year in latest.order_by("-start") if _uploaded(year)],
    }


def latest_run_for_year(*, company: Company, fiscal_year: FiscalYear) -> SyncRun | None:
    period = period_json(fiscal_year)
    runs = (
        SyncRun.objects.filter(connection__company=company)
        .select_related("connection")
        .order_by("-created_at")
    )
    return next((run for run in runs[:RECENT_RUNS] if period in run.fiscal_years), None)


def year_context(*, company: Company, fiscal_year: FiscalYear) -> dict[str, Any]:
    """ "Hämta data" / "Synka" for one row of "Inläst data"."""
    run = latest_run_for_year(company=company, fiscal_year=fiscal_year)
    fetched = fiscal_year.source in providers.ledger_sync_names() or (
        run is not None and SyncRun.objects.filter(pk=run.pk, status=SyncStatus.SUCCEEDED).exists()
    )
    return {
        "company": company,
        "fiscal_year": fiscal_year,
        "connections": sync_connections(company=company),
        "run": run,
        "fetched": fetched,
        "uploaded": _uploaded(fiscal_year),
    }
