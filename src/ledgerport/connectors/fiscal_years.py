"""Which of the company's fiscal years a sync fills, matched to the provider's years.

The ledger owns the years (`ledger.fiscal_years`): a provider year missing locally is
created there, empty, and the SIE import fills it like any other year. A provider year that
overlaps a local year with other dates is never created; the sync reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from django.utils import timezone

from ledgerport.ledger.fiscal_years import fiscal_year_ensure, fiscal_year_period_containing
from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company


class ProviderYear(Protocol):
    """A provider's fiscal year, with the provider's own id (an int or a uuid, as text)."""

    @property
    def id(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


def as_period(entry: dict[str, Any]) -> tuple[date, date] | int:
    """A SyncRun.fiscal_years entry: {"start", "end"} or, before resolution, {"year": YYYY}."""
    if "start" in entry:
        return date.fromisoformat(entry["start"]), date.fromisoformat(entry["end"])
    return int(entry["year"])


def period_json(fiscal_year: FiscalYear) -> dict[str, str]:
    return {"start": fiscal_year.start.isoformat(), "end": fiscal_year.end.isoformat()}


def local_year(company: Company, year: ProviderYear) -> FiscalYear:
    """The company's year with exactly the provider's dates, created by the ledger if there is none.

    Raises `ledger.fiscal_years.FiscalYearOverlap` when a local year with other dates overlaps it."""
    return fiscal_year_ensure(company=company, start=year.start, end=year.end)


Period = tuple[date, date]


def period_label(period: Period) -> str:
    return f"{period[0]:%Y-%m-%d} – {period[1]:%Y-%m-%d}"  # as FiscalYear.__str__


def two_latest_periods(company: Company, today: date | None = None) -> list[Period]:
    """ "Synka två senaste åren" from today's date: the year before and the current one (containing today)."""
    current = fiscal_year_period_containing(company=company, day=today or timezone.localdate())
    before = current[0] - timedelta(days=1)
    previous = fiscal_year_period_containing(company=company, day=before)
    return [(previous[0], min(previous[1], before)), current]


def two_latest(
    company: Company, provider_years: Sequence[ProviderYear], today: date | None = None
) -> tuple[list[ProviderYear], list[Period]]:
    """The provider's years for the current fiscal year (containing today) and the one before it,
    however many later years the provider already lists; and the periods it lacks of those two."""
    today = today or timezone.localdate()
    wanted = two_latest_periods(company, today)
    current = next((y for y in provider_years if y.start <= today <= y.end), None)
    before = (current.start if current else wanted[1][0]) - timedelta(days=1)
    previous = next((y for y in provider_years if y.start <= before <= y.end), None)
    chosen = [y for y in (previous, current) if y is not None]
    missing = [period for period, year in zip(wanted, (previous, current), strict=True) if year is None]
    return chosen, missing


def requested(
    wanted: Sequence[tuple[date, date] | int], provider_years: Sequence[ProviderYear]
) -> tuple[list[ProviderYear], list[tuple[date, date] | int]]:
    """The provider's years for explicit periods (exact dates) or calendar years (start year)."""
    found: list[ProviderYear] = []
    missing: list[tuple[date, date] | int] = []
    for period in wanted:
        if isinstance(period, int):
            match = next((y for y in provider_years if y.start.year == period), None)
        else:
            match = next((y for y in provider_years if (y.start, y.end) == period), None)
        if match is None:
            missing.append(period)
        elif match not in found:
            found.append(match)
    return found, missing
