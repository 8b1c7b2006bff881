"""Publishing a month's tax-payment summary and balance and income report into the archive."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ledgerport.cases.models import Case, CaseKind, CaseStatus
from ledgerport.documents.models import ArchiveEntry
from ledgerport.ledger.services import ledger_import_sie
from ledgerport.portal.models import Notification
from ledgerport.taxes.models import TaxProfile, VatPeriod
from ledgerport.taxpayments import services
from ledgerport.taxpayments.drafts import firm_draft, synced_draft
from ledgerport.taxpayments.models import SummarySource, TaxPaymentSummary
from tests.analysis.tax_world import demo_company
from tests.analysis.test_key_figures import SIE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(entry: ArchiveEntry) -> str:
    with entry.document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_synced_month_is_summarised_filed_where_it_is_due_and_opens_a_case(world):
    company, scenario = demo_company(world.firm_a, "exempelbolaget")  # world.a1's org number
    assert company == world.a1
    with translation.override("sv"):
        draft = synced_draft(company, date(2026, 11, 1))
    # By hand from the scenario's rows due 12 Nov 2026 (debits turned to amounts to pay), less
    # the 4 581,00 surplus the seeded September declaration left on the account.
    assert [(line.text, line.amount) for line in draft.lines] == [
        ("Saldo på skattekontot före november 2026", Decimal("-4581.00")),
        ("Avdragen skatt oktober 2026", Decimal("56949.00")),
        ("Arbetsgivaravgift oktober 2026", Decimal("59644.27")),
        ("Moms oktober 2026", Decimal("46519.60")),
        ("Debiterad preliminärskatt", Decimal("9600.00")),
    ]
    assert draft.amount == Decimal("168131.87") and draft.ocr == scenario.ocr == "1655603607938"
    assert draft.due_date == date(2026, 11, 12) and draft.source == SummarySource.SYNCED

    with translation.override("sv"):
        summary = services.tax_payment_publish(company=company, user=world.admin_a, draft=draft)
    entry = summary.entry
    assert (entry.year, entry.area, entry.month) == (2026, "tax", 11)
    text = pdf_text(entry)
    for expected in (
        "168 131,87 kr",
        "5050-1055",
        "1655603607938",
        "2026-11-12",
        "Arbetsgivaravgift oktober 2026",
        "Moms oktober 2026",
        "Alfa Klient Ett AB",
    ):
        assert expected in text, expected
    case = Case.objects.get(pk=summary.case_id)
    assert case.kind == CaseKind.TAX_PAYMENT and case.due_date == date(2026, 11, 12)
    assert case.subject_key == f"tax_payment:{company.pk}:2026-11" and case.status == CaseStatus.OPEN
    assert set(case.recipients.all()) == {world.signatory_a1, world.member_a1}
    assert set(Notification.objects.filter(company=company).values_list("user", flat=True)) == {
        world.signatory_a1.pk,
        world.member_a1.pk,
    }

    with pytest.raises(services.PublishRefused, match="redan publicerad"):
        services.tax_payment_publish(company=company, user=world.admin_a, draft=draft)
    assert TaxPaymentSummary.objects.count() == 1 and ArchiveEntry.objects.count() == 1


def test_december_is_filed_in_december_when_the_12th_is_a_saturday(world):
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    draft = synced_draft(company, date(2026, 12, 1))  # upcoming rows: due 14 Dec
    assert draft.due_date == date(2026, 12, 14)
    assert "Moms november 2026" in [line.text for line in draft.lines]
    summary = services.tax_payment_publish(company=company, user=world.admin_a, draft=draft)
    assert summary.entry.folder_key == "2026/tax/12" and summary.case.due_date == date(2026, 12, 14)


def test_without_skatteverket_the_firm_enters_the_amounts_and_the_ocr_is_computed(world):
    assert synced_draft(world.a2, date(2026, 11, 1)) is None
    TaxProfile.objects.create(company=world.a2, vat_period=VatPeriod.QUARTERLY)
    with translation.override("sv"):
        draft = firm_draft(
            world.a2,
            date(2026, 11, 1),
            employer_contributions=Decimal("31420.00"),
            deducted_tax=Decimal("28000.00"),
            vat=Decimal("-12500.50"),
            preliminary_tax=Decimal("4000.00"),
        )
        summary = services.tax_payment_publish(company=world.a2, user=world.accountant_a, draft=draft)
        text = pdf_text(summary.entry)
    assert summary.amount == Decimal("50919.50") and summary.ocr == "1655902345628"
    assert summary.source == SummarySource.FIRM and summary.entry.folder_key == "2026/tax/11"
    for expected in ("50 919,50 kr", "1655902345628", "2026-11-12", "-12 500,50 kr", "oktober 2026"):
        assert expected in text, expected
    assert "juli 2026 - september 2026" in text  # the quarter whose VAT is due 12 November


def test_a_refund_month_says_so_and_opens_no_payment_case(world):
    draft = firm_draft(world.a2, date(2026, 11, 1), vat=Decimal("-9000"))
    with translation.override("sv"):
        summary = services.tax_payment_publish(company=world.a2, user=world.admin_a, draft=draft)
        text = pdf_text(summary.entry)
    assert summary.amount == Decimal("-9000") and summary.case is None
    assert "9 000,00 kr" in text and not Case.objects.filter(company=world.a2).exists()


@pytest.fixture
def books(world):
    ledger_import_sie(company=world.a1, stream=io.BytesIO(SIE.format(orgnr=world.a1.orgnr).encode("cp437")))
    return world.a1


def test_a_months_report_is_generated_from_the_ledger_and_filed_under_reports(world, books):
    with translation.override("sv"):
        publication, filed = services.report_publish(
            company=books, user=world.admin_a, month=date(2025, 3, 1)
        )
        text = pdf_text(publication.entry)
    assert filed and publication.entry.folder_key == "2025/reports/03"
    assert "Balansräkning" in text and "Resultaträkning" in text
    # March alone: 2 000 invoiced on (3590) and 150 interest (8310); the cash at the end 19 650 - 2 000.
    assert "Övriga fakturerade kostnader" in text and "2 000,00" in text and "150,00" in text

    again, filed_again = services.report_publish(company=books, user=world.admin_a, month=date(2025, 3, 10))
    assert not filed_again and again.entry == publication.entry
    assert ArchiveEntry.objects.filter(company=books, area="reports").count() == 1


def test_quarterly_filers_get_the_quarters_report_in_its_last_month(world, books):
    TaxProfile.objects.create(company=books, vat_period=VatPeriod.QUARTERLY)
    publication, _ = services.report_publish(company=books, user=world.admin_a, month=date(2025, 2, 1))
    assert publication.month == date(2025, 3, 1) and publication.entry.folder_key == "2025/reports/03"


def test_a_month_without_books_is_refused_and_nothing_filed(world, books):
    with pytest.raises(services.PublishRefused, match="räkenskapsår"):
        services.report_publish(company=books, user=world.admin_a, month=date(2024, 3, 1))
    assert not ArchiveEntry.objects.exists()


def test_a_month_nothing_is_synced_for_yet_has_no_lines_and_is_not_published_from_sync(client, world):
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    assert synced_draft(company, date(2027, 3, 1)).lines == ()  # beyond the upcoming rows
    client.force_login(world.admin_a)
    response = client.post(
        reverse("taxpayments:publish", args=[company.pk]), {"source": "synced", "month": "2027-03"}
    )
    assert response.status_code == 302 and not TaxPaymentSummary.objects.exists()
