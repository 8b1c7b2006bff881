"""Tax-payment summaries in the browser, at desktop width and at 390 px: the firm generates a
month's summary (from the synced tax account, or from amounts it enters) with the right OCR
number and due date, and the client finds it in Dokument › year › Tax Agency › the due month."""

from __future__ import annotations

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from ledgerport.taxpayments.models import TaxPaymentSummary
from tests.analysis.tax_world import demo_company
from tests.browser.login import log_in


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def client_finds_it(new_page, user, company, due_month_label: str, file_name: str) -> None:
    client = new_page()
    log_in(client, user.email, start=f"/companies/{company.pk}/")
    client.get_by_role("link", name="Dokument", exact=True).click()
    expect(client.locator('[data-folder="2026"] [data-testid="new-dot"]')).to_be_visible()
    expect(client.get_by_test_id("tax-payments-link")).to_have_count(0)  # the firm's page
    client.get_by_role("link", name="2026").click()
    client.get_by_role("link", name="Skatteverket").click()
    client.get_by_role("link", name=due_month_label).click()
    expect(client.get_by_test_id("folder-name")).to_have_text(due_month_label)
    expect(client.get_by_test_id("file")).to_have_count(1)
    expect(client.get_by_test_id("files").get_by_test_id("new-dot")).to_have_count(1)
    client.get_by_role("link", name=file_name).click()
    expect(client.get_by_role("heading", name=file_name)).to_be_visible()
    no_sideways_scroll(client)


def pdf_text(summary: TaxPaymentSummary) -> str:
    with summary.entry.document.file.open("rb") as handle:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)


def test_a_synced_month_is_generated_and_the_client_sees_it(world, new_page):
    company, scenario = demo_company(world.firm_a, "exempelbolaget")  # world.a1, with tax data
    firm = new_page()
    log_in(firm, world.accountant_a.email, start=f"/companies/{company.pk}/documents/")
    firm.get_by_test_id("tax-payments-link").click()
    firm.get_by_test_id("month-picker").get_by_label("Månad då beloppet förfaller").fill("2026-11")
    firm.get_by_role("button", name="Visa").click()
    expect(firm.get_by_test_id("due-date")).to_have_text("2026-11-12")
    expect(firm.get_by_test_id("ocr")).to_have_text(scenario.ocr)
    expect(firm.get_by_test_id("synced-lines")).to_contain_text("Arbetsgivaravgift oktober 2026")
    expect(firm.get_by_test_id("synced-lines")).to_contain_text("Moms oktober 2026")
    no_sideways_scroll(firm)
    firm.get_by_test_id("publish-synced").click()
    expect(firm.get_by_text("Betalningssammanställningen för november 2026 ligger under")).to_be_visible()
    expect(firm.get_by_test_id("already-published")).to_be_visible()

    summary = TaxPaymentSummary.objects.get(company=company)
    text = pdf_text(summary)
    assert scenario.ocr in text and "2026-11-12" in text and "5050-1055" in text
    client_finds_it(new_page, world.signatory_a1, company, "11. November", "Skattebetalning 2026-11.pdf")


def test_amounts_entered_by_the_firm_and_the_computed_ocr(world, new_page):
    firm = new_page()
    log_in(firm, world.admin_a.email, start=f"/companies/{world.a2.pk}/tax-payments/?month=2026-12")
    expect(firm.get_by_test_id("due-date")).to_have_text("2026-12-14")  # the 12th is a Saturday
    expect(firm.get_by_test_id("ocr")).to_have_text("1655902345628")  # 16 + 5590234562 + Luhn 8
    form = firm.get_by_test_id("amounts-form")
    form.get_by_label("Arbetsgivaravgifter (föregående månad)").fill("31 420")
    form.get_by_label("Avdragen skatt (föregående månad)").fill("28000,50")
    form.get_by_test_id("publish-amounts").click()
    expect(firm.get_by_test_id("already-published")).to_be_visible()
    expect(firm.get_by_test_id("summaries")).to_contain_text("59 420,50")
    no_sideways_scroll(firm)

    summary = TaxPaymentSummary.objects.get(company=world.a2)
    assert str(summary.amount) == "59420.50" and str(summary.due_date) == "2026-12-14"
    assert "Arbetsgivaravgifter november 2026" in pdf_text(summary)
    client_finds_it(new_page, world.signatory_a2, world.a2, "12. December", "Skattebetalning 2026-12.pdf")


def test_a_published_month_corrected_and_the_old_pdf_marked_replaced(world, new_page):
    firm = new_page()
    log_in(firm, world.admin_a.email, start=f"/companies/{world.a2.pk}/tax-payments/?month=2026-11")
    form = firm.get_by_test_id("amounts-form")
    form.get_by_label("Arbetsgivaravgifter (föregående månad)").fill("31 420")
    form.get_by_test_id("publish-amounts").click()
    expect(firm.get_by_test_id("already-published")).to_be_visible()

    form.get_by_label("Arbetsgivaravgifter (föregående månad)").fill("32 000")
    form.get_by_test_id("correct-amounts").click()
    expect(firm.get_by_text("är arkiverad som version 2")).to_be_visible()
    expect(firm.get_by_test_id("summaries")).to_contain_text("32 000,00")
    expect(firm.get_by_test_id("summary-version")).to_have_text("version 2")
    no_sideways_scroll(firm)

    client = new_page()
    log_in(client, world.signatory_a2.email, start=f"/companies/{world.a2.pk}/archive/2026/tax/11/")
    files = client.get_by_test_id("file-link")
    expect(files).to_have_count(2)
    expect(client.get_by_test_id("replaced")).to_have_count(1)
    expect(client.get_by_text("Ersatt")).to_be_visible()
    expect(client.get_by_text("Skattebetalning 2026-11 (version 2).pdf")).to_be_visible()
    no_sideways_scroll(client)
    client.get_by_text("Skattebetalning 2026-11.pdf").click()
    client.get_by_role("link", name="Öppna den nyare versionen").click()
    expect(client.get_by_test_id("entry-name")).to_have_text("Skattebetalning 2026-11 (version 2).pdf")
    no_sideways_scroll(client)
