"""A Norwegian company's Altinn settings in a browser (seed 004), on a desktop and at 390 px:
every wrong value gets its message in bokmål, the settings are saved, and "Test innlogging"
checks the data-system ID (saying that only the ID is checked) and the system user."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ledgerport.connectors.models import ProviderSettings
from tests.browser.conftest import SCREENSHOTS
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in
from tests.browser.test_collect_flows import open_collect_tab
from tests.factories import CompanyFactory, build_world

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def setup(transactional_db, settings, live_server, providers_at_sandbox):
    settings.NO_SYNTHETIC_PERSONS = True  # the sandbox's employees are Skatteetaten's test persons
    world = build_world()
    fjordlys = CompanyFactory(
        firm=world.firm_a, name="Fjordlys Rådgivning AS", country="NO", orgnr="923609016"
    )
    return world, fjordlys


def fill(page, **values):
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_altinn_settings_validated_saved_and_tested(browser, live_server, setup, viewport):
    world, company = setup
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, world.accountant_a.email)
        open_collect_tab(page, company)
        card = page.get_by_test_id("provider-altinn")
        expect(page.get_by_test_id("provider-fortnox")).to_be_visible()
        card.get_by_role("link", name="Inställningar").click()

        expect(page.get_by_role("heading", name="Altinn-innstillinger")).to_be_visible()
        expect(page.get_by_test_id("altinn-settings")).to_contain_text("Altinn 3 systembruker (Maskinporten)")
        expect(page.get_by_test_id("altinn-settings")).to_contain_text("19. juni 2026")
        assert page.evaluate(SIDEWAYS) == []

        # Nothing filled in for a data system: each required field says so.
        page.get_by_label("Altinn 2 datasystem (ID og passord)").check()
        page.get_by_test_id("altinn-save").click()
        for field in ("system_id", "password", "contact_email", "contact_mobile"):
            expect(page.get_by_test_id(f"error-{field}")).to_have_text("Dette feltet må fylles ut.")

        # Each wrong value gets its own message.
        page.get_by_label("Altinn 2 datasystem (ID og passord)").check()
        fill(
            page,
            **{
                "Datasystem-ID": "41a75",
                "Passord": "fjordlys-2026",
                "E-postadresse for varsler": "lonn@",
                "Mobilnummer for varsler": "22 33 44 55",
            },
        )
        page.get_by_test_id("altinn-save").click()
        expect(page.get_by_test_id("error-system_id")).to_have_text("Her kan du bare skrive tall.")
        expect(page.get_by_test_id("error-password")).to_contain_text(
            "Passordet kan bare ha bokstaver (A–Z, a–z) og tall"
        )
        expect(page.get_by_test_id("error-contact_email")).to_have_text("Skriv inn en gyldig e-postadresse.")
        expect(page.get_by_test_id("error-contact_mobile")).to_have_text(
            "Mobilnummeret må være et norsk nummer med 8 siffer som begynner på 4 eller 9."
        )
        # A password without upper-case letters is refused too.
        page.get_by_label("Altinn 2 datasystem (ID og passord)").check()
        fill(
            page,
            **{
                "Datasystem-ID": "41975",
                "Passord": "fjordlys2026",
                "E-postadresse for varsler": "lonn@fjordlys.no",
                "Mobilnummer for varsler": "912 34 567",
            },
        )
        page.get_by_test_id("altinn-save").click()
        expect(page.get_by_test_id("error-password")).to_be_visible()
        expect(page.get_by_test_id("error-system_id")).to_have_count(0)
        if viewport is PHONE:
            assert page.evaluate(SIDEWAYS) == []
        assert not ProviderSettings.objects.filter(company=company).exists()

        # Right values: saved, and the login test checks the ID only, and says so.
        page.get_by_label("Passord", exact=True).fill("Fjordlys2026")
        page.get_by_test_id("altinn-save").click()
        expect(page.locator(".messages")).to_contain_text("Altinn-innstillingene er lagret.")
        page.get_by_test_id("altinn-test").click()
        result = page.get_by_test_id("altinn-test-result")
        expect(result).to_have_attribute("data-ok", "true")
        expect(result).to_contain_text(
            "Bare at ID-en er gyldig er sjekket, ikke at ID og passord hører til dette selskapet"
        )

        # The current way: the company's system user, found through Maskinporten.
        page.get_by_label("Altinn 3 systembruker (Maskinporten)").check()
        page.get_by_test_id("altinn-save").click()
        page.get_by_test_id("altinn-test").click()
        expect(result).to_have_attribute("data-ok", "true")
        expect(result).to_contain_text("Systembrukeren til selskapet er godkjent")

        # The employees' tax deduction cards for the year, through the system user.
        fill(page, **{"Inntektsår": "2026", "Fødselsnumrene til de ansatte": "12838512311\n1234"})
        page.get_by_test_id("skattekort-fetch").click()
        expect(page.get_by_test_id("error-employees")).to_contain_text(
            "Linje 2: skriv inn et gyldig fødselsnummer"
        )
        fill(page, **{"Fødselsnumrene til de ansatte": "12838512311\n04919245730\n27867831180\n09819922389"})
        page.get_by_test_id("skattekort-fetch").click()
        table = page.get_by_test_id("skattekort-table")
        expect(table).to_contain_text("Tabell 8115")
        expect(table).to_contain_text("Prosentkort")
        expect(table).to_contain_text("Frikort")
        expect(table).to_contain_text("Ikke skattekort")
        if viewport is PHONE:
            assert page.evaluate(SIDEWAYS) == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = "phone" if viewport is PHONE else "desktop"
        page.screenshot(path=str(SCREENSHOTS / f"altinn-settings-{name}.png"), full_page=True)

        # Back on "Läs in data", the card is green.
        open_collect_tab(page, company)
        expect(page.get_by_test_id("provider-altinn")).to_have_attribute("data-status", "active")
    finally:
        context.close()
