"""A firm user uploads a real SIE file, watches it load, reads the statements; replace and broken files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ledgerport.celery import app as celery_app
from ledgerport.ledger.models import FiscalYear, LedgerImport, Voucher
from ledgerport.ledger.templatetags.ledger import money
from ledgerport.tenancy.services import company_create
from tests.browser.login import log_in
from tests.ledger.conftest import VISMA, declared_balances

ZERO = Decimal(0)


@pytest.fixture
def setup(transactional_db, settings, tmp_path):
    from tests.factories import build_world

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the upload runs the task in the request: no worker
    before = celery_app.conf.get("task_always_eager", False)
    celery_app.conf.update(task_always_eager=True)
    world = build_world()
    company = company_create(firm=world.firm_a, name="Övningsbolaget AB", orgnr="555555-5555")
    yield world, company
    celery_app.conf.update(task_always_eager=before)


def upload(page, company, path: Path) -> None:
    page.goto(f"/companies/{company.pk}/collect/")
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Läs in", exact=True).click()


def row_values(page, label: str) -> list[str]:
    row = page.locator("table[data-testid=statement] tr", has=page.get_by_text(label, exact=True)).first
    return [cell.strip() for cell in row.locator("td.num").all_inner_texts()]


def test_upload_read_statements_replace_and_refuse_a_broken_file(
    page, live_server, setup, screenshot, tmp_path
):
    world, company = setup
    log_in(page, world.admin_a.email)

    upload(page, company, VISMA)
    expect(page.get_by_test_id("import-done")).to_be_visible()
    expect(page.get_by_test_id("import-done")).to_contain_text("295 verifikationer")
    screenshot("ledger-import-done")

    # Balance sheet: totals equal the file's own #UB (and the computed, unbooked result).
    ub = declared_balances(VISMA, "UB", 0)
    result = -sum(declared_balances(VISMA, "RES", 0).values(), ZERO)
    assets = sum((v for k, v in ub.items() if k.startswith("1")), ZERO)
    liabilities = -sum((v for k, v in ub.items() if k.startswith("2")), ZERO)
    page.get_by_role("link", name="Balansräkning 2021-01-01 – 2021-12-31").click()
    expect(page.get_by_test_id("statement-title")).to_contain_text("Balansräkning")
    assert row_values(page, "Summa tillgångar")[1] == money(assets)
    assert row_values(page, "Summa eget kapital och skulder")[1] == money(liabilities + result)
    screenshot("ledger-balance-sheet")

    page.get_by_role("link", name="Resultaträkning", exact=True).click()
    expect(page.get_by_test_id("statement-title")).to_contain_text("Resultaträkning")
    assert row_values(page, "Årets resultat")[0] == money(result)
    expect(page.locator("svg.chart")).to_be_visible()
    page.get_by_label("Period").select_option("202103")
    expect(page.locator("table[data-testid=statement] th").nth(2)).to_contain_text("Mars 2021")
    screenshot("ledger-income-statement")

    # Drill down: the general ledger of 1930 ends at its #UB, and a voucher opens.
    page.goto(f"/companies/{company.pk}/ledger/")
    expect(page.get_by_test_id("loaded-year")).to_have_count(2)
    page.get_by_role("link", name="Huvudbok").first.click()
    page.get_by_role("link", name="1930", exact=True).click()
    expect(page.get_by_test_id("closing")).to_contain_text(money(ub["1930"]))
    page.get_by_test_id("ledger-row").first.get_by_role("link").click()
    expect(page.get_by_test_id("voucher-title")).to_be_visible()

    # The same year again: the user is asked, then it is replaced.
    upload(page, company, VISMA)
    expect(page.get_by_test_id("replace-question")).to_have_text(
        "Räkenskapsåret 2021-01-01 – 2021-12-31 har redan en huvudbok (källa: SIE-fil). Vill du ersätta den?"
    )
    screenshot("ledger-replace-question")
    page.get_by_role("button", name="Ersätt").click()
    expect(page.get_by_test_id("import-done")).to_be_visible()
    # The year is now the confirmed import's, with every voucher (a re-import writes only what
    # changed, so unchanged vouchers keep their ids).
    year = FiscalYear.objects.get(company=company, start="2021-01-01")
    assert year.ledger_import_id == LedgerImport.objects.filter(company=company).latest("pk").pk
    assert Voucher.objects.filter(fiscal_year=year).count() == 295
    second_ids = set(Voucher.objects.values_list("pk", flat=True))

    # A broken file: the message names the line, and the ledger is untouched.
    lines = VISMA.read_bytes().split(b"\n")
    number = max(i for i, raw in enumerate(lines, start=1) if raw.strip().startswith(b"#TRANS"))
    lines[number - 1] = b"   #TRANS 1930 {} 1O0.00"
    broken = tmp_path / "trasig.se"
    broken.write_bytes(b"\n".join(lines))
    upload(page, company, broken)
    expect(page.get_by_test_id("replace-question")).to_be_visible()  # the header is fine; asked first
    page.get_by_role("button", name="Ersätt").click()
    expect(page.get_by_test_id("import-error")).to_contain_text(f"Rad {number}:")
    screenshot("ledger-broken-file")
    assert set(Voucher.objects.values_list("pk", flat=True)) == second_ids
    assert FiscalYear.objects.get(company=company, start="2021-01-01").voucher_count == 295


def test_statements_fit_a_phone(browser, live_server, setup):
    world, company = setup
    from ledgerport.ledger.services import ledger_import_sie

    with VISMA.open("rb") as stream:
        ledger_import_sie(company=company, stream=stream, file_name=VISMA.name)
    year = FiscalYear.objects.get(company=company, start="2021-01-01")
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    log_in(page, world.admin_a.email)
    for path in (
        f"/companies/{company.pk}/analysis/years/{year.pk}/balance-sheet/",
        f"/companies/{company.pk}/analysis/years/{year.pk}/income-statement/?period=202106",
        f"/companies/{company.pk}/ledger/years/{year.pk}/accounts/",
        f"/companies/{company.pk}/ledger/",
        f"/companies/{company.pk}/collect/",
    ):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
    page.goto(f"/companies/{company.pk}/analysis/years/{year.pk}/balance-sheet/")
    scroller = page.locator(".table-scroll").first
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls inside its box
    page.screenshot(
        path=str(Path(__file__).resolve().parents[2] / "var" / "screenshots" / "ledger-mobile.png"),
        full_page=True,
    )
    context.close()
