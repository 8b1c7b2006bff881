"""A person's ID-porten login for the mva-melding in a browser, on a desktop and at 390 px: the
accountant is sent to the sandbox's ID-porten page, a wrong fødselsnummer is refused with its
message, a synthetic test person is picked, and the browser comes back to the page it left."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ledgerport.connectors.altinn.models import PersonLogin
from ledgerport.connectors.altinn.person_login import login_url
from tests.browser.conftest import SCREENSHOTS
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in
from tests.factories import CompanyFactory, build_world

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def setup(transactional_db, settings, live_server, providers_at_sandbox):
    settings.PUBLIC_URL = live_server.url
    world = build_world()
    fjordlys = CompanyFactory(
        firm=world.firm_a, name="Fjordlys Rådgivning AS", country="NO", orgnr="923609016"
    )
    return world, fjordlys


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_idporten_login_page_and_the_return(browser, live_server, setup, sandbox, viewport):
    world, company = setup
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, world.accountant_a.email)
        back_to = reverse("web:company_overview", args=[company.pk])
        page.goto(login_url(company, back_to))
        assert page.url.startswith(f"{sandbox.url}/idporten/authorize")
        expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()
        expect(page.get_by_label("Kari Fjellheim", exact=False)).to_be_checked()
        assert page.evaluate(SIDEWAYS) == []
        # A typed number with a wrong check digit is refused, and the page still fits.
        page.get_by_label("Eller fødselsnummer / D-nummer").fill("15838510076")
        page.get_by_role("button", name="Logg inn").click()
        expect(page.get_by_role("alert")).to_have_text(
            "Skriv inn et gyldig fødselsnummer eller D-nummer (11 siffer)."
        )
        assert page.evaluate(SIDEWAYS) == []
        page.screenshot(path=str(SCREENSHOTS / f"idporten-login-{viewport['width']}.png"), full_page=True)
        page.get_by_label("Eller fødselsnummer / D-nummer").fill("")
        page.get_by_label("Kari Fjellheim", exact=False).check()
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_url(f"{live_server.url}{back_to}")
        login = PersonLogin.objects.get(user=world.accountant_a, firm=world.firm_a)
        assert login.access_token_ciphertext
    finally:
        context.close()
