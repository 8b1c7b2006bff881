"""Stored files, where each came from, and the vouchers they belong to.

A document is stored once per company (deduplicated by SHA-256). Its origins record every
provider file it was fetched as (provider + external id, so a resumed or repeated sync
skips what it already has). Voucher links use the voucher's natural key (fiscal year,
series, number) rather than a row id, because a ledger re-import replaces voucher rows
while the provider's documents stay the same.

The archive (seed 003) files documents into folders: an `ArchiveEntry` places a document in
year › area › month (see `archive_folders`), `UploadBatch` groups one upload (one e-mail per
batch), `DocumentSeen` records who has opened which entry (the yellow dots).

Retention: the bookkeeping act keeps documents seven years after the end of their fiscal
year. Each document and entry carries `retain_until`; deleting one before that day refuses
(the model and the queryset), and the company foreign keys protect them from a cascade.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import ScopedQuerySet, TenantModel

from .archive_folders import Area

# Every document file lives under this storage folder (the orphan sweep walks it).
DOCUMENTS_FOLDER = "documents"
# The origin source of a file a person uploaded into the archive (providers use their names).
UPLOAD_SOURCE = "upload"


def _document_path(document: Document, filename: str) -> str:
    return f"{DOCUMENTS_FOLDER}/{document.company_id}/{document.sha256[:2]}/{document.sha256}"


class RetentionRefused(Exception):
    """A document or archive entry asked to be deleted before its retention has run out."""


def _refuse_if_retained(rows: Any) -> None:
    today = timezone.localdate()
    if rows.filter(models.Q(retain_until__isnull=True) | models.Q(retain_until__gte=today)).exists():
        raise RetentionRefused("kept for seven years after the end of the fiscal year")


class RetainedQuerySet(ScopedQuerySet):
    def delete(self) -> Any:
        _refuse_if_retained(self)
        return super().delete()


class RetainedModel(TenantModel):
    """A row the bookkeeping act keeps until `retain_until`: no delete gets through before."""

    retain_until = models.DateField(null=True, blank=True)

    objects = RetainedQuerySet.as_manager()  # type: ignore[misc]  # the same manager, stricter

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.retain_until is None or self.retain_until >= timezone.localdate():
            raise RetentionRefused(f"{self} is kept until {self.retain_until}")
        return super().delete(*args, **kwargs)


def retention_end(fiscal_year_end: datetime.date) -> datetime.date:
    """Seven years after the end of the fiscal year (29 February becomes the 28th)."""
    try:
        return fiscal_year_end.replace(year=fiscal_year_end.year + 7)
    except ValueError:
        return fiscal_year_end.replace(year=fiscal_year_end.year + 7, day=28)


class Document(RetainedModel):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="documents")
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
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20)  # a provider's name, "upload", …
    external_id = models.CharField(max_length=200)
    fetched_at = models.DateTimeField(default=timezone.now)
    # Who uploaded it (source "upload"), or the consent a provider file was fetched under.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent = models.CharField(max_length=255, blank=True)

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


class UploadBatch(TenantModel):
    """The files one person uploaded into one folder at once (one e-mail per batch)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    folder = models.CharField(max_length=20)
    by_client = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.folder} ({self.uploaded_by_id})"


class ArchiveEntry(RetainedModel):
    """A document filed in the archive under year › area › month, with its name there."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="archive_entries")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="archive_entries")
    batch = models.ForeignKey(UploadBatch, on_delete=models.PROTECT, related_name="entries")
    year = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=20, choices=Area.choices)
    month = models.PositiveSmallIntegerField()
    file_name = models.CharField(_("file name"), max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    # A newer version filed in its place (a corrected summary): this one stays, shown as replaced.
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["company", "year", "area", "month"], name="archive_entry_folder")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def folder_key(self) -> str:
        return f"{self.year}/{self.area}/{self.month:02d}"


class DocumentSeen(TenantModel):
    """The user has opened (previewed or downloaded) this archive entry: its dot is gone."""

    scope_company_path: ClassVar[str] = "entry__company"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(ArchiveEntry, on_delete=models.CASCADE, related_name="seen")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="document_seen_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.entry_id}"
