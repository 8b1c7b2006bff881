"""Reads of the tax account and employer declarations (the company passed in is already scoped)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from ledgerport.identity import personnummer
from ledgerport.tenancy.models import Company

from .models import EmployerDeclaration, TaxAccountSnapshot, TaxAccountTransaction, TaxProfile


def tax_account_transactions(company: Company, *, start: date, end: date) -> QuerySet[TaxAccountTransaction]:
    """Booked and upcoming rows whose date (transaktionsdatum) is in start..end, inclusive, by
    date; on one date booked rows come before upcoming ones."""
    return TaxAccountTransaction.objects.filter(company=company, booked__gte=start, booked__lte=end).order_by(
        "booked", "upcoming", "ident", "pk"
    )


def tax_account_snapshot(company: Company) -> TaxAccountSnapshot | None:
    return TaxAccountSnapshot.objects.filter(company=company).first()


def tax_profile(company: Company) -> TaxProfile | None:
    """The VAT period and size the firm recorded for the company (None: not recorded)."""
    return TaxProfile.objects.filter(company=company).select_related("updated_by").first()


def employer_declarations(company: Company, *, start: date, end: date) -> QuerySet[EmployerDeclaration]:
    """The declarations of the months that start within start..end, by period."""
    return EmployerDeclaration.objects.filter(company=company, period__gte=start, period__lte=end).order_by(
        "period"
    )


def employer_declaration_signed_by(declaration: EmployerDeclaration) -> str:
    """The signatory's personnummer (decrypted), or "" when none is stored."""
    return personnummer.decrypt(declaration.signed_by_ciphertext) if declaration.signed_by_ciphertext else ""
