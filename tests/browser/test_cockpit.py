"""The firm's cockpit in a real browser: on the demo firm, "Visa klienter med avvikelser" keeps the
client with differences, its Översikt shows the key figures and the tax checks, and a light
leads to its difference on the Analyser tab; on a desktop and a 390 px phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from ledgerport.analysis.services import tax_check_summaries_refresh
from ledgerport.connectors.models import Connection, SyncRun
from ledgerport.demo.seed import DEMO_PASSWORD, FIRM_USER, seed_demo
from tests.analysis.tax_world import TODAY, demo_company
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in


@pytest.fixture
def demo(transactional_db):
    firm = seed_demo()
    company, _scenario = demo_company(firm, "exempelbolaget")  # the demo firm's own Exempelbolaget AB
    tax_check_summaries_refresh(company, today=TODAY)
    fortnox = Connection.objects.create(company=company, provider="fortnox", status="active")
    SyncRun.objects.create(
        connection=fortnox, status="succeeded", finished_at=datetime(2026, 12, 5, 11, tzinfo=UTC)
    )
    return company


@pytest.mark.parametrize("size", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_from_the_filter_to_a_difference(page, demo, size, screenshot):
    page.set_viewport_size(size)
    log_in(page, FIRM_USER, DEMO_PASSWORD)
    rows = page.get_by_test_id("company-row")
    expect(rows).to_have_count(3)
    assert page.evaluate(SIDEWAYS) == []

    page.get_by_role("link", name="Visa klienter med avvikelser").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Exempelbolaget AB")
    expect(rows.get_by_test_id("tax-light")).to_have_attribute("data-light", "red")
    expect(rows.locator('.conn[data-provider="fortnox"]')).to_be_visible()
    expect(page.get_by_test_id("filter-differences")).to_have_attribute("aria-current", "true")
    assert page.evaluate(SIDEWAYS) == []
    screenshot(f"cockpit-list-{size['width']}")

    rows.get_by_role("link", name="Exempelbolaget AB").click()
    expect(page.get_by_role("link", name="Översikt", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("key-figure")).to_have_count(3)
    expect(page.locator("svg.sparkline")).to_have_count(3)
    expect(page.get_by_test_id("overview-connection")).to_contain_text("Fortnox")
    lights = page.get_by_test_id("check-light")
    expect(lights).to_have_count(4)
    assert page.evaluate(SIDEWAYS) == []
    screenshot(f"cockpit-overview-{size['width']}")

    late = page.locator('[data-testid="check-light"][data-check="late"]')
    expect(late).to_have_attribute("data-light", "red")
    late.click()
    expect(page).to_have_url(re.compile(r"/analysis/years/\d+/tax-account/#late-payments$"))
    expect(page.get_by_test_id("late-payments").locator("tbody tr")).to_have_count(1)
    expect(page.locator("#late-payments")).to_be_in_viewport()


def test_sorting_by_a_column_in_the_browser(page, demo):
    log_in(page, FIRM_USER, DEMO_PASSWORD)
    rows = page.get_by_test_id("company-row")
    expect(rows).to_have_count(3)
    page.get_by_test_id("sort-tax").click()
    # Fewest differences first, clients without tax data last: the one checked client first.
    expect(rows.first).to_contain_text("Exempelbolaget AB")
    page.get_by_test_id("sort-tax").click()
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Skattekonto")
    page.get_by_label("Sortera efter").select_option("-name")
    expect(rows.first).to_contain_text("Nordljus Konsult AB")
