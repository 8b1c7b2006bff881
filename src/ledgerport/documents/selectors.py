"""Reads for documents (the company or voucher passed in is already scoped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from ledgerport.ledger.models import Voucher
from ledgerport.tenancy.models import Company

from .models import UPLOAD_SOURCE, Document, DocumentOrigin, VoucherDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ledgerport.identity.models import User


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


def document_first_for_voucher(voucher: Voucher) -> Document | None:
    return documents_for_voucher(voucher).first()


def document_get(*, user: User | AnonymousUser, company: Company, pk: int) -> Document:
    document = Document.objects.for_user(user).filter(company=company, pk=pk).first()
    if document is None:
        raise Http404
    return document


def document_origins(*, document_id: int) -> list[DocumentOrigin]:
    """Where a document's bytes came from: every upload and provider file they were stored as."""
    return list(
        DocumentOrigin.objects.filter(document_id=document_id)
        .select_related("uploaded_by")
        .order_by("fetched_at", "pk")
    )


def document_list(*, company: Company) -> QuerySet[Document]:
    """The Dokument tab: every stored document, newest first, with the vouchers it belongs to.

    Every document a sync has committed is listed, at once and whether or not it is linked:
    the tab is the company's documents, not the vouchers'. Uploaded files are the archive's.
    """
    links = VoucherDocument.objects.select_related("fiscal_year").order_by(
        "fiscal_year__start", "series", "number"
    )
    fetched = DocumentOrigin.objects.filter(document=OuterRef("pk")).exclude(source=UPLOAD_SOURCE)
    return (
        Document.objects.filter(company=company)
        .filter(Exists(fetched))  # uploads live in the archive's folders
        .prefetch_related(Prefetch("voucher_links", queryset=links))
        .order_by("-created_at", "-id")
    )
