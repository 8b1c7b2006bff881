"""Two uploads of the same file into one folder at once, and two openings of one entry."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ledgerport.documents import services as document_services
from ledgerport.documents.archive import entries_seen
from ledgerport.documents.archive_folders import Folder
from ledgerport.documents.models import ArchiveEntry, Document, DocumentSeen
from ledgerport.portal.archive_services import archive_upload
from ledgerport.portal.models import Notification
from tests.concurrency import at_once, needs_postgres
from tests.factories import build_world


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_file_uploaded_twice_at_once_is_stored_once_and_filed_twice(
    settings, tmp_path, monkeypatch, eager_tasks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    store = document_services.documents_store

    def slow_store(**kwargs):  # both read "not stored yet" before either inserts
        found = store(**kwargs)
        time.sleep(0.2)
        return found

    monkeypatch.setattr("ledgerport.documents.archive.documents_store", slow_store)

    def upload(user):
        return lambda: archive_upload(
            company=world.a1,
            user=user,
            folder=Folder(2026, "payroll", 8),
            uploads=[SimpleUploadedFile("lön.pdf", b"%PDF-1.4 same bytes")],
        )

    results = at_once([upload(world.admin_a), upload(world.accountant_a)])
    assert all(isinstance(result, list) for result in results), results
    assert Document.objects.count() == 1
    assert ArchiveEntry.objects.count() == 2
    assert Notification.objects.filter(user=world.member_a1).count() == 2


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_opening_one_entry_twice_at_once_records_one_seen_row(settings, tmp_path, eager_tasks):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    entries = archive_upload(
        company=world.a1,
        user=world.admin_a,
        folder=Folder(2026, "uploads", 1),
        uploads=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 a")],
    )
    results = at_once([lambda: entries_seen(user=world.member_a1, entries=entries)] * 2)
    assert results == [None, None]
    assert DocumentSeen.objects.filter(user=world.member_a1).count() == 1
