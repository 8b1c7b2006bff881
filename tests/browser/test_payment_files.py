"""A payment file in the browser, at desktop width and at 390 px: the firm uploads a pain.001
file (a malformed one is refused naming the element), the client reads the summary with the
file's total and marks it "Godkänd i banken", and the firm sees who and when."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ledgerport.payments.models import PaymentFile
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in
from tests.factories import build_world
from tests.payfiles.builder import realistic

NBSP = "\u00a0"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def choose(page, name: str, content: bytes) -> None:
    page.get_by_label("Betalfil (ISO 20022 pain.001.001.03)").set_input_files(
        {"name": name, "mimeType": "text/xml", "buffer": content}
    )
    page.get_by_role("button", name="Ladda upp och be om godkännande").click()


def test_upload_summary_and_approval(world, new_page):
    company = world.a1
    firm = new_page()
    log_in(firm, "konsult@alfa.se", start=f"/companies/{company.pk}/payment-files/")
    expect(firm.get_by_role("heading", name="Betalfiler")).to_be_visible()

    choose(firm, "fel.xml", realistic().replace(b"50501055", b"50501056"))
    expect(
        firm.get_by_text("/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[1]/CdtrAcct/Id/Othr/Id")
    ).to_be_visible()
    expect(firm.get_by_text("Inga betalfiler ännu.")).to_be_visible()
    assert not PaymentFile.objects.exists()

    choose(firm, "betalfil-mars.xml", realistic())
    expect(firm.get_by_test_id("payment-total")).to_have_text(f"Summa: 93{NBSP}013,15 SEK")
    expect(firm.get_by_test_id("approve-payment-file")).to_have_count(0)
    payment_file = PaymentFile.objects.get(company=company)
    detail = f"/companies/{company.pk}/payment-files/{payment_file.pk}/"

    client = new_page()
    log_in(client, "vd@klient-ett.se", start=detail)
    expect(client.get_by_test_id("payment-total")).to_have_text(f"Summa: 93{NBSP}013,15 SEK")
    rows = client.get_by_test_id("payment-row")
    expect(rows).to_have_count(8)
    first = rows.first
    for text in ("Skatteverket", "5050-1055", "1655603607938", "2026-03-12", f"48{NBSP}215,00"):
        expect(first).to_contain_text(text)
    expect(rows.nth(3)).to_contain_text("Faktura 2026-118")
    expect(rows.nth(7)).to_contain_text("DE89 3704 0044 0532 0130 00")
    assert client.evaluate(SIDEWAYS) == []
    client.get_by_test_id("approve-payment-file").click()
    expect(client.get_by_text("Markerad som godkänd i banken.")).to_be_visible()
    expect(client.get_by_test_id("payment-status")).to_contain_text("Godkänd i banken")
    expect(client.get_by_test_id("approve-payment-file")).to_have_count(0)
    assert client.evaluate(SIDEWAYS) == []

    firm.goto(detail)
    signatory = world.signatory_a1
    expect(firm.get_by_test_id("payment-status")).to_contain_text(
        re.compile(rf"Godkänd i banken\s+av {re.escape(signatory.full_name or signatory.email)}, 20\d\d-")
    )
    firm.goto(f"/companies/{company.pk}/payment-files/")
    expect(firm.get_by_test_id("payment-file-row")).to_contain_text("Godkänd i banken")
