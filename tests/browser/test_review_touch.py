"""Invoice review on a phone and on a laptop screen: real touches (CDP Input.dispatchTouchEvent)
over the document preview move between vouchers and never take the browser back, two fingers
zoom instead of swiping, and every amount is readable (credit column on 1366 px, labels at 390 px)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ledgerport.documents.services import document_store, voucher_document_link
from ledgerport.ledger.models import Account, Source, Voucher, VoucherRow
from tests.browser.conftest import SCREENSHOTS
from tests.browser.layout import VISIBLE_WHOLE
from tests.browser.login import log_in
from tests.browser.test_review_flow import expect_voucher, open_review, png, review_setup  # noqa: F401

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def pdf_bytes() -> bytes:
    """A small valid one-page PDF (the browser's viewer renders it in the iframe)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # the content stream, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    text = b"BT /F1 24 Tf 72 760 Td (Faktura 1001) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def review_world(review_setup):  # noqa: F811
    """review_setup, with A 1's document a PDF (shown in an iframe) and a fifth voucher, C 1,
    with long account names and large amounts."""
    world, company, year, _documents = review_setup
    pdf = document_store(
        company=company,
        content=pdf_bytes(),
        file_name="a-faktura-A1.pdf",
        source="test",
        external_id="A1-pdf",
    )
    voucher_document_link(document=pdf, fiscal_year=year, series="A", number="1")
    rows = [
        ("4010", "Inköp av varor och material från leverantörer inom Sverige", Decimal("1234567.89")),
        ("2641", "Debiterad ingående mervärdesskatt", Decimal("308641.97")),
        ("2440", "Leverantörsskulder", Decimal("-1543209.86")),
    ]
    voucher = Voucher.objects.create(
        fiscal_year=year,
        series="C",
        number="1",
        date=date(2024, 4, 13),
        text="Leverantör Delta",
        source=Source.SIE,
    )
    for position, (number, name, amount) in enumerate(rows):
        account, _ = Account.objects.get_or_create(
            fiscal_year=year, number=number, defaults={"name": name, "type": "K"}
        )
        Account.objects.filter(pk=account.pk).update(name=name)
        VoucherRow.objects.create(
            fiscal_year=year,
            voucher=voucher,
            account=account,
            position=position,
            amount=amount,
            period=202404,
        )
    image = document_store(
        company=company,
        content=png((90, 90, 90)),
        file_name="faktura-C1.png",
        source="test",
        external_id="C1",
    )
    voucher_document_link(document=image, fiscal_year=year, series="C", number="1")
    return world, company, year


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, context.new_cdp_session(page)
    context.close()


def fingers(cdp, start: list[tuple[float, float]], end: list[tuple[float, float]], steps: int = 12) -> None:
    """Touch down at `start` (one point per finger), move in steps to `end`, lift all."""

    def points(t: float) -> list[dict]:
        return [
            {"x": x0 + (x1 - x0) * t, "y": y0 + (y1 - y0) * t, "id": finger}
            for finger, ((x0, y0), (x1, y1)) in enumerate(zip(start, end, strict=True))
        ]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for step in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(step / steps)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def preview_centre(page) -> tuple[float, float]:
    box = page.get_by_test_id("review-document").bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def swipe(page, cdp, dx: float) -> None:
    x, y = preview_centre(page)
    fingers(cdp, [(x - dx / 2, y)], [(x + dx / 2, y + 8)])


def settle(page) -> None:
    """Let a swipe's request (if any) and any history navigation happen before asserting none did."""
    page.wait_for_timeout(400)
    page.wait_for_load_state()


def test_swipes_over_the_document_preview_move_between_vouchers_never_back(phone, review_world):
    page, cdp = phone
    world, company, year = review_world
    log_in(page, world.accountant_a.email)
    open_review(page, company)  # by clicks, so there is a page behind the review to go back to
    card_url = re.compile(re.escape(reverse("review:card", args=[company.pk, year.pk])))

    expect_voucher(page, "A 1 · 2024-03-05")
    preview = page.get_by_test_id("review-document")
    expect(preview).to_have_js_property("tagName", "IFRAME")  # the PDF, which swallows touches
    swipe(page, cdp, -240)  # left: the next voucher
    expect_voucher(page, "A 2 · 2024-04-10")
    expect(page).to_have_url(re.compile(r"[?&]after=2024-03-05\.A\.1\."))

    swipe(page, cdp, 240)  # right, over the image: the previous voucher, not the previous page
    expect_voucher(page, "A 1 · 2024-03-05")
    expect(page).to_have_url(re.compile(r"[?&]before=2024-04-10\.A\.2\."))
    settle(page)
    expect_voucher(page, "A 1 · 2024-03-05")

    # On the first voucher there is no previous one: a swipe right does nothing at all.
    history = page.evaluate("history.length")
    swipe(page, cdp, 260)
    settle(page)
    expect(page).to_have_url(card_url)
    expect(page).to_have_url(re.compile(r"[?&]before=2024-04-10\.A\.2\."))
    expect_voucher(page, "A 1 · 2024-03-05")
    assert page.evaluate("history.length") == history

    # A swipe from the very edge of the screen, where phones start "back", is a swipe too.
    page.keyboard.press("ArrowRight")
    expect_voucher(page, "A 2 · 2024-04-10")
    _x, y = preview_centre(page)
    fingers(cdp, [(4, y)], [(300, y)])
    expect_voucher(page, "A 1 · 2024-03-05")
    settle(page)
    expect(page).to_have_url(re.compile(r"[?&]before=2024-04-10\.A\.2\."))
    expect_voucher(page, "A 1 · 2024-03-05")


def test_two_fingers_zoom_and_are_never_a_swipe(phone, review_world):
    page, cdp = phone
    world, company, _year = review_world
    log_in(page, world.accountant_a.email)
    open_review(page, company)
    for label in ("A 1 · 2024-03-05", "A 2 · 2024-04-10"):  # over the PDF, then over an image
        if label.startswith("A 2"):
            page.keyboard.press("ArrowRight")
        expect_voucher(page, label)
        x, y = preview_centre(page)
        # Two fingers moving sideways together: not a swipe (and nothing to pan at 1:1).
        fingers(cdp, [(x + 80, y), (x + 120, y + 40)], [(x - 120, y), (x - 80, y + 40)])
        settle(page)
        expect_voucher(page, label)

        # Spread: the page zooms in (the browser keeps pinch zoom over the preview) ...
        assert page.evaluate("visualViewport.scale") == 1
        fingers(cdp, [(x - 30, y), (x + 30, y)], [(x - 150, y), (x + 150, y)])
        page.wait_for_function("visualViewport.scale > 1.5")
        settle(page)
        expect_voucher(page, label)
        # ... and zoomed in, a one-finger drag pans the invoice instead of changing voucher.
        fingers(cdp, [(300, y)], [(60, y)])
        settle(page)
        expect_voucher(page, label)
        # Pinch back to 1:1 before the next round.
        fingers(cdp, [(40, y), (350, y)], [(190, y), (200, y)])
        page.wait_for_function("visualViewport.scale < 1.01")
        settle(page)
        expect_voucher(page, label)


def test_the_credit_column_fits_at_1366_and_amounts_are_labelled_at_390(browser, live_server, review_world):
    world, company, year = review_world
    url = reverse("review:card", args=[company.pk, year.pk]) + "?at=2024-04-13.C.1.0"  # the last card
    amount = re.compile(r"-?\d{1,3}(\u00a0\d{3})*,\d{2}")
    for width, height in ((1366, 768), (390, 844)):
        context = browser.new_context(
            base_url=live_server.url, locale="sv-SE", viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            log_in(page, world.accountant_a.email)
            page.goto(url)
            expect_voucher(page, "C 1 · 2024-04-13")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            table = page.get_by_test_id("review-card").locator("table")
            shown = [cell for cell in table.locator("td.num").all() if amount.search(cell.inner_text())]
            assert len(shown) == 3
            if width == 1366:
                # The whole table is in view: no amount hidden behind a scroll or cut off.
                credit = table.get_by_role("columnheader", name="Kredit")
                expect(credit).to_be_visible()
                for element in [credit, *shown]:
                    assert element.evaluate(VISIBLE_WHOLE, True) == "", element.inner_text()
                    assert amount.fullmatch(element.inner_text().strip()) or element == credit
            else:
                # Stacked rows: each amount says what it is, and none is cut.
                for cell in shown:
                    assert cell.evaluate(VISIBLE_WHOLE, False) == ""
                    assert re.fullmatch(r"(Debet|Kredit)\s+" + amount.pattern, cell.inner_text().strip()), (
                        cell.inner_text()
                    )
                labels = [cell.inner_text().split()[0] for cell in shown]
                assert labels == ["Debet", "Debet", "Kredit"]
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"review-amounts-{width}.png"), full_page=True)
        finally:
            context.close()
