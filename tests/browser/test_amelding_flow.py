"""The a-melding in a browser, on a desktop and at 390 px: the firm opens a Norwegian company's
month from the Payroll tab, imports the CSV, reviews the sums per employee, sends it, and sees
the authority's accepted feedback (the sandbox's)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ledgerport.celery import app as celery_app
from ledgerport.employerreturns.models import EmployerReturn
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in
from tests.employerreturns.conftest import CSV
from tests.factories import CompanyFactory, build_world

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def setup(transactional_db, settings, live_server, providers_at_sandbox):
    sandbox = providers_at_sandbox
    settings.NO_SYNTHETIC_PERSONS = True  # the file's employees are Skatteetaten's test persons
    sandbox.control("altinn/amelding", feedback_delay=0)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = celery_app.conf.get("task_always_eager", False)
    celery_app.conf.update(task_always_eager=True)
    world = build_world()
    fjordlys = CompanyFactory(
        firm=world.firm_a, name="Fjordlys Rådgivning AS", country="NO", orgnr="923609016"
    )
    yield world, fjordlys
    celery_app.conf.update(task_always_eager=before)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_import_review_submit_and_see_the_feedback(browser, live_server, setup, viewport):
    world, company = setup
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, world.accountant_a.email, start=f"/companies/{company.pk}/payroll/")
        page.get_by_test_id("amelding-link").click()
        expect(page.get_by_role("heading", name="A-melding", exact=True)).to_be_visible()
        page.get_by_label("Måned (åååå-mm)").fill("2026-11")
        page.get_by_test_id("amelding-open-month").click()

        expect(page.get_by_role("heading", name="A-melding for 2026-11")).to_be_visible()
        page.get_by_label("Lønnsoppsummering (CSV)").set_input_files(str(CSV))
        page.get_by_test_id("amelding-import-submit").click()
        expect(page.get_by_text("Filen er importert.")).to_be_visible()

        expect(page.get_by_test_id("amelding-employee")).to_have_count(2)
        expect(page.get_by_test_id("sum-withheld")).to_have_text("31\u00a0383,00")
        expect(page.get_by_test_id("sum-contribution")).to_have_text("14\u00a0590,00")
        expect(page.get_by_test_id("amelding-valid")).to_be_visible()
        assert page.evaluate(SIDEWAYS) == []

        page.get_by_role("button", name="Send inn").click()
        expect(page.get_by_test_id("amelding-feedback")).to_be_visible()
        if page.get_by_test_id("amelding-refresh").count():
            page.get_by_test_id("amelding-refresh").click()
        expect(page.get_by_test_id("feedback-status")).to_contain_text("Mottatt av Skatteetaten")
        expect(page.get_by_test_id("feedback-no-avvik")).to_be_visible()
        expect(page.get_by_test_id("amelding-state")).to_have_attribute("data-state", "accepted")
        assert page.evaluate(SIDEWAYS) == []

        page.get_by_role("link", name="A-melding", exact=True).first.click()
        expect(page.get_by_test_id("amelding-month")).to_have_attribute("data-state", "accepted")
        assert (
            EmployerReturn.objects.get(company=company, month="2026-11").feedback["mottakstatus"] == "mottatt"
        )
    finally:
        context.close()
