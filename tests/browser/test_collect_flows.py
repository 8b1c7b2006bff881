"""Collect through the real consent flows in a browser, against the provider sandbox.

The accountant asks for an activation link on "Läs in data", the client opens it in a browser of
their own, presses "Ge behörighet", logs in to the provider (a byrå user with several companies),
picks the company, approves and lands on "Kopplingen är klar"; the accountant then sees the card
lit green. With an active Fortnox connection the accountant presses "Synka två senaste åren",
waits for it to finish and opens a voucher's invoice inline from the ledger."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from ledgerport.connectors.models import ActivationLink, Connection, ConnectionStatus, SyncRun, SyncStatus
from ledgerport.documents.models import VoucherDocument
from ledgerport.ledger.models import FiscalYear, RowKind, Voucher, VoucherRow
from ledgerport.tenancy.models import Company
from tests.browser.conftest import SCREENSHOTS
from tests.browser.login import log_in
from tests.connectors.sync_helpers import connect

GREEN = "rgb(31, 138, 76)"  # --ok in app.css: the lit status dot
SYNC_TIMEOUT = 40_000  # ms; the sandbox enforces the providers' real rate limits


@dataclass(frozen=True)
class Provider:
    name: str
    display_name: str
    login: tuple[str, str]  # a byrå user at the provider with access to several companies
    login_heading: str
    consent_heading: str
    approve_button: str
    company_name: str  # the client company as the provider names it
    orgnr: str


FORTNOX = Provider(
    name="fortnox",
    display_name="Fortnox",
    login=("byra@demo-redovisning.se", "fortnox-demo"),
    login_heading="Logga in i Fortnox",
    consent_heading="Aktivering",
    approve_button="Godkänn & aktivera",
    company_name="Exempelbolaget AB",
    orgnr="5560360793",
)
SPIRIS = Provider(
    name="spiris",
    display_name="Spiris",
    login=("konsult@demo-redovisning.se", "spiris-demo"),
    login_heading="Logga in på Spiris",
    consent_heading="Godkänn behörigheter",
    approve_button="Godkänn",
    company_name="Nordljus Konsult AB",
    orgnr="5591419816",
)


@pytest.fixture
def setup(providers_at_sandbox, world):
    """The tenancy world, providers at the test sandbox, OAuth coming back to the live server,
    and Celery running its tasks in the request that queues them (no worker process)."""
    return world


def open_collect_tab(page, company: Company) -> None:
    page.goto(f"/companies/{company.pk}/")
    page.get_by_role("link", name="Läs in data", exact=True).click()
    expect(page.get_by_role("link", name="Läs in data", exact=True)).to_have_attribute("aria-current", "page")
    # The buttons are htmx's: clicked before its deferred script has run, a sync form would post
    # as a plain page (the flake: the page left for …/sync/start/). The load event comes after.
    page.wait_for_load_state()


def client_company(world, provider: Provider) -> Company:
    if provider is FORTNOX:
        return world.a1  # Exempelbolaget's org number, under another name at the firm
    return Company.objects.create(firm=world.firm_a, name=provider.company_name, orgnr=provider.orgnr)


@pytest.mark.parametrize("provider", [FORTNOX, SPIRIS], ids=lambda p: p.name)
def test_activation_link_consent_with_company_picker_lights_the_card(
    browser, page, live_server, setup, sandbox, screenshot, provider
):
    world = setup
    company = client_company(world, provider)

    # The accountant: "Läs in data" → "Aktivera" on the provider's card → a link in the dialog.
    log_in(page, world.accountant_a.email)
    open_collect_tab(page, company)
    card = page.get_by_test_id(f"provider-{provider.name}")
    expect(card).to_have_attribute("data-status", "none")
    expect(card).to_contain_text("Inte kopplad")
    card.get_by_role("button", name="Aktivera").click()
    dialog = page.locator("#activation-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name=f"Koppla {provider.display_name}")).to_be_visible()
    link_url = page.get_by_test_id("activation-link").input_value()
    token = ActivationLink.objects.get(company=company, provider=provider.name).token
    assert link_url == f"{live_server.url}/connect/{token}/"
    screenshot(f"collect-{provider.name}-activation-dialog")

    # The client, in a browser of their own (not logged in to Ledgerport).
    client_context = browser.new_context(locale="sv-SE")
    try:
        customer = client_context.new_page()
        customer.set_default_timeout(15_000)
        customer.goto(link_url)
        expect(
            customer.get_by_role(
                "heading", name=f"Dela uppgifter i {provider.display_name} med din redovisningsbyrå"
            )
        ).to_be_visible()
        expect(customer.get_by_text(f"{world.firm_a.name} ber om läsbehörighet")).to_be_visible()
        with customer.expect_popup() as popup_info:
            customer.get_by_role("button", name="Ge behörighet").click()
        popup = popup_info.value
        popup.set_default_timeout(15_000)

        # The provider's own pages in the new window: login, company picker, consent.
        expect(popup.get_by_role("heading", name=provider.login_heading)).to_be_visible()
        assert popup.url.startswith(f"{sandbox.url}/{provider.name}/")
        popup.get_by_label("E-post").fill(provider.login[0])
        popup.get_by_label("Lösenord").fill(provider.login[1])
        popup.get_by_role("button", name="Logga in").click()
        expect(popup.get_by_role("heading", name="Välj företag")).to_be_visible()
        choices = popup.locator("button.company")
        assert choices.count() > 1, "a byrå user picks among several companies"
        popup.get_by_role("button", name=re.compile(re.escape(provider.company_name))).click()
        expect(popup.get_by_role("heading", name=provider.consent_heading)).to_be_visible()
        expect(popup.locator("main")).to_contain_text(provider.company_name)
        popup.get_by_role("button", name=provider.approve_button, exact=True).click()

        # Back at Ledgerport's callback.
        expect(popup.get_by_test_id("consent-done")).to_have_text("Kopplingen är klar")
        assert popup.url.startswith(f"{live_server.url}/connect/callback/{provider.name}/")
        expect(popup.locator("main")).to_contain_text(
            f"{company.name} är nu kopplat till {provider.display_name}"
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        popup.screenshot(path=str(SCREENSHOTS / f"collect-{provider.name}-consent-done.png"), full_page=True)
    finally:
        client_context.close()

    connection = Connection.objects.get(company=company, provider=provider.name)
    assert connection.status == ConnectionStatus.ACTIVE
    assert connection.consent_email == provider.login[0]
    assert connection.external_company_name == provider.company_name
    assert "".join(ch for ch in connection.external_orgnr if ch.isdigit()) == provider.orgnr

    # The accountant reloads "Läs in data": the card is lit green and names the company.
    page.reload()
    card = page.get_by_test_id(f"provider-{provider.name}")
    expect(card).to_have_attribute("data-status", "active")
    expect(card.locator(".status-text")).to_contain_text("Aktiv")
    expect(card.locator(".status-text")).to_contain_text(provider.company_name)
    dot = card.locator(".status-dot")
    assert dot.evaluate("el => getComputedStyle(el).backgroundColor") == GREEN
    expect(card.get_by_role("button", name="Synka två senaste åren")).to_be_visible()
    screenshot(f"collect-{provider.name}-active")


def test_sync_two_latest_years_then_open_a_vouchers_invoice_inline(
    page, live_server, setup, sandbox, screenshot
):
    world = setup
    company = world.a1
    # Scaled down so the sync takes seconds under Fortnox's real limit of 25 requests per 5 s.
    sandbox.seed_company("556036-0793", vouchers=24, files=6)
    connect(sandbox, company, "fortnox")

    log_in(page, world.accountant_a.email)
    open_collect_tab(page, company)
    card = page.get_by_test_id("provider-fortnox")
    expect(card).to_have_attribute("data-status", "active")
    card.get_by_role("button", name="Synka två senaste åren").click()
    done = card.get_by_test_id("sync-done")
    expect(done).to_be_visible(timeout=SYNC_TIMEOUT)
    expect(card.get_by_test_id("sync-run")).to_have_attribute("data-status", "succeeded")

    run = SyncRun.objects.get(connection__company=company)
    assert run.status == SyncStatus.SUCCEEDED, run.log
    years = list(FiscalYear.objects.filter(company=company).order_by("start"))
    assert len(years) == 2 and {year.source for year in years} == {"fortnox"}
    links = VoucherDocument.objects.filter(fiscal_year__company=company).select_related("document")
    documents = {link.document_id for link in links}
    assert documents, run.log
    expect(done).to_have_text(f"Synkade 2 räkenskapsår och {run.progress['documents'][1]} dokument.")
    screenshot("collect-fortnox-synced")

    # Vouchers with an invoice, found the way the accountant would: Bokföring → the year's
    # Huvudbok → one of the voucher's accounts → the voucher; one PDF and one image if synced.
    by_kind: dict[str, VoucherDocument] = {}
    for link in sorted(links, key=lambda link: (link.fiscal_year.start, link.series, link.number)):
        kind = "pdf" if link.document.content_type == "application/pdf" else "image"
        if link.document.is_inline_viewable:
            by_kind.setdefault(kind, link)
    assert "pdf" in by_kind, [link.document.content_type for link in links]
    for kind, link in sorted(by_kind.items()):
        voucher = Voucher.objects.get(fiscal_year=link.fiscal_year, series=link.series, number=link.number)
        open_voucher_from_the_ledger(page, voucher)
        see_document_inline(page, company, link.document)
        screenshot(f"ledger-voucher-document-{kind}")


def open_voucher_from_the_ledger(page, voucher: Voucher) -> None:
    row = VoucherRow.objects.filter(voucher=voucher, kind=RowKind.TRANS).select_related("account").first()
    page.get_by_role("link", name="Bokföring", exact=True).click()
    expect(page.get_by_test_id("loaded-year")).to_have_count(2)
    year_cell = page.get_by_role("cell", name=str(voucher.fiscal_year), exact=True)
    year_row = page.get_by_test_id("loaded-year").filter(has=year_cell)
    expect(year_row).to_contain_text("Fortnox")
    year_row.get_by_role("link", name="Huvudbok").click()
    page.get_by_role("link", name=row.account.number, exact=True).click()
    expect(page.get_by_test_id("account-title")).to_contain_text(row.account.number)
    page.get_by_test_id("ledger-row").get_by_role("link", name=str(voucher), exact=True).first.click()
    expect(page.get_by_test_id("voucher-title")).to_have_text(f"Verifikation {voucher}")


def see_document_inline(page, company: Company, document) -> None:
    """The document is embedded in the voucher page (not a download link only), and what the
    page shows is the provider's file byte for byte, served inline with its type."""
    src = f"/companies/{company.pk}/documents/{document.pk}/content/"
    element = page.locator(f"[data-testid=voucher-document][src='{src}']")
    expect(element).to_be_visible()
    if document.content_type == "application/pdf":
        assert element.evaluate("el => el.tagName.toLowerCase()") == "iframe"
        frame = element.element_handle().content_frame()
        assert frame is not None
        # The frame starts as about:blank: wait for it to have loaded the document (not a sleep).
        frame.wait_for_url(re.compile(re.escape(src) + "$"))
        frame.wait_for_load_state()
    else:
        assert element.evaluate("el => el.tagName.toLowerCase()") == "img"
        page.wait_for_function("el => el.complete", arg=element.element_handle())
        assert element.evaluate("el => el.naturalWidth > 0"), "the image did not render"
    served = page.evaluate(
        """async (src) => {
            const response = await fetch(src);
            const bytes = new Uint8Array(await response.arrayBuffer());
            const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
            return {
                status: response.status,
                type: response.headers.get("content-type"),
                disposition: response.headers.get("content-disposition") || "",
                sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
            };
        }""",
        src,
    )
    assert served["status"] == 200
    assert served["type"] == document.content_type
    assert not served["disposition"].startswith("attachment")
    assert served["sha256"] == document.sha256
    with document.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
