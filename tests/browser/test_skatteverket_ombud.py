"""The appointment as ombud in a browser, end to end against the sandbox (seed 000).

The accountant presses "Aktivera" under Skatteverket and copies the link; the company's
signatory opens it, reads what is fetched, presses "Ge behörighet"; Skatteverket's e-service
opens in a new window: a BankID-style login, everything pre-filled, "Nästa", "Skriv under &
skicka in". Back on the link's page "Jag har skrivit under" verifies the grant and the card is
green. The grant removed at Skatteverket turns it red at the next check."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ledgerport.connectors.models import Connection, ConnectionStatus
from tests.browser.login import log_in
from tests.browser.test_collect_flows import open_collect_tab
from tests.factories import build_world

GREEN = "rgb(31, 138, 76)"


@pytest.fixture
def setup(transactional_db, settings, live_server, providers_at_sandbox):
    settings.PUBLIC_URL = live_server.url
    return build_world()


def test_appointment_as_ombud_lights_the_card_and_a_removed_grant_turns_it_red(
    browser, page, live_server, setup, sandbox, screenshot
):
    world = setup
    company = world.a1  # 556036-0793

    log_in(page, world.accountant_a.email)
    open_collect_tab(page, company)
    card = page.get_by_test_id("provider-skatteverket")
    expect(card).to_have_attribute("data-status", "none")
    card.get_by_role("button", name="Aktivera").click()
    expect(page.locator("#activation-dialog")).to_be_visible()
    link_url = page.get_by_test_id("activation-link").input_value()
    assert link_url.startswith(f"{live_server.url}/connect/")

    signatory = browser.new_context(locale="sv-SE")
    try:
        customer = signatory.new_page()
        customer.set_default_timeout(15_000)
        customer.goto(link_url)
        main = customer.locator("main")
        expect(main).to_contain_text("Skattekontots transaktioner")
        expect(main).to_contain_text("firmatecknare")
        expect(main).to_contain_text("Skattekonto, bara läsbehörighet")
        expect(main).to_contain_text("Registerombud arbetsgivardeklaration")

        # Not signed yet: the check says so and nothing changes.
        customer.get_by_test_id("verify").click()
        expect(customer.get_by_test_id("verify-error")).to_contain_text("inte registrerat")

        with customer.expect_popup() as popup_info:
            customer.get_by_role("button", name="Ge behörighet").click()
        skv = popup_info.value
        skv.set_default_timeout(15_000)
        assert skv.url.startswith(f"{sandbox.url}/skatteverket/")
        expect(skv.get_by_role("heading", name="Logga in")).to_be_visible()
        skv.get_by_label("Tolvan Tolvansson", exact=False).check()
        skv.get_by_role("button", name="Logga in med BankID").click()
        expect(skv.get_by_role("heading", name="Utse ombud")).to_be_visible()
        expect(skv.locator("main")).to_contain_text("556036-0793")
        expect(skv.locator("main")).to_contain_text("Skattekonto, bara läsbehörighet")
        skv.get_by_role("button", name="Nästa").click()
        skv.get_by_role("button", name="Skriv under & skicka in").click()
        expect(skv.locator("#done")).to_contain_text("Klart!")
        screenshot("skatteverket-ombud-signed")
        skv.close()

        customer.get_by_test_id("verify").click()
        expect(customer.get_by_test_id("consent-done")).to_have_text("Kopplingen är klar")
    finally:
        signatory.close()

    connection = Connection.objects.get(company=company, provider="skatteverket")
    assert connection.status == ConnectionStatus.ACTIVE and connection.consent_at is not None

    page.reload()
    card = page.get_by_test_id("provider-skatteverket")
    expect(card).to_have_attribute("data-status", "active")
    expect(card.locator(".status-dot")).to_have_css("background-color", GREEN)
    screenshot("skatteverket-card-active")

    # The company removes the ombud at Skatteverket; the next check turns the card red.
    sandbox.control("skatteverket/grants/remove", company="5560360793")
    card.get_by_test_id("ombud-check-skatteverket").click()
    card = page.get_by_test_id("provider-skatteverket")
    expect(card).to_have_attribute("data-status", "needs_reauthorisation")
    expect(card).to_contain_text("ombud")
    screenshot("skatteverket-card-removed")


def test_only_a_signatory_may_appoint(browser, page, live_server, setup, sandbox):
    world = setup
    log_in(page, world.accountant_a.email)
    open_collect_tab(page, world.a1)
    page.get_by_test_id("provider-skatteverket").get_by_role("button", name="Aktivera").click()
    link_url = page.get_by_test_id("activation-link").input_value()

    customer = page.context.browser.new_context(locale="sv-SE").new_page()
    customer.goto(link_url)
    with customer.expect_popup() as popup_info:
        customer.get_by_role("button", name="Ge behörighet").click()
    skv = popup_info.value
    skv.get_by_label("Bertil Anställd", exact=False).check()
    skv.get_by_role("button", name="Logga in med BankID").click()
    skv.get_by_role("button", name="Nästa").click()
    skv.get_by_role("button", name="Skriv under & skicka in").click()
    expect(skv.locator("main")).to_contain_text("inte firmatecknare")
    customer.get_by_test_id("verify").click()
    expect(customer.get_by_test_id("verify-error")).to_be_visible()
    assert (
        Connection.objects.get(company=world.a1, provider="skatteverket").status == ConnectionStatus.PENDING
    )
    customer.context.close()
