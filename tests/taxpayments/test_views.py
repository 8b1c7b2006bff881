"""The firm's page: the month's facts, publishing from synced data or entered amounts, reports."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from ledgerport.documents.models import ArchiveEntry
from ledgerport.ledger.services import ledger_import_sie
from ledgerport.taxpayments.models import TaxPaymentSummary
from tests.analysis.tax_world import demo_company
from tests.analysis.test_key_figures import SIE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page(client, company, month=""):
    return client.get(reverse("taxpayments:page", args=[company.pk]) + (f"?month={month}" if month else ""))


def test_the_page_shows_the_due_date_and_ocr_and_publishes_the_synced_month(client, world):
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    client.force_login(world.accountant_a)
    html = page(client, company, "2026-11").content.decode()
    assert 'data-testid="due-date">2026-11-12<' in html and 'data-testid="ocr">1655603607938<' in html
    assert "Moms oktober 2026" in html and "168 131,87" in html.replace("\xa0", " ")
    response = client.post(
        reverse("taxpayments:publish", args=[company.pk]),
        {"source": "synced", "month": "2026-11"},
        follow=True,
    )
    assert response.status_code == 200 and "Skatteverket" in response.content.decode()
    summary = TaxPaymentSummary.objects.get(company=company)
    assert summary.entry.folder_key == "2026/tax/11" and str(summary.amount) == "168131.87"
    assert 'data-testid="already-published"' in page(client, company, "2026-11").content.decode()


def test_entered_amounts_are_checked_and_published(client, world):
    client.force_login(world.admin_a)
    url = reverse("taxpayments:publish", args=[world.a2.pk])
    refused = client.post(url, {"source": "firm", "month": "2026-13"})
    assert refused.status_code == 400 and not TaxPaymentSummary.objects.exists()
    refused = client.post(url, {"source": "firm", "month": "2026-11"})
    assert refused.status_code == 400 and "minst ett belopp" in refused.content.decode()
    refused = client.post(url, {"source": "firm", "month": "2026-11", "vat": "12,345"})
    assert refused.status_code == 400
    done = client.post(
        url, {"source": "firm", "month": "2026-11", "vat": "-1 200,50", "deducted_tax": "5000"}
    )
    assert done.status_code == 302
    summary = TaxPaymentSummary.objects.get(company=world.a2)
    assert str(summary.amount) == "3799.50" and summary.ocr == "1655902345628"
    assert summary.due_date == date(2026, 11, 12) and summary.entry.folder_key == "2026/tax/11"


def test_synced_publishing_without_a_tax_account_is_refused(client, world):
    client.force_login(world.admin_a)
    response = client.post(
        reverse("taxpayments:publish", args=[world.a2.pk]), {"source": "synced", "month": "2026-11"}
    )
    assert response.status_code == 302 and not TaxPaymentSummary.objects.exists()


@time_machine.travel("2026-11-13 10:00:00+00:00", tick=False)
def test_the_default_month_is_the_next_once_this_months_payment_is_due(client, world):
    client.force_login(world.admin_a)
    assert 'data-testid="due-date">2026-12-14<' in page(client, world.a2).content.decode()
    assert 'data-testid="due-date">2026-12-14<' in page(client, world.a2, "2026-13").content.decode()


def test_a_report_is_published_with_one_click_and_once(client, world):
    ledger_import_sie(company=world.a1, stream=io.BytesIO(SIE.format(orgnr=world.a1.orgnr).encode("cp437")))
    client.force_login(world.accountant_a)
    url = reverse("taxpayments:report_publish", args=[world.a1.pk])
    for _ in range(2):
        assert client.post(url, {"month": "2025-04"}).status_code == 302
    assert ArchiveEntry.objects.filter(company=world.a1, area="reports").count() == 1
    assert client.post(url, {"month": "2019-04"}).status_code == 302  # no books: a message, nothing filed
    assert client.post(url, {"month": "x"}).status_code == 302
    assert ArchiveEntry.objects.filter(company=world.a1).count() == 1


def test_client_users_reach_neither_the_page_nor_the_actions(client, world):
    client.force_login(world.signatory_a1)
    assert page(client, world.a1).status_code == 404
    assert (
        client.post(
            reverse("taxpayments:report_publish", args=[world.a1.pk]), {"month": "2025-04"}
        ).status_code
        == 404
    )


def test_a_norwegian_company_gets_reports_but_no_swedish_tax_payment(client, world):
    from ledgerport.tenancy.models import Country
    from ledgerport.tenancy.services import company_create

    fjordlys = company_create(
        firm=world.firm_a, name="Fjordlys Rådgivning AS", orgnr="923609016", country=Country.NO
    )
    client.force_login(world.admin_a)
    html = page(client, fjordlys, "2026-11").content.decode()
    assert 'data-testid="not-swedish"' in html and 'data-testid="ocr"' not in html
    assert 'data-testid="report-form"' in html
    response = client.post(
        reverse("taxpayments:publish", args=[fjordlys.pk]),
        {"source": "firm", "month": "2026-11", "vat": "100"},
    )
    assert response.status_code == 302 and not TaxPaymentSummary.objects.exists()
