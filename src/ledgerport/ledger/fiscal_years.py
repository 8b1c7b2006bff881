"""The ledger creates a company's fiscal years; others (a provider sync) ask it here.

`fiscal_year_ensure` returns the company's year with exactly the dates asked for, creating
it empty (no source: the SIE import fills it like any other year) when there is none. A
period that overlaps a year with other dates is refused (`FiscalYearOverlap`): the import
would refuse it anyway. Safe when two processes ask at once: on PostgreSQL a
transaction-scoped advisory lock per company serialises the check and the create (two
overlapping periods cannot both pass the check); on SQLite the write transaction already
holds the database's only write lock.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction

from ledgerport.tenancy.models import Company

from .models import FiscalYear


class FiscalYearOverlap(Exception):
    """The period overlaps the company's year `clash`, which has other dates."""

    def __init__(self, clash: FiscalYear) -> None:
        super().__init__(str(clash))
        self.clash = clash


def _exact(company: Company, start: date, end: date) -> FiscalYear | None:
    return FiscalYear.objects.filter(company=company, start=start, end=end).first()


def _overlapping(company: Company, start: date, end: date) -> FiscalYear | None:
    return FiscalYear.objects.filter(company=company, start__lte=end, end__gte=start).first()


def _lock_company_years(company: Company) -> None:
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(
        hashlib.blake2b(f"ledger-fiscal-years:{company.pk}".encode(), digest_size=8).digest(),
        "big",
        signed=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def fiscal_year_ensure(*, company: Company, start: date, end: date) -> FiscalYear:
    """The company's year `start`–`end`, created if there is none; FiscalYearOverlap if it clashes."""
    found = _exact(company, start, end)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            _lock_company_years(company)
            # Read again under the lock: a concurrent caller may have committed meanwhile.
            found = _exact(company, start, end)
            if found is not None:
                return found
            clash = _overlapping(company, start, end)
            if clash is not None:
                raise FiscalYearOverlap(clash)
            return FiscalYear.objects.create(company=company, start=start, end=end)
    except IntegrityError:  # an import (which takes other locks) created the same start first
        found = _exact(company, start, end)
        if found is not None:
            return found
        clash = _overlapping(company, start, end)
        if clash is None:
            raise
        raise FiscalYearOverlap(clash) from None


def fiscal_year_period_containing(*, company: Company, day: date) -> tuple[date, date]:
    """The company's fiscal year containing `day`: its own, else 12 months from its first month."""
    local = FiscalYear.objects.filter(company=company, start__lte=day, end__gte=day).first()
    if local is not None:
        return local.start, local.end
    month = company.fiscal_year_start_month
    first = date(day.year if day.month >= month else day.year - 1, month, 1)
    return first, date(first.year + 1, month, 1) - timedelta(days=1)
