"""Client login in a real browser: BankID via the sandbox's test app (the animated QR code and
"Öppna BankID på den här enheten"), e-mail + one-time code for a user without personnummer, and
e-mail login refused for one with a personnummer. At desktop width and at 390 px."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from ledgerport.demo.seed import BANKID_USER, CLIENT_USER, DEMO_PASSWORD, seed_demo
from ledgerport.identity.models import User
from tests.browser.conftest import PHONE, SCREENSHOTS, VIEWPORTS, watch_csp
from tests.browser.layout import no_sideways_scroll
from tests.browser.login import log_in


@pytest.fixture
def demo(transactional_db, settings, sandbox):
    settings.BANKID_API_URL = f"{sandbox.url}/bankid/rp/v6.0"
    return seed_demo()


@pytest.fixture
def pages(open_page, request):
    """The product's page and the sandbox's test app ("the phone"), at the given width."""
    viewport = request.param
    phone = viewport == PHONE
    product = open_page(viewport, touch=phone)
    bankid_app = open_page(PHONE, touch=True, app=True)
    # The waiting page polls and redraws with htmx only: no inline script, nothing the CSP blocks.
    violations = watch_csp([], product)
    yield product, bankid_app, "desktop" if not phone else "390px"
    assert violations == []


def start_bankid(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Logga in med BankID").click()
    expect(page.get_by_role("heading", name="Logga in med BankID")).to_be_visible()
    expect(page.get_by_test_id("bankid-message")).to_contain_text("Starta BankID-appen")


def approve_as_tolvan(page: Page, app: Page) -> None:
    app.get_by_role("button", name="Tolvan Tolvansson").click()
    expect(page.get_by_test_id("bankid-message")).to_contain_text("Skriv in din säkerhetskod i BankID-appen")
    app.get_by_role("button", name="Identifiera").click()
    expect(page.get_by_test_id("current-user")).to_have_text("Tolvan Tolvansson")
    expect(page.get_by_test_id("company-name")).to_have_text("Exempelbolaget AB")


@pytest.mark.parametrize("pages", VIEWPORTS, indirect=True)
def test_bankid_login_by_scanning_the_animated_qr_code(demo, sandbox, pages):
    page, app, width = pages
    start_bankid(page)
    qr = page.get_by_test_id("bankid-qr")
    first = qr.get_attribute("data-qr")
    # The code changes every second (the seconds and their HMAC), drawn on the server.
    expect(qr).not_to_have_attribute("data-qr", first, timeout=5_000)
    assert qr.locator("svg").is_visible()
    no_sideways_scroll(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"bankid-qr-{width}.png"), full_page=True)
    app.goto(f"{sandbox.url}/bankid/app")
    app.get_by_label("QR-kodens innehåll").fill(qr.get_attribute("data-qr"))
    app.get_by_role("button", name="Läs av QR-kod").click()
    expect(page.get_by_test_id("bankid-message")).to_contain_text("Söker efter BankID")
    approve_as_tolvan(page, app)


@pytest.mark.parametrize("pages", VIEWPORTS, indirect=True)
def test_bankid_login_on_this_device(demo, sandbox, pages):
    page, app, _ = pages
    start_bankid(page)
    link = page.get_by_role("link", name="Öppna BankID på den här enheten")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href.startswith("bankid:///?")
    query = parse_qs(urlsplit(href).query)
    assert query["redirect"] == ["null"]
    # The operating system hands the link's token to the BankID app.
    app.goto(f"{sandbox.url}/bankid/app?autostarttoken={query['autostarttoken'][0]}")
    expect(page.get_by_test_id("bankid-message")).to_contain_text("Söker efter BankID")
    approve_as_tolvan(page, app)


@pytest.mark.parametrize("pages", VIEWPORTS, indirect=True)
def test_bankid_cancelled_in_the_app_and_on_the_page(demo, sandbox, pages):
    page, app, _ = pages
    start_bankid(page)
    app.goto(f"{sandbox.url}/bankid/app")
    app.get_by_role("link", name="Välj").click()
    app.get_by_role("button", name="Avbryt").click()
    expect(page.get_by_role("alert")).to_have_text("Åtgärden avbruten.")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Försök igen").click()
    expect(page.get_by_test_id("bankid-message")).to_contain_text("Starta BankID-appen")
    page.get_by_role("button", name="Avbryt").click()
    expect(page.get_by_text("Inloggningen med BankID avbröts.")).to_be_visible()
    assert sandbox.client.get("/_control/bankid/orders").json()["orders"][-1]["hintCode"] == "userCancel"


@pytest.mark.parametrize("pages", VIEWPORTS, indirect=True)
def test_email_login_with_one_time_code_and_refused_for_a_personnummer(demo, pages):
    page, _, _ = pages
    log_in(page, CLIENT_USER, DEMO_PASSWORD)  # password, then the TOTP code
    expect(page.get_by_test_id("current-user")).to_have_text("Karin Kund")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Logga ut").click()
    tolvan = User.objects.get(email=BANKID_USER)
    tolvan.set_password(DEMO_PASSWORD)
    tolvan.save()
    page.get_by_label("E-post").fill(BANKID_USER)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Du har ett svenskt personnummer: logga in med BankID.")
    expect(page.get_by_test_id("current-user")).to_have_count(0)
