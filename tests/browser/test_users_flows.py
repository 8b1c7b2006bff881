"""The company's users in a real browser, at desktop width and at 390 px: the firm invites a
client without personnummer (mail through a real SMTP server → link → password → one-time code
app → logged in to the portal), a BankID invitee accepts with the sandbox's test app, and a
person in two companies switches between them."""

from __future__ import annotations

from base64 import b32decode
from urllib.parse import parse_qs, urlsplit

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from ledgerport.tenancy.models import CompanyMembership
from ledgerport.tenancy.roles import CompanyRole
from tests.browser.conftest import PHONE, SCREENSHOTS, VIEWPORTS, watch_csp
from tests.browser.layout import no_sideways_scroll
from tests.browser.login import log_in
from tests.factories import build_world


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.fixture
def person_page(open_page):
    """Opens a page per person at a width (touch at 390 px); no CSP violation on any page."""
    violations: list[str] = []

    def open_(viewport: dict[str, int]) -> Page:
        page = open_page(viewport, touch=viewport == PHONE)
        watch_csp(violations, page)
        return page

    yield open_
    assert violations == []


def invite(page: Page, company_id: int, email: str, name: str, personnummer: str = "") -> None:
    page.goto(f"/companies/{company_id}/users/")
    form = page.get_by_test_id("invite-form")
    form.get_by_label("E-post", exact=True).fill(email)
    form.get_by_label("Namn", exact=True).fill(name)
    form.get_by_label("Roll", exact=True).select_option("signatory")
    if personnummer:
        form.get_by_label("Har ett: loggar in med BankID").check()
        form.get_by_label("Personnummer", exact=True).fill(personnummer)
    else:
        form.get_by_label("Har inget: e-post, lösenord och engångskod").check()
    form.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text(f"Inbjudan skickad till {email}.")).to_be_visible()
    expect(page.get_by_test_id("invitation-row")).to_contain_text(email)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_firm_invites_a_client_without_personnummer_who_enrols_a_one_time_code(
    world, person_page, smtp_inbox, eager_tasks, viewport
):
    firm = person_page(VIEWPORTS[0].values[0])
    log_in(firm, world.accountant_a.email)
    invite(firm, world.a1.pk, "nina@klient-ett.se", "Nina Ny")

    [mail] = smtp_inbox.wait(1)
    assert mail["To"] == "nina@klient-ett.se"
    link = smtp_inbox.link(mail)
    client = person_page(viewport)
    client.goto(link)
    expect(client.get_by_role("heading", name="Inbjudan")).to_be_visible()
    client.get_by_label("Välj ett lösenord").fill("lagom-langt-losenord-42")
    client.get_by_label("Upprepa lösenordet").fill("lagom-langt-losenord-42")
    client.get_by_role("button", name="Fortsätt").click()
    expect(client.get_by_role("heading", name="Ställ in din engångskod")).to_be_visible()
    assert client.get_by_test_id("totp-qr").locator("svg").is_visible()
    no_sideways_scroll(client)
    width = "390px" if viewport == PHONE else "desktop"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    client.screenshot(path=str(SCREENSHOTS / f"invitation-totp-{width}.png"), full_page=True)
    firm.screenshot(path=str(SCREENSHOTS / "users-page-desktop.png"), full_page=True)
    secret = client.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))  # as the person's authenticator app reads it
    client.get_by_label("Engångskod").fill(f"{totp(key):06d}")
    client.get_by_role("button", name="Bekräfta och logga in").click()
    expect(client.get_by_test_id("current-user")).to_have_text("Nina Ny")
    expect(client.get_by_test_id("company-name")).to_have_text("Alfa Klient Ett AB")
    no_sideways_scroll(client)
    # The link was single-use.
    client.goto(link)
    expect(client.get_by_test_id("invitation-problem")).to_contain_text("redan antagits")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_bankid_invitee_accepts_with_the_test_app(
    world, person_page, smtp_inbox, eager_tasks, sandbox, settings, browser, viewport
):
    settings.BANKID_API_URL = f"{sandbox.url}/bankid/rp/v6.0"
    firm = person_page(VIEWPORTS[0].values[0])
    log_in(firm, world.admin_a.email)
    invite(firm, world.a2.pk, "agda@klient-tva.se", "Agda Testsson", personnummer="19850101-2382")
    link = smtp_inbox.link(smtp_inbox.wait(1)[0])

    client = person_page(viewport)
    client.goto(link)
    client.get_by_role("button", name="Tacka ja med BankID").click()
    expect(client.get_by_role("heading", name="Legitimera dig med BankID")).to_be_visible()
    expect(client.get_by_test_id("bankid-message")).to_contain_text("Starta BankID-appen")
    href = client.get_by_role("link", name="Öppna BankID på den här enheten").get_attribute("href")
    app_context = browser.new_context(locale="sv-SE", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        app = app_context.new_page()
        app.goto(
            f"{sandbox.url}/bankid/app?autostarttoken={parse_qs(urlsplit(href).query)['autostarttoken'][0]}"
        )
        app.get_by_role("button", name="Agda Testsson").click()
        expect(client.get_by_test_id("bankid-message")).to_contain_text("Skriv in din säkerhetskod")
        app.get_by_role("button", name="Identifiera").click()
        expect(client.get_by_test_id("current-user")).to_have_text("Agda Testsson")
        expect(client.get_by_test_id("company-name")).to_have_text("Alfa Klient Två AB")
    finally:
        app_context.close()
    assert (
        CompanyMembership.objects.get(company=world.a2, user__email="agda@klient-tva.se").role == "signatory"
    )
    no_sideways_scroll(client)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_person_in_two_companies_switches_between_them(world, person_page, viewport):
    CompanyMembership.objects.create(company=world.a2, user=world.member_a1, role=CompanyRole.MEMBER)
    page = person_page(viewport)
    log_in(page, world.member_a1.email)
    companies = page.get_by_test_id("client-companies")
    companies.get_by_role("button", name="Alfa Klient Två AB").click()
    expect(page.get_by_test_id("company-name")).to_have_text("Alfa Klient Två AB")
    switcher = page.get_by_test_id("company-switcher")
    switcher.locator("summary").click()
    switcher.get_by_role("button", name="Alfa Klient Ett AB").click()
    expect(page.get_by_test_id("company-name")).to_have_text("Alfa Klient Ett AB")
    no_sideways_scroll(page)
    page.get_by_test_id("company-switcher").locator("summary").click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"company-switcher-{'390px' if viewport == PHONE else 'desktop'}.png")
    )
    # The choice is kept: the home page opens the current company.
    page.goto("/")
    expect(page.get_by_test_id("company-name")).to_have_text("Alfa Klient Ett AB")
    expect(page.get_by_test_id("company-switcher").locator("summary")).to_have_text("Alfa Klient Ett AB")
