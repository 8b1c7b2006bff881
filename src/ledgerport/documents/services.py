"""Writes for documents: store a file once, record where it came from, link it to vouchers."""

from __future__ import annotations

import datetime
import hashlib
import logging
import mimetypes
import posixpath
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company

from .models import DOCUMENTS_FOLDER, Document, DocumentOrigin, VoucherDocument, retention_end

if TYPE_CHECKING:
    from ledgerport.identity.models import User

logger = logging.getLogger(__name__)

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
    *,
    company: Company,
    source: str,
    files: list[tuple[str, str, bytes]],
    uploaded_by: User | None = None,
    consent: str = "",
    content_types: dict[str, str] | None = None,
) -> dict[str, Document]:
    """`document_store` for many (external id, file name, bytes) at once, in a few statements.

    external id -> document. Idempotent; run it in a transaction to store all or none. The
    origin records the uploader or the consent it was fetched under (provenance);
    `content_types` (SHA-256 -> type) are the upload checks' sniffed types.
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
                content_type=(content_types or {}).get(sha) or sniff_content_type(content, file_name),
                size=len(content),
                retain_until=retention_end(datetime.date(timezone.localdate().year, 12, 31)),
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
            DocumentOrigin(
                company=company,
                source=source,
                external_id=external_id,
                document=stored[sha],
                uploaded_by=uploaded_by,
                consent=consent[:255],
            )
            for external_id, sha in shas
        ],
        ignore_conflicts=True,
    )
    return {external_id: stored[sha] for external_id, sha in shas}


def voucher_document_link(*, document: Document, fiscal_year: FiscalYear, series: str, number: str) -> None:
    voucher_document_links([(document, fiscal_year, series, number)])


def known_origins(*, company: Company, source: str, external_ids: Iterable[str]) -> dict[str, Document]:
    """The documents already fetched as these provider files, so a resumed sync skips them:
    external id -> document (chunked queries)."""
    ids = list(dict.fromkeys(external_ids))
    found: dict[str, Document] = {}
    for start in range(0, len(ids), 1000):
        for origin in DocumentOrigin.objects.select_related("document").filter(
            company=company, source=source, external_id__in=ids[start : start + 1000]
        ):
            found[origin.external_id] = origin.document
    return found


def voucher_document_links(links: Iterable[tuple[Document, FiscalYear, str, str]]) -> None:
    """Many `voucher_document_link`s in one statement; existing links are left as they are.

    A linked document is kept at least seven years after its voucher's fiscal year ends."""
    rows = [
        VoucherDocument(document=document, fiscal_year=fiscal_year, series=series, number=str(number))
        for document, fiscal_year, series, number in links
    ]
    if rows:
        VoucherDocument.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    by_year: dict[datetime.date, set[int]] = {}
    for row in rows:
        by_year.setdefault(row.fiscal_year.end, set()).add(row.document.pk)
    for end, ids in by_year.items():
        retention_extend(document_ids=ids, until=retention_end(end))


def retention_extend(*, document_ids: Iterable[int], until: datetime.date) -> None:
    """Keep these documents at least until `until` (a retention is only ever lengthened)."""
    ids = list(document_ids)
    for start in range(0, len(ids), 1000):
        Document.objects.filter(pk__in=ids[start : start + 1000]).filter(
            Q(retain_until__lt=until) | Q(retain_until__isnull=True)
        ).update(retain_until=until)


def _stored_files(storage: Storage, folder: str) -> Iterator[tuple[str, list[str]]]:
    """(directory, its file names) for every directory under `folder`, depth first."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet (S3 simply lists nothing)
        return
    if files:
        yield folder, files
    for directory in sorted(directories):
        yield from _stored_files(storage, posixpath.join(folder, directory))


def orphan_files_delete(*, older_than: timedelta = timedelta(hours=1), dry_run: bool = False) -> list[str]:
    """Delete files under the documents' folder that no `Document` row references.

    `documents_store` writes a file before its transaction commits, so a rollback or a killed
    worker leaves the file behind without a row. Only files last modified more than
    `older_than` ago go: a file a running sync has just written (its row not yet committed)
    is always kept. Global by design (every company's folder), and it only ever removes
    unreferenced files. Uses the storage API alone (listdir, get_modified_time, delete), so
    it works on S3 too. Returns the deleted names (the would-be deleted ones with `dry_run`).
    """
    storage = Document._meta.get_field("file").storage
    cutoff = timezone.now() - older_than
    deleted: list[str] = []
    for directory, files in _stored_files(storage, DOCUMENTS_FOLDER):
        names = [posixpath.join(directory, file) for file in files]
        referenced = set(Document.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name in referenced:
                continue
            try:
                if storage.get_modified_time(name) >= cutoff:
                    continue
            except FileNotFoundError:  # deleted meanwhile
                continue
            # Ask again right before deleting: a sync may have committed its row meanwhile.
            if Document.objects.filter(file=name).exists():
                continue
            if not dry_run:
                storage.delete(name)
            deleted.append(name)
    if deleted and not dry_run:
        logger.info("Deleted %d orphaned document files", len(deleted))
    return deleted
