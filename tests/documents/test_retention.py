"""Documents, archive entries and their audit trail are kept seven years after the end of the
fiscal year; nothing deletes them earlier, and deleting a company only marks it."""

from __future__ import annotations

import datetime

import pytest
from django.db import models
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.documents.archive import archive_file, folder_retention
from ledgerport.documents.archive_folders import Folder
from ledgerport.documents.models import ArchiveEntry, Document, RetentionRefused
from ledgerport.documents.services import document_store, voucher_document_link
from ledgerport.documents.upload_checks import check_upload
from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import company_list

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


AUGUST = Folder(2026, "payroll", 8)


def filed(world, folder: Folder = AUGUST) -> ArchiveEntry:
    archive_file(
        company=world.a1,
        user=world.admin_a,
        folder=folder,
        files=[check_upload("lön.pdf", b"%PDF-1.4 " + folder.key.encode())],
        by_client=False,
    )
    return ArchiveEntry.objects.filter(company=world.a1).latest("pk")


def test_the_fiscal_year_decides_and_the_calendar_year_without_one(world):
    assert folder_retention(world.a1, Folder(2026, "payroll", 8)) == datetime.date(2033, 12, 31)
    FiscalYear.objects.create(
        company=world.a1, start=datetime.date(2026, 5, 1), end=datetime.date(2027, 4, 30)
    )
    assert folder_retention(world.a1, Folder(2026, "payroll", 8)) == datetime.date(2034, 4, 30)
    entry = filed(world)
    assert entry.retain_until == datetime.date(2034, 4, 30)
    assert entry.document.retain_until == datetime.date(2034, 4, 30)


def test_a_voucher_link_lengthens_a_fetched_documents_retention(world):
    document = document_store(
        company=world.a1, content=b"%PDF-1.4 v", file_name="v.pdf", source="x", external_id="1"
    )
    year = FiscalYear.objects.create(
        company=world.a1, start=datetime.date(2040, 7, 1), end=datetime.date(2041, 6, 30)
    )
    voucher_document_link(document=document, fiscal_year=year, series="A", number="1")
    document.refresh_from_db()
    assert document.retain_until == datetime.date(2048, 6, 30)


def test_nothing_deletes_a_retained_document_or_entry(world):
    entry = filed(world)
    document = entry.document
    for attempt in (
        entry.delete,
        document.delete,
        ArchiveEntry.objects.filter(pk=entry.pk).delete,
        Document.objects.filter(pk=document.pk).delete,
        Document.objects.all().delete,
    ):
        with pytest.raises(RetentionRefused):
            attempt()
    # Not even through the company: its foreign key protects them from a cascade.
    with pytest.raises(ProtectedError):
        models.Model.delete(world.a1)
    assert (
        ArchiveEntry.objects.filter(pk=entry.pk).exists() and Document.objects.filter(pk=document.pk).exists()
    )


def test_once_retention_has_run_out_an_entry_may_go(world):
    entry = filed(world)
    ArchiveEntry.objects.filter(pk=entry.pk).update(retain_until=datetime.date(2000, 1, 1))
    entry.refresh_from_db()
    entry.delete()
    assert not ArchiveEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_company_marks_it_hides_it_and_erases_nothing(client, world):
    entry = filed(world)
    audit_record(
        request=None, action=Action.VIEW, company=world.a1, target=entry.document, user=world.member_a1
    )
    world.a1.delete()
    Company.objects.filter(pk=world.a2.pk).delete()  # the queryset marks too
    assert Company.objects.filter(pk__in=[world.a1.pk, world.a2.pk], deleted_at__isnull=False).count() == 2
    assert list(company_list(user=world.admin_a)) == []
    client.force_login(world.admin_a)
    assert client.get(reverse("web:company_overview", args=[world.a1.pk])).status_code == 404
    assert client.get(reverse("portal:archive_entry", args=[world.a1.pk, entry.pk])).status_code == 404
    assert ArchiveEntry.objects.filter(pk=entry.pk).exists()
    # The client can be added again under the same organisation number.
    Company.objects.create(firm=world.firm_a, name="Ny", orgnr=world.a1.orgnr)
