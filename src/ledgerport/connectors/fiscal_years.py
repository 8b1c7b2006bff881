"""Which of the company's fiscal years a sync fills, matched to the provider's years.

The ledger app has no "make sure these fiscal years exist" service, so this module uses
`FiscalYear` directly: a provider year missing locally is created empty (no source) and
the SIE import fills it like any other year. A provider year that overlaps a local year
with other dates is never created (the import would refuse it); the sync reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company


class ProviderYear(Protocol):
    """A provider's fiscal year: Fortnox `FinancialYear` (Id int) or Spiris `FiscalYear` (uuid)."""

    @property
    def id(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


@dataclass
class Target:
    provider_year: ProviderYear
    fiscal_year: FiscalYear


class YearProblem(Exception):
    """The provider's year overlaps a local year with other dates (`clash`)."""

    def __init__(self, clash: FiscalYear) -> None:
        super().__init__(str(clash))
        self.clash = clash


def as_period(entry: dict[str, Any]) -> tuple[date, date] | int:
    """A SyncRun.fiscal_years entry: {"start", "end"} or, before resolution, {"year": YYYY}."""
    if "start" in entry:
        return date.fromisoformat(entry["start"]), date.fromisoformat(entry["end"])
    return int(entry["year"])


def period_json(fiscal_year: FiscalYear) -> dict[str, str]:
    return {"start": fiscal_year.start.isoformat(), "end": fiscal_year.end.isoformat()}


def local_year(company: Company, year: ProviderYear) -> FiscalYear:
    """The company's year with exactly the provider's dates, created if there is none."""
    found = FiscalYear.objects.filter(company=company, start=year.start, end=year.end).first()
    if found is not None:
        return found
    clash = FiscalYear.objects.filter(company=company, start__lte=year.end, end__gte=year.start).first()
    if clash is not None:
        raise YearProblem(clash)
    try:
        with transaction.atomic():
            return FiscalYear.objects.create(company=company, start=year.start, end=year.end)
    except IntegrityError:  # a concurrent sync created it first
        return FiscalYear.objects.get(company=company, start=year.start, end=year.end)


Period = tuple[date, date]


def period_label(period: Period) -> str:
    return f"{period[0]:%Y-%m-%d} – {period[1]:%Y-%m-%d}"  # as FiscalYear.__str__


def _year_containing(company: Company, day: date) -> Period:
    """The company's fiscal year containing `day`: its own, else 12 months from its first month."""
    local = FiscalYear.objects.filter(company=company, start__lte=day, end__gte=day).first()
    if local is not None:
        return local.start, local.end
    month = company.fiscal_year_start_month
    first = date(day.year if day.month >= month else day.year - 1, month, 1)
    return first, date(first.year + 1, month, 1) - timedelta(days=1)


def two_latest_periods(company: Company, today: date | None = None) -> list[Period]:
    """ "Synka två senaste åren" from today's date: the year before and the current one (containing today)."""
    current = _year_containing(company, today or timezone.localdate())
    before = current[0] - timedelta(days=1)
    previous = _year_containing(company, before)
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
