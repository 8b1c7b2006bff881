"""The Content-Security-Policy holds in a real browser: no violation on the main pages, and
the behaviours moved out of inline handlers into static JS still work."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from ledgerport.demo.seed import DEMO_PASSWORD, FIRM_USER, seed_demo
from ledgerport.ledger.models import FiscalYear, Source
from ledgerport.tenancy.models import Company
from tests.browser.login import log_in
from tests.ledger.factories import ledger_objects

# Recorded in the page by an init script (not subject to the page's CSP), and from the console.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.fixture
def ledger(transactional_db):
    seed_demo()
    company = Company.objects.get(name="Exempelbolaget AB")
    objects = ledger_objects(company)
    FiscalYear.objects.create(
        company=company, start=date(2023, 1, 1), end=date(2023, 12, 31), source=Source.SIE
    )
    return company, objects


@pytest.fixture
def watched(page):
    violations: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def check(url: str) -> None:
        violations.extend(page.evaluate("window.__csp || []"))
        assert violations == [], f"{url}: {violations}"

    return page, check


def test_no_csp_violation_on_the_main_pages(watched, ledger, live_server):
    page, check = watched
    company, objects = ledger
    response = page.goto("/account/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    check("login")
    log_in(page, FIRM_USER, DEMO_PASSWORD)
    expect(page.get_by_test_id("company-row")).to_have_count(3)
    check("company list")
    c, y = company.pk, objects.fiscal_year.pk
    for url in [
        f"/companies/{c}/",
        f"/companies/{c}/collect/",
        f"/companies/{c}/ledger/",
        f"/companies/{c}/analysis/",
        f"/companies/{c}/documents/",
        f"/companies/{c}/analysis/years/{y}/balance-sheet/",
        f"/companies/{c}/analysis/years/{y}/income-statement/",
        f"/companies/{c}/ledger/years/{y}/accounts/",
        f"/companies/{c}/ledger/accounts/{objects.account.pk}/",
        f"/companies/{c}/ledger/vouchers/{objects.voucher.pk}/",
        f"/companies/{c}/analysis/review/",
        "/no-such-page/",
    ]:
        page.goto(url)
        page.wait_for_load_state("load")
        check(url)


def test_moved_behaviours_still_work(watched, ledger, live_server):
    page, check = watched
    company, objects = ledger
    log_in(page, FIRM_USER, DEMO_PASSWORD)
    c, y = company.pk, objects.fiscal_year.pk
    # Period select sends its form; year select opens the chosen year.
    page.goto(f"/companies/{c}/analysis/years/{y}/income-statement/")
    page.locator("#period").select_option("202403")
    expect(page).to_have_url(re.compile(r"period=202403"))
    earlier = page.locator("#year-select option", has_text="2023").get_attribute("value")
    page.locator("#year-select").select_option(earlier)
    expect(page).to_have_url(re.compile(r"/income-statement/$"))
    assert f"/years/{y}/" not in page.url
    # "Aktivera" opens the dialog once htmx has the link; "Kopiera länk" copies it.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/companies/{c}/collect/")
    page.get_by_test_id("provider-fortnox").get_by_role("button").first.click()
    dialog = page.locator("#activation-dialog")
    expect(dialog).to_be_visible()
    link = page.get_by_test_id("activation-link").input_value()
    dialog.get_by_role("button", name="Kopiera länk").click()
    expect(dialog.get_by_role("button", name="Kopierad")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    # The language switcher sends itself.
    page.get_by_label("Språk").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check("behaviours")
