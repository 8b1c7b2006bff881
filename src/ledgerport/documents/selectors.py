"""Reads for documents (the company or voucher passed in is already scoped)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ledgerport.ledger.models import FiscalYear, Voucher
from ledgerport.tenancy.models import Company

from .models import Document


def documents_for_voucher(voucher: Voucher) -> QuerySet[Document]:
    return (
        Document.objects.filter(
            voucher_links__fiscal_year_id=voucher.fiscal_year_id,
            voucher_links__series=voucher.series,
            voucher_links__number=voucher.number,
        )
        .distinct()
        .order_by("file_name")
    )


def document_get(*, user: object, company: Company, pk: int) -> Document:
    document = Document.objects.for_user(user).filter(company=company, pk=pk).first()
    if document is None:
        raise Http404
    return document


def document_count_for_year(fiscal_year: FiscalYear) -> int:
    """Distinct files linked to the year's vouchers."""
    return Document.objects.filter(voucher_links__fiscal_year=fiscal_year).distinct().count()
