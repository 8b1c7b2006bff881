"""The foundation's flows clicked through in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ledgerport.demo.seed import CLIENT_USER, DEMO_PASSWORD, FIRM_USER, seed_demo
from tests.browser.conftest import SCREENSHOTS
from tests.browser.login import log_in


@pytest.fixture
def demo(transactional_db):
    return seed_demo()


def test_firm_user_sees_three_clients_searches_and_opens_one(page, demo, screenshot):
    log_in(page, FIRM_USER, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Klienter")).to_be_visible()
    expect(page.get_by_test_id("company-row")).to_have_count(3)
    screenshot("client-list")

    page.get_by_label("Sök på namn eller organisationsnummer").fill("923 609")
    expect(page.get_by_test_id("company-row")).to_have_count(1)
    expect(page.get_by_test_id("company-row")).to_contain_text("Fjordlys Rådgivning AS")

    page.get_by_label("Sök på namn eller organisationsnummer").fill("")
    expect(page.get_by_test_id("company-row")).to_have_count(3)
    page.get_by_role("link", name="Exempelbolaget AB").click()
    expect(page.get_by_test_id("company-name")).to_have_text("Exempelbolaget AB")
    for tab in ("Översikt", "Läs in data", "Bokföring", "Analyser", "Dokument"):
        expect(page.get_by_role("link", name=tab, exact=True)).to_be_visible()
    # The demo's open cases are counted on their tab ("Ärenden 4").
    expect(page.get_by_role("link", name=re.compile(r"^Ärenden( \d+)?$"))).to_be_visible()
    page.get_by_role("link", name="Läs in data").click()
    expect(page.get_by_role("link", name="Läs in data")).to_have_attribute("aria-current", "page")


def test_client_user_lands_on_their_only_company(page, demo):
    log_in(page, CLIENT_USER, DEMO_PASSWORD)
    expect(page.get_by_test_id("company-name")).to_have_text("Exempelbolaget AB")
    expect(page.get_by_role("link", name="Läs in data")).to_have_count(0)
    page.goto("/companies/")
    expect(page.get_by_test_id("company-row")).to_have_count(1)


def test_language_switch_to_english_and_norwegian_and_back(page, demo):
    log_in(page, FIRM_USER, DEMO_PASSWORD)
    page.get_by_role("link", name="Exempelbolaget AB").click()
    page.get_by_label("Språk").select_option("en")
    expect(page.get_by_role("link", name="Load data")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("nb")
    expect(page.get_by_role("link", name="Last inn data")).to_be_visible()
    page.get_by_label("Språk").select_option("sv")
    expect(page.get_by_role("link", name="Läs in data")).to_be_visible()


def test_wrong_password_then_logout(page, demo):
    page.goto("/")
    page.get_by_label("E-post").fill(FIRM_USER)
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Fel e-postadress eller lösenord")
    log_in(page, FIRM_USER, DEMO_PASSWORD)
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in", exact=True)).to_be_visible()


@pytest.mark.parametrize("email", [FIRM_USER, CLIENT_USER])
def test_layout_at_390px_has_no_horizontal_scroll(browser, live_server, demo, email):
    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    log_in(page, email, DEMO_PASSWORD)
    if email == FIRM_USER:
        expect(page.get_by_test_id("company-row")).to_have_count(3)
        page.get_by_role("link", name="Exempelbolaget AB").click()
    expect(page.get_by_test_id("company-name")).to_be_visible()
    for path in (page.url, live_server.url + "/companies/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
    # Tabs stay reachable: the strip scrolls on its own instead of the page.
    page.goto(live_server.url + "/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"mobile-{email.split('@')[0]}.png"), full_page=True)
    context.close()
