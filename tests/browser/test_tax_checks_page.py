"""The tax checks in a real browser: the client list's light leads to the tax-account page, which
shows the seeded differences and fits a desktop and a 390 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ledgerport.analysis.services import tax_check_summaries_refresh
from tests.analysis.tax_world import TODAY, demo_company
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in
from tests.factories import build_world


@pytest.fixture
def world(transactional_db):
    world = build_world()
    company, _ = demo_company(world.firm_a, "exempelbolaget")
    tax_check_summaries_refresh(company, today=TODAY)
    return world


@pytest.mark.parametrize("size", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_from_the_light_to_the_differences(page, world, size, screenshot):
    page.set_viewport_size(size)
    log_in(page, world.accountant_a.email)
    page.goto("/companies/")
    row = page.get_by_test_id("company-row").filter(has_text="556036-0793")
    light = row.get_by_test_id("tax-light")
    expect(light).to_have_attribute("data-light", "red")
    expect(light).to_contain_text("5 avvikelser")
    assert page.evaluate(SIDEWAYS) == []
    light.click()

    expect(page.get_by_test_id("tax-summary")).to_contain_text("5 avvikelser att titta på")
    expect(page.get_by_test_id("tax-months").locator("tbody tr")).to_have_count(11)
    expect(page.get_by_test_id("unmatched-tax")).to_contain_text("Kostnadsränta")
    expect(page.get_by_test_id("unmatched-ledger").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("late-payments").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("period-differences")).to_contain_text("Arbetsgivaravgifter")
    expect(page.locator("svg.chart polyline")).to_have_count(2)
    assert page.evaluate(SIDEWAYS) == []
    screenshot(f"tax-account-{size['width']}")

    with page.expect_download() as download:
        page.get_by_test_id("tax-export").click()
    assert download.value.suggested_filename.endswith("-skattekonto.xlsx")
