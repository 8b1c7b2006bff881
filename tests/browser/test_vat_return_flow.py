"""ACCEPTANCE (issue 14, point 4) end to end, in a browser on a desktop and at 390 px: the firm
computes a term's mva-melding from the Norwegian demo ledger, reviews it (its total equals the
ledger's VAT accounts), has it validated by the authority's service — which first sends the
accountant through the sandbox's ID-porten login — submits it through the Altinn 3 instance
flow, and sees the feedback: the validation result, the payment information and the receipt.
Nothing on the way is faked: the product's provider package talks to the running sandbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ledgerport.demo.norway_demo import seed_norway
from ledgerport.mvamelding import parse_payment_info
from ledgerport.vatreturns.models import VatReturn
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in
from tests.factories import CompanyFactory, build_world

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
YEAR = 2026
TERM = 5  # September–October


@pytest.fixture
def setup(transactional_db, settings, live_server, providers_at_sandbox):
    sandbox = providers_at_sandbox
    settings.PUBLIC_URL = live_server.url
    sandbox.client.post("/_control/altinn/mva/feedback", json={"delay": 0})
    world = build_world()
    fjordlys = CompanyFactory(
        firm=world.firm_a, name="Fjordlys Rådgivning AS", country="NO", orgnr="923609016"
    )
    assert seed_norway(fjordlys, YEAR) is not None
    return world, fjordlys


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_compute_validate_submit_and_see_the_feedback(browser, live_server, setup, viewport):
    world, company = setup
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        log_in(page, world.accountant_a.email, start=f"/companies/{company.pk}/vat-returns/?year={YEAR}")
        page.get_by_test_id(f"compute-{TERM}").click()

        # The draft: lines per code, and the total equal to the VAT accounts' movement.
        expect(page.get_by_test_id("lines")).to_be_visible()
        expect(page.get_by_test_id("difference")).to_have_text("0,00")
        expect(page.get_by_test_id("locally-valid")).to_be_visible()
        assert page.evaluate(SIDEWAYS) == []
        draft = VatReturn.objects.get(company=company, year=YEAR, term=TERM)
        assert draft.lines and draft.total == draft.ledger_total != 0
        detail_url = page.url

        # The authority's validation needs the person's own login: ID-porten, then back.
        page.get_by_test_id("validate").click()
        page.wait_for_url("**/idporten/authorize**")
        page.get_by_label("Kari Fjellheim", exact=False).check()
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_url(detail_url)
        page.get_by_test_id("validate").click()
        expect(page.get_by_test_id("authority-status")).to_be_visible()
        expect(page.get_by_test_id("deviations")).to_have_count(0)

        # Submitted through the instance flow; the feedback is stored and shown.
        page.get_by_test_id("submit").click()
        if page.get_by_test_id("fetch-feedback").count():
            page.get_by_test_id("fetch-feedback").click()
        expect(page.get_by_test_id("payment")).to_be_visible()
        expect(page.get_by_test_id("payment-kid")).not_to_be_empty()
        expect(page.get_by_test_id("receipt")).to_be_visible()
        assert page.evaluate(SIDEWAYS) == []

        filed = VatReturn.objects.get(pk=draft.pk)
        assert filed.state == "accepted", filed.state
        payment = parse_payment_info(filed.payment_xml.encode())
        assert payment.amount == filed.total == filed.ledger_total
        assert filed.payment_kid == payment.kid
        receipt = page.request.get(page.get_by_test_id("receipt").get_attribute("href"))
        assert receipt.ok and receipt.body().startswith(b"%PDF")
    finally:
        context.close()
