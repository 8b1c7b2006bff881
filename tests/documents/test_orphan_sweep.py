"""The orphan sweep: stored files with no Document row go after a grace period, nothing else."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from ledgerport import cli
from ledgerport.celery import app as celery_app
from ledgerport.documents import services, tasks
from ledgerport.documents.models import Document

PDF = b"%PDF-1.4\n%%EOF\n"
HOUR = 60 * 60


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def age(name: str, seconds: float) -> None:
    """Set a stored file's modification time `seconds` into the past."""
    then = time.time() - seconds
    os.utime(default_storage.path(name), (then, then))


def stored(company, content: bytes, external_id: str = "1") -> Document:
    return services.document_store(
        company=company, content=content, file_name=f"{external_id}.pdf", source="s", external_id=external_id
    )


def orphan(company, content: bytes) -> str:
    """What a rolled-back sync leaves: `documents_store` wrote the file, the rows are gone."""
    with pytest.raises(RuntimeError), transaction.atomic():
        document = stored(company, content, external_id="rolled-back")
        name = document.file.name
        raise RuntimeError("the sync failed after the files were written")
    assert not Document.objects.filter(file=name).exists()
    assert default_storage.exists(name)
    return name


def test_an_old_unreferenced_file_is_deleted_and_a_referenced_one_kept(world):
    kept = stored(world.a1, PDF + b"kept")
    name = orphan(world.a1, PDF + b"orphan")
    age(kept.file.name, 48 * HOUR)
    age(name, 2 * HOUR)

    assert services.orphan_files_delete() == [name]
    assert not default_storage.exists(name)
    assert default_storage.exists(kept.file.name)
    kept.refresh_from_db()
    assert kept.file.read() == PDF + b"kept"
    assert services.orphan_files_delete() == []  # idempotent


def test_a_fresh_unreferenced_file_is_kept(world):
    """A running sync has written the file but not committed its row yet: never delete it."""
    name = orphan(world.a1, PDF + b"being synced")
    age(name, 59 * 60)
    assert services.orphan_files_delete() == []
    assert default_storage.exists(name)
    # The grace period is the caller's: with a shorter one the same file goes.
    assert services.orphan_files_delete(older_than=timedelta(minutes=30)) == [name]
    assert not default_storage.exists(name)


def test_the_sweep_is_global_but_only_deletes_unreferenced_files(world):
    """Same bytes in two companies: separate files; each company's own rows decide."""
    a1_document = stored(world.a1, PDF + b"shared")
    b1_document = stored(world.b1, PDF + b"shared")
    assert a1_document.file.name != b1_document.file.name
    b1_orphan = orphan(world.b1, PDF + b"b1 lost")
    a2_orphan = orphan(world.a2, PDF + b"a2 lost")
    # An orphan in A1's folder named exactly like B1's (referenced) file: the path decides.
    lookalike = default_storage.save(
        b1_document.file.name.replace(f"/{world.b1.pk}/", f"/{world.a2.pk}/"), ContentFile(b"x")
    )
    assert lookalike.endswith(b1_document.sha256)
    for name in (a1_document.file.name, b1_document.file.name, b1_orphan, a2_orphan, lookalike):
        age(name, 30 * 24 * HOUR)

    assert sorted(services.orphan_files_delete()) == sorted([b1_orphan, a2_orphan, lookalike])
    for document in (a1_document, b1_document):
        assert default_storage.exists(document.file.name)
        assert Document.objects.filter(pk=document.pk).exists()


def test_files_outside_the_documents_folder_are_never_touched(world):
    upload = default_storage.save("ledger/imports/old.se", ContentFile(b"#FLAGGA 0\n"))
    age(upload, 365 * 24 * HOUR)
    assert services.orphan_files_delete() == []
    assert default_storage.exists(upload)


def test_nothing_stored_yet_is_fine(db, media):
    assert not (media / "documents").exists()
    assert services.orphan_files_delete() == []


def test_dry_run_lists_and_keeps(world):
    name = orphan(world.a1, PDF + b"orphan")
    age(name, 2 * HOUR)
    assert services.orphan_files_delete(dry_run=True) == [name]
    assert default_storage.exists(name)


def test_the_daily_task_and_the_command(world, capsys):
    name = orphan(world.a1, PDF + b"orphan")
    fresh = orphan(world.a2, PDF + b"fresh")
    age(name, 2 * HOUR)

    out = StringIO()
    call_command("documents_sweep", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [name, "Would delete 1 orphaned document file(s)"]
    assert default_storage.exists(name)

    assert tasks.orphan_files_sweep.apply().get() == 1
    assert not default_storage.exists(name)
    assert default_storage.exists(fresh)

    # `ledgerport documents sweep` is the grouped spelling of the management command.
    age(fresh, 3 * HOUR)
    assert cli.main(["documents", "sweep", "--older-than-hours", "2"]) == 0
    assert "Deleted 1 orphaned document file(s)" in capsys.readouterr().out
    assert not default_storage.exists(fresh)


def test_the_sweep_is_scheduled_daily():
    entry = django_settings.CELERY_BEAT_SCHEDULE["documents-orphan-files-sweep"]
    assert entry["task"] == tasks.orphan_files_sweep.name
    assert entry["task"] in celery_app.tasks
    schedule = entry["schedule"]  # once a day, at night
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert schedule.day_of_week == set(range(7)) and len(schedule.day_of_month) == 31
