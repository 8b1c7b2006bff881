"""Which of the company's fiscal years a sync fills, matched to the provider's years.

The ledger app has no "make sure these fiscal years exist" service, so this module uses
`FiscalYear` directly: a provider year missing locally is created empty (no source) and
the SIE import fills it like any other year. A provider year that overlaps a local year
with other dates is never created (the import would refuse it); the sync reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.db import IntegrityError, transaction

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


def _mappable(company: Company, year: ProviderYear) -> bool:
    return (
        not FiscalYear.objects.filter(company=company, start__lte=year.end, end__gte=year.start)
        .exclude(start=year.start, end=year.end)
        .exists()
    )


def two_latest(company: Company, provider_years: Sequence[ProviderYear]) -> list[ProviderYear]:
    """ "Synka två senaste åren": the two latest of the provider's years the company can hold."""
    usable = [y for y in provider_years if _mappable(company, y)]
    return sorted(usable, key=lambda y: y.start, reverse=True)[:2]


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
