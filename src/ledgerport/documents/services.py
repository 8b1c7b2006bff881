"""Writes for documents: store a file once, record where it came from, link it to vouchers."""

from __future__ import annotations

import hashlib
import mimetypes

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company

from .models import Document, DocumentOrigin, VoucherDocument

MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def sniff_content_type(content: bytes, file_name: str) -> str:
    """Trust the bytes over the name: what a browser will be asked to render must be what it is."""
    for magic, content_type in MAGIC:
        if content.startswith(magic):
            return content_type
    guessed, _ = mimetypes.guess_type(file_name)
    return "application/octet-stream" if guessed in {None, "text/html", "image/svg+xml"} else str(guessed)


def document_store(
    *, company: Company, content: bytes, file_name: str, source: str, external_id: str
) -> Document:
    """Store the bytes once per company (SHA-256) and record this origin. Idempotent."""
    sha256 = hashlib.sha256(content).hexdigest()
    document = Document.objects.filter(company=company, sha256=sha256).first()
    if document is None:
        document = Document(
            company=company,
            sha256=sha256,
            file_name=file_name[:255],
            content_type=sniff_content_type(content, file_name),
            size=len(content),
        )
        document.file.save(sha256, ContentFile(content), save=False)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:  # a concurrent sync stored the same bytes first
            document = Document.objects.get(company=company, sha256=sha256)
    DocumentOrigin.objects.get_or_create(
        company=company, source=source, external_id=external_id, defaults={"document": document}
    )
    return document


def known_origin(*, company: Company, source: str, external_id: str) -> Document | None:
    """The document already fetched as this provider file, so a resumed sync can skip it."""
    origin = (
        DocumentOrigin.objects.select_related("document")
        .filter(company=company, source=source, external_id=external_id)
        .first()
    )
    return origin.document if origin else None


def voucher_document_link(*, document: Document, fiscal_year: FiscalYear, series: str, number: str) -> None:
    VoucherDocument.objects.get_or_create(
        document=document, fiscal_year=fiscal_year, series=series, number=str(number)
    )
