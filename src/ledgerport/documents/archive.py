"""Writes for the archive: file checked uploads into a folder, record who opened what."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company

from .archive_folders import Folder
from .models import UPLOAD_SOURCE, ArchiveEntry, DocumentSeen, UploadBatch, retention_end
from .services import documents_store, retention_extend
from .upload_checks import CheckedFile, UploadRefused, check_upload, safe_file_name

if TYPE_CHECKING:
    from ledgerport.identity.models import User


class Upload(Protocol):
    """What Django's UploadedFile offers, and a test's SimpleUploadedFile."""

    name: str | None
    size: int | None

    def read(self) -> bytes: ...


class BatchRefused(Exception):
    """Some files of a batch were refused; nothing of the batch was stored."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def uploads_check(uploads: Iterable[Upload]) -> list[CheckedFile]:
    """Every file checked before anything is stored; `BatchRefused` names each refused one.
    An oversized file is refused by its size, before it is read."""
    checked, refused = [], []
    for upload in uploads:
        name = upload.name or ""
        try:
            if (upload.size or 0) > settings.ARCHIVE_MAX_UPLOAD_BYTES:
                raise UploadRefused(
                    _("%(name)s is larger than %(limit)s and was not uploaded.")
                    % {
                        "name": safe_file_name(name),
                        "limit": filesizeformat(settings.ARCHIVE_MAX_UPLOAD_BYTES),
                    }
                )
            checked.append(check_upload(name, upload.read()))
        except UploadRefused as exc:
            refused.append(str(exc))
    if refused:
        raise BatchRefused(refused)
    if not checked:
        raise BatchRefused([_("Choose one or more files to upload.")])
    return checked


def folder_retention(company: Company, folder: Folder) -> datetime.date:
    """Seven years after the fiscal year the folder's month falls in (its calendar year when
    the company has no such fiscal year)."""
    day = datetime.date(folder.year, folder.month or 12, 1)
    year = FiscalYear.objects.filter(company=company, start__lte=day, end__gte=day).order_by("-end").first()
    return retention_end(year.end if year is not None else datetime.date(folder.year, 12, 31))


def archive_file(
    *, company: Company, user: User, folder: Folder, files: list[CheckedFile], by_client: bool
) -> UploadBatch:
    """File checked files into a month folder as one batch: all stored, or none.

    The uploader has seen their own files (no dot for them)."""
    if not folder.is_leaf:
        raise ValueError("documents are filed in month folders")
    until = folder_retention(company, folder)
    with transaction.atomic():
        batch = UploadBatch.objects.create(
            company=company, uploaded_by=user, folder=folder.key, by_client=by_client
        )
        ids = [f"{batch.pk}/{index}" for index in range(len(files))]
        stored = documents_store(
            company=company,
            source=UPLOAD_SOURCE,
            files=[
                (external_id, file.name, file.content) for external_id, file in zip(ids, files, strict=True)
            ],
            uploaded_by=user,
            content_types={hashlib.sha256(file.content).hexdigest(): file.content_type for file in files},
        )
        retention_extend(document_ids={d.pk for d in stored.values()}, until=until)
        entries = ArchiveEntry.objects.bulk_create(
            [
                ArchiveEntry(
                    company=company,
                    document=stored[external_id],
                    batch=batch,
                    year=folder.year,
                    area=folder.area,
                    month=folder.month,
                    file_name=file.name,
                    retain_until=until,
                )
                for external_id, file in zip(ids, files, strict=True)
            ]
        )
        entries_seen(user=user, entries=entries)
    return batch


def entries_seen(*, user: User, entries: Iterable[ArchiveEntry]) -> None:
    """The user opened these entries (a preview, a download, a folder's zip). Idempotent, and
    safe when two requests record the same at once."""
    DocumentSeen.objects.bulk_create(
        [DocumentSeen(user=user, entry=entry) for entry in entries], ignore_conflicts=True, batch_size=1000
    )


def archive_entry_replace(*, old: ArchiveEntry, new: ArchiveEntry) -> None:
    """`new` is filed in place of `old` (a corrected version): the old one stays in the archive,
    marked as replaced, so what the client was sent before can still be read."""
    if old.company_id != new.company_id:
        raise ValueError("an entry is replaced only within its company")
    ArchiveEntry.objects.filter(pk=old.pk).update(replaced_by=new)
