"""Stored files, where each came from, and the vouchers they belong to.

A document is stored once per company (deduplicated by SHA-256). Its origins record every
provider file it was fetched as (provider + external id, so a resumed or repeated sync
skips what it already has). Voucher links use the voucher's natural key (fiscal year,
series, number) rather than a row id, because a ledger re-import replaces voucher rows
while the provider's documents stay the same.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel

# Every document file lives under this storage folder (the orphan sweep walks it).
DOCUMENTS_FOLDER = "documents"


def _document_path(document: Document, filename: str) -> str:
    return f"{DOCUMENTS_FOLDER}/{document.company_id}/{document.sha256[:2]}/{document.sha256}"


class Document(TenantModel):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="documents")
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=_document_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "sha256"], name="document_unique_hash")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_inline_viewable(self) -> bool:
        return self.content_type in {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


class DocumentOrigin(TenantModel):
    """Provenance: one provider file (source + external id) and when it was fetched."""

    scope_company_path: ClassVar[str] = "document__company"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="origins")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20)  # a provider's name, "upload", …
    external_id = models.CharField(max_length=200)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "source", "external_id"], name="document_origin_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class VoucherDocument(TenantModel):
    scope_company_path: ClassVar[str] = "fiscal_year__company"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="voucher_links")
    fiscal_year = models.ForeignKey(
        "ledger.FiscalYear", on_delete=models.CASCADE, related_name="document_links"
    )
    series = models.CharField(max_length=20, blank=True)
    number = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "fiscal_year", "series", "number"], name="voucher_document_unique"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "series", "number"])]

    def __str__(self) -> str:
        return f"{self.series}{self.number} → {self.document}"
