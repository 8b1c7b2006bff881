"""Writes for documents: store a file once, record where it came from, link it to vouchers."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction

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
    with transaction.atomic():
        stored = documents_store(company=company, source=source, files=[(external_id, file_name, content)])
    return stored[external_id]


def documents_store(
    *, company: Company, source: str, files: list[tuple[str, str, bytes]]
) -> dict[str, Document]:
    """`document_store` for many (external id, file name, bytes) at once, in a few statements.

    external id -> document. Idempotent; run it in a transaction to store all or none.
    """
    shas = [(external_id, hashlib.sha256(content).hexdigest()) for external_id, _, content in files]
    by_sha: dict[str, tuple[str, bytes]] = {}
    for (_, sha), (_, file_name, content) in zip(shas, files, strict=True):
        by_sha.setdefault(sha, (file_name, content))
    stored = {d.sha256: d for d in Document.objects.filter(company=company, sha256__in=list(by_sha))}
    new = []
    for sha, (file_name, content) in by_sha.items():
        if sha not in stored:
            document = Document(
                company=company,
                sha256=sha,
                file_name=file_name[:255],
                content_type=sniff_content_type(content, file_name),
                size=len(content),
            )
            document.file.save(sha, ContentFile(content), save=False)
            new.append(document)
    if new:
        # A concurrent sync may have stored the same bytes first: keep its row, read the ids back.
        Document.objects.bulk_create(new, ignore_conflicts=True)
        created = Document.objects.filter(company=company, sha256__in=[d.sha256 for d in new])
        stored.update({d.sha256: d for d in created})
    DocumentOrigin.objects.bulk_create(
        [
            DocumentOrigin(company=company, source=source, external_id=external_id, document=stored[sha])
            for external_id, sha in shas
        ],
        ignore_conflicts=True,
    )
    return {external_id: stored[sha] for external_id, sha in shas}


def known_origin(*, company: Company, source: str, external_id: str) -> Document | None:
    """The document already fetched as this provider file, so a resumed sync can skip it."""
    return known_origins(company=company, source=source, external_ids=[external_id]).get(external_id)


def voucher_document_link(*, document: Document, fiscal_year: FiscalYear, series: str, number: str) -> None:
    voucher_document_links([(document, fiscal_year, series, number)])


def known_origins(*, company: Company, source: str, external_ids: Iterable[str]) -> dict[str, Document]:
    """`known_origin` for many provider files at once: external id -> document (chunked queries)."""
    ids = list(dict.fromkeys(external_ids))
    found: dict[str, Document] = {}
    for start in range(0, len(ids), 1000):
        for origin in DocumentOrigin.objects.select_related("document").filter(
            company=company, source=source, external_id__in=ids[start : start + 1000]
        ):
            found[origin.external_id] = origin.document
    return found


def voucher_document_links(links: Iterable[tuple[Document, FiscalYear, str, str]]) -> None:
    """Many `voucher_document_link`s in one statement; existing links are left as they are."""
    rows = [
        VoucherDocument(document=document, fiscal_year=fiscal_year, series=series, number=str(number))
        for document, fiscal_year, series, number in links
    ]
    if rows:
        VoucherDocument.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
