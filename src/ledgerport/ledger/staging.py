"""The import on SQLite: load out of sight in short commits, then swap the years in at once.

SQLite has one writer. An import in one transaction would hold the write lock for the whole
file, and every login (a session write) and page that writes would wait for it and then
fail with "database is locked". So here each year is loaded into a hidden copy
(`FiscalYear.staging`, never shown by `FiscalYear.objects`) batch by batch, each batch its
own short transaction; readers go on seeing the old ledger. One last transaction plans the
years again (another import may have finished meanwhile; SQLite's single writer makes that
transaction exclusive) and swaps: a new year's copy just becomes visible; an existing
year's content is deleted and the copy's moved under it (its id, its links and reviews
stay). Any failure discards the copies, so no half-loaded ledger is ever seen; copies left
by a killed worker are discarded by the next import of the company.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ImportRefused
from .models import Account, Balance, Dimension, FiscalYear, LedgerObject, PeriodSum, Voucher, VoucherRow

if TYPE_CHECKING:
    from ledgerport.sie import SieHeader, SieReader
    from ledgerport.tenancy.models import Company

    from .import_plan import ImportResult, YearPlan

ABANDONED_AFTER = timedelta(hours=6)  # no import runs this long: its worker is gone
CONTENT = (Account, Dimension, LedgerObject, Voucher, VoucherRow, Balance, PeriodSum)


class Steps(NamedTuple):
    """The importer's own steps, handed in: the importer calls this module, never the reverse."""

    plan_years: Callable[..., tuple[list[YearPlan], list[str]]]
    load: Callable[..., ImportResult]
    clear: Callable[[FiscalYear], None]


def discard(year: FiscalYear, clear: Callable[[FiscalYear], None]) -> None:
    """Delete a hidden copy and what was loaded into it (no-op once it was swapped in)."""
    with transaction.atomic():
        if FiscalYear.all_objects.filter(pk=year.pk, staging=True).exists():
            clear(year)
            FiscalYear.all_objects.filter(pk=year.pk).delete()


def import_staged(
    company: Company,
    reader: SieReader,
    header: SieHeader,
    tap: Any,
    source: str,
    warn: Callable[[int, str], None],
    progress: Any,
    options: dict[str, Any],
    finish: Callable[[list[YearPlan]], tuple[list[dict[str, Any]], int]],
    duplicates: dict[int, list[dict[str, Any]]],
    steps: Steps,
) -> tuple[ImportResult, tuple[list[dict[str, Any]], int]]:
    plan_years, load, clear = steps

    for old in FiscalYear.all_objects.filter(
        company=company, staging=True, imported_at__lt=timezone.now() - ABANDONED_AFTER
    ):
        discard(old, clear)
    plans, notes = plan_years(company, header, **options)  # refuses early, before any work
    for note in notes:
        warn(0, note)
    staged = [plan for plan in plans if plan.load]
    try:
        result = load(company, reader, header, plans, tap, source, warn, progress, duplicates, staged=True)
        with transaction.atomic():
            final, _notes = plan_years(company, header, **options)
            copies = {plan.index: plan for plan in staged}
            if {p.index for p in final if p.load} - set(copies):
                raise ImportRefused(_("The ledger was changed by another import meanwhile; try again."))
            for plan in final:
                copy = copies.pop(plan.index, None)
                if copy is None:
                    continue
                hidden = copy.fiscal_year
                assert hidden is not None
                if not plan.load:
                    discard(hidden, clear)
                    continue
                plan.vouchers, plan.rows = copy.vouchers, copy.rows
                if plan.existing is None:
                    hidden.staging = False  # saved by finish()
                    plan.fiscal_year = hidden
                else:
                    clear(plan.existing)
                    for model in CONTENT:
                        model.objects.filter(fiscal_year=hidden).update(fiscal_year=plan.existing)
                    FiscalYear.all_objects.filter(pk=hidden.pk).delete()
                    plan.fiscal_year = plan.existing
            outcome = finish(final)
    except BaseException:
        for plan in staged:
            if plan.fiscal_year is not None:
                discard(plan.fiscal_year, clear)
        raise
    result.years = [plan.fiscal_year for plan in final if plan.load and plan.fiscal_year is not None]
    return result, outcome
