"""Reads of the published summaries and reports (the company passed in is already scoped)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from ledgerport.ledger.models import FiscalYear
from ledgerport.taxes import selectors as taxes
from ledgerport.taxes.models import VatPeriod
from ledgerport.tenancy.models import Company

from .models import ReportPublication, TaxPaymentSummary


def summaries(*, company: Company) -> QuerySet[TaxPaymentSummary]:
    return TaxPaymentSummary.objects.filter(company=company).select_related("entry").order_by("-month")


def summary_of(*, company: Company, month: date) -> TaxPaymentSummary | None:
    return (
        TaxPaymentSummary.objects.filter(company=company, month=month).select_related("entry", "case").first()
    )


def summary_exists(*, company: Company, month: date) -> bool:
    return TaxPaymentSummary.objects.filter(company=company, month=month).exists()


def report_publications(*, company: Company) -> QuerySet[ReportPublication]:
    return ReportPublication.objects.filter(company=company).select_related("entry").order_by("-month")


def report_publication(*, company: Company, month: date) -> ReportPublication | None:
    return ReportPublication.objects.filter(company=company, month=month).first()


def files_quarterly(*, company: Company) -> bool:
    profile = taxes.tax_profile(company)
    return profile is not None and profile.vat_period == VatPeriod.QUARTERLY


def fiscal_year_of(*, company: Company, day: date) -> FiscalYear | None:
    """The loaded fiscal year containing `day`."""
    return (
        FiscalYear.objects.filter(company=company, start__lte=day, end__gte=day, source__isnull=False)
        .order_by("-end")
        .first()
    )
