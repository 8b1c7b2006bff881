"""Uploading into the archive: check every file, file them as one batch, tell the others."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ledgerport.documents.archive import Upload, archive_file, uploads_check
from ledgerport.documents.archive_folders import Area, Folder
from ledgerport.documents.models import ArchiveEntry
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import can

from .notifications import batch_notify

if TYPE_CHECKING:
    from ledgerport.identity.models import User


def may_upload(user: User, company: Company, folder: Folder) -> bool:
    """Firm users upload into any month folder; client users into their own area's months."""
    if not folder.is_leaf:
        return False
    if can(user, company, "work"):
        return True
    return folder.area == Area.UPLOADS and can(user, company, "view")


def archive_upload(
    *, company: Company, user: User, folder: Folder, uploads: list[Upload]
) -> list[ArchiveEntry]:
    """Every file checked first (`BatchRefused` names the refused ones, nothing is stored),
    then all filed in one transaction with the recipients' notifications."""
    if not may_upload(user, company, folder):
        raise PermissionError("may not upload here")
    files = uploads_check(uploads)
    with transaction.atomic():
        batch = archive_file(
            company=company, user=user, folder=folder, files=files, by_client=not can(user, company, "work")
        )
        entries = list(batch.entries.all())
        batch_notify(batch=batch, count=len(entries))
    return entries
