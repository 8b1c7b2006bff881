"""Payroll attestation in a real browser, at desktop width and at 390 px: the firm sends a run
for attestation, the client (Tolvan, logged in with BankID) signs it with BankID in the
sandbox's test app, the firm sees the signature and files the final payslips, which land
under Dokument › 2026 › Löner › 08. Augusti (the month of payout, not the month worked)."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from ledgerport.cases.models import CaseSignature
from ledgerport.demo.seed import BANKID_USER, DEMO_PASSWORD, FIRM_USER, seed_demo
from ledgerport.payroll.models import PayrollRun
from ledgerport.tenancy.models import Company
from tests.browser.conftest import PHONE, SCREENSHOTS, VIEWPORTS, watch_csp
from tests.browser.layout import no_sideways_scroll
from tests.browser.login import log_in


def pdf(name: str, text: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": f"%PDF-1.4 {text}".encode()}


@pytest.fixture
def demo(transactional_db, settings, sandbox, tmp_path):
    settings.BANKID_API_URL = f"{sandbox.url}/bankid/rp/v6.0"
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    return Company.objects.get(name="Exempelbolaget AB")


@pytest.fixture
def pages(open_page, request):
    """The firm's page, the client's page and the sandbox's BankID test app ("the phone")."""
    viewport = request.param
    phone = viewport == PHONE
    firm, client = (open_page(viewport, touch=phone) for _ in range(2))
    app = open_page(PHONE, touch=True, app=True)
    violations = watch_csp([], firm, client)
    yield firm, client, app, "390px" if phone else "desktop"
    assert violations == []


def bankid_in_app(page: Page, app: Page, sandbox, button: str) -> None:
    """Open the order on "this device" and answer it as Tolvan with `button`."""
    href = page.get_by_role("link", name="Öppna BankID på den här enheten").get_attribute("href")
    token = parse_qs(urlsplit(href).query)["autostarttoken"][0]
    app.goto(f"{sandbox.url}/bankid/app?autostarttoken={token}")
    app.get_by_role("button", name="Tolvan Tolvansson").click()
    app.get_by_role("button", name=button).click()


@pytest.mark.parametrize("pages", VIEWPORTS, indirect=True)
def test_payroll_attested_with_bankid_and_filed_under_the_month_of_payout(demo, sandbox, pages):
    firm, client, app, width = pages
    company = demo

    # The firm sends July's payroll, paid out on 25 August, for attestation.
    log_in(firm, FIRM_USER, DEMO_PASSWORD)
    firm.goto(f"/companies/{company.pk}/payroll/")
    firm.get_by_label("Arbetad månad").fill("2026-07")
    firm.get_by_label("Utbetalningsdag").fill("2026-08-25")
    firm.get_by_label("Preliminära lönebesked (PDF)").set_input_files(
        [pdf("lonebesked-juli.pdf", "prel 1"), pdf("lonebesked-juli-2.pdf", "prel 2")]
    )
    firm.get_by_label("Utbetalningslista (PDF)").set_input_files([pdf("utbetalningslista.pdf", "list")])
    firm.get_by_role("button", name="Skicka för attest").click()
    expect(firm.get_by_role("heading", name="Attest lönekörning juli 2026")).to_be_visible()
    run = PayrollRun.objects.get(company=company, period=date(2026, 7, 1))  # the demo has its own run too
    no_sideways_scroll(firm)

    # The client logs in with BankID and opens the case (the link of the e-mail).
    client.goto("/")
    client.get_by_role("button", name="Logga in med BankID").click()
    bankid_in_app(client, app, sandbox, "Identifiera")
    expect(client.get_by_test_id("current-user")).to_have_text("Tolvan Tolvansson")
    client.goto(f"/companies/{company.pk}/cases/{run.case_id}/approval/")
    expect(client.get_by_role("heading", name="Attest lönekörning juli 2026")).to_be_visible()
    expect(client.get_by_test_id("approval-file")).to_have_count(3)
    no_sideways_scroll(client)
    client.get_by_role("button", name="Attestera med BankID").click()
    expect(client.get_by_role("heading", name="Skriv under med BankID")).to_be_visible()
    expect(client.get_by_test_id("signed-text")).to_contain_text("Exempelbolaget AB")
    expect(client.get_by_test_id("signed-text")).to_contain_text("SHA-256")
    no_sideways_scroll(client)
    bankid_in_app(client, app, sandbox, "Skriv under")
    expect(client.get_by_text("Underskrivet med BankID och attesterat.")).to_be_visible()
    expect(client.get_by_test_id("signature-state")).to_have_text("Stämmer med filerna")
    expect(client.get_by_role("button", name="Attestera med BankID")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    client.screenshot(path=str(SCREENSHOTS / f"payroll-signed-{width}.png"), full_page=True)
    no_sideways_scroll(client)

    # The firm sees who signed, and after payout files the final payslips and the bank list.
    firm.reload()
    expect(firm.get_by_test_id("signature")).to_contain_text("Tolvan Tolvansson")
    expect(firm.get_by_test_id("signature-state")).to_have_text("Stämmer med filerna")
    firm.get_by_label("Slutliga lönebesked och banklista (PDF)").set_input_files(
        [pdf("lonebesked-augusti.pdf", "final"), pdf("banklista.pdf", "bank")]
    )
    firm.get_by_role("button", name="Arkivera och avsluta").click()
    expect(firm.get_by_text("Den slutliga lönekörningen arkiverades och ärendet avslutades.")).to_be_visible()
    no_sideways_scroll(firm)

    # The client finds them under Dokument › 2026 › Löner › 08. Augusti.
    client.goto(f"/companies/{company.pk}/archive/2026/payroll/08/")
    expect(client.get_by_text("08. Augusti").first).to_be_visible()
    expect(client.get_by_text("lonebesked-augusti.pdf")).to_be_visible()
    expect(client.get_by_text("banklista.pdf")).to_be_visible()
    no_sideways_scroll(client)
    run.refresh_from_db()
    assert run.folder == "2026/payroll/08" and run.status == "done"
    [signature] = CaseSignature.objects.filter(case_id=run.case_id)
    assert signature.user.email == BANKID_USER and len(signature.file_hashes) == 3
