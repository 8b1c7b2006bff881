"""Writes of the analysis app: the tax checks' summaries."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from ledgerport.ledger.selectors import fiscal_year_list_loaded
from ledgerport.tenancy.models import Company

from .models import TaxCheckSummary
from .signals import tax_checks_computed
from .tax_account_check import tax_account_analysis

YEARS = 2  # the latest fiscal years with a ledger that the lights cover


@transaction.atomic
def tax_check_summaries_refresh(company: Company, *, today: date | None = None) -> list[TaxCheckSummary]:
    """Run the tax checks of the company's latest fiscal years and keep how many differences each
    found (none kept for a company without tax-account data)."""
    now = timezone.now()
    kept = []
    analyses = []
    for fiscal_year in fiscal_year_list_loaded(company=company)[:YEARS]:
        analysis = tax_account_analysis(company, fiscal_year, today=today)
        if not analysis.has_tax_account:
            continue
        summary, _created = TaxCheckSummary.objects.update_or_create(
            fiscal_year=fiscal_year,
            defaults={"company": company, "findings": analysis.findings, "computed_at": now},
        )
        kept.append(summary)
        analyses.append(analysis)
    tax_checks_computed.send(sender=TaxCheckSummary, company=company, analyses=analyses)
    return kept
