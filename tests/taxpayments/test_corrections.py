"""Correcting a published tax-payment month: a new version filed, the old PDF kept and marked
replaced ("Ersatt"), the open payment case following the new amount and due date (no second
case), the client told once; two identical corrections at once make one new version."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ledgerport.cases.models import Case, CaseStatus
from ledgerport.documents.models import ArchiveEntry
from ledgerport.portal.models import Notification
from ledgerport.taxpayments import correction_services, services
from ledgerport.taxpayments.drafts import firm_draft
from ledgerport.taxpayments.models import TaxPaymentSummary
from tests.concurrency import at_once, needs_postgres

NOVEMBER = date(2026, 11, 1)  # due 12 November 2026


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _draft(world, **amounts):
    with translation.override("sv"):
        return firm_draft(world.a1, NOVEMBER, **amounts)


def _publish(world, **amounts):
    return services.tax_payment_publish(company=world.a1, user=world.admin_a, draft=_draft(world, **amounts))


def _correct(world, **amounts):
    with translation.override("sv"):
        return correction_services.tax_payment_correct(
            company=world.a1, user=world.accountant_a, draft=_draft(world, **amounts)
        )


def _text(entry):
    with entry.document.file.open("rb") as handle:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.mark.django_db
def test_a_correction_files_a_new_version_keeps_the_old_and_revises_the_one_case(client, world):
    first = _publish(world, employer_contributions=Decimal("31420.00"), deducted_tax=Decimal("28000.00"))
    old_entry, case = first.entry, first.case
    notified_before = Notification.objects.count()

    summary, filed = _correct(
        world, employer_contributions=Decimal("31420.00"), deducted_tax=Decimal("29500.00")
    )
    assert filed and summary.version == 2 and summary.amount == Decimal("60920.00")
    assert summary.case == case and Case.objects.filter(company=world.a1).count() == 1
    old_entry.refresh_from_db()
    assert old_entry.replaced_by == summary.entry and summary.entry.replaced_by is None
    assert summary.entry.folder_key == old_entry.folder_key == "2026/tax/11"
    assert summary.entry.file_name == "Skattebetalning 2026-11 (version 2).pdf"
    assert "60 920,00 kr" in _text(summary.entry) and "version 2" in _text(summary.entry)
    assert "59 420,00 kr" in _text(old_entry)  # the one sent before is unchanged

    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.due_date == date(2026, 11, 12)
    assert "60 920,00 kr" in case.body and "59 420,00 kr" not in case.body
    assert "Rättad (version 2): 60 920,00 kr" in case.messages.get().body
    # Told once: one notification per client user, saying what changed; no case notification.
    new = Notification.objects.exclude(
        pk__in=Notification.objects.order_by("pk")[:notified_before].values("pk")
    )
    assert sorted(n.user_id for n in new) == sorted([world.signatory_a1.pk, world.member_a1.pk])
    assert all("Corrected tax payment" in n.message for n in new)

    # The archive shows the old one as replaced ("Ersatt"), linking to the new.
    client.force_login(world.member_a1)
    folder = client.get(reverse("portal:archive_folder", args=[world.a1.pk, "2026/tax/11"])).content.decode()
    assert folder.count('data-testid="replaced"') == 1 and "Ersatt" in folder
    old_page = client.get(reverse("portal:archive_entry", args=[world.a1.pk, old_entry.pk])).content.decode()
    assert reverse("portal:archive_entry", args=[world.a1.pk, summary.entry.pk]) in old_page

    again, filed_again = _correct(
        world, employer_contributions=Decimal("31420.00"), deducted_tax=Decimal("29500.00")
    )
    assert not filed_again and again.version == 2 and ArchiveEntry.objects.count() == 2


@pytest.mark.django_db
def test_a_payment_corrected_to_a_refund_closes_its_case_and_a_refund_corrected_to_a_payment_opens_one(world):
    first = _publish(world, vat=Decimal("12000.00"))
    summary, _ = _correct(world, vat=Decimal("-3000.00"))
    first.case.refresh_from_db()
    assert first.case.status == CaseStatus.CLOSED and summary.case == first.case

    summary, _ = _correct(world, vat=Decimal("4500.00"))
    assert summary.version == 3 and summary.case.status == CaseStatus.OPEN and summary.case != first.case
    assert Case.objects.exclude(status=CaseStatus.CLOSED).count() == 1
    assert ArchiveEntry.objects.filter(replaced_by__isnull=True).count() == 1


@pytest.mark.django_db
def test_an_unpublished_month_cannot_be_corrected(world):
    with pytest.raises(services.PublishRefused, match="inte publicerad"):
        _correct(world, vat=Decimal("100.00"))
    assert not TaxPaymentSummary.objects.exists() and not ArchiveEntry.objects.exists()


@pytest.mark.django_db
def test_the_firms_page_republishes_with_new_amounts(client, world):
    _publish(world, vat=Decimal("12000.00"))
    client.force_login(world.accountant_a)
    page = client.get(reverse("taxpayments:page", args=[world.a1.pk]), {"month": "2026-11"}).content.decode()
    assert 'data-testid="correct-amounts"' in page and 'data-testid="publish-amounts"' not in page
    response = client.post(
        reverse("taxpayments:publish", args=[world.a1.pk]),
        {"source": "firm", "correct": "1", "month": "2026-11", "vat": "13 250,00"},
        follow=True,
    )
    assert response.status_code == 200 and "version 2" in response.content.decode()
    assert TaxPaymentSummary.objects.get().amount == Decimal("13250.00")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_corrections_at_once_make_one_new_version(world):
    _publish(world, vat=Decimal("12000.00"))
    results = at_once([lambda: _correct(world, vat=Decimal("15000.00"))] * 2)
    assert sorted(filed for _summary, filed in results) == [False, True]
    summary = TaxPaymentSummary.objects.get()
    assert summary.version == 2 and summary.amount == Decimal("15000.00")
    assert ArchiveEntry.objects.count() == 2 and Case.objects.count() == 1
    correction_notes = Notification.objects.exclude(message="")
    assert correction_notes.count() == 2  # the company's two client users, once each
