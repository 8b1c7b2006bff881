"""Invoice review ("granskning") in a real browser: reached from Analyser, keys and swipes move
between vouchers, marks and flags persist per user, the next document is prefetched."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ledgerport.documents.models import Document
from ledgerport.documents.services import document_store, voucher_document_link
from ledgerport.ledger.models import Account, Source, Voucher, VoucherRow
from ledgerport.review.models import ReviewStatus, VoucherReview
from tests.browser.conftest import SCREENSHOTS
from tests.browser.login import log_in
from tests.factories import build_world
from tests.ledger.factories import ledger_objects

# (series, number, date, text, amount): the review queue is in date order, so this is its order.
VOUCHERS = [
    ("A", "2", date(2024, 4, 10), "Leverantör Alfa", 100),
    ("A", "3", date(2024, 4, 11), "Leverantör Beta", 250),
    ("B", "1", date(2024, 4, 12), "Leverantör Gamma", 9000),
]


def png(rgb: tuple[int, int, int], width: int = 120, height: int = 80) -> bytes:
    """A real (decodable) PNG of one colour, so the browser has something to render."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def review_setup(transactional_db, settings, tmp_path):
    """Firm A's first client with four vouchers that each have an invoice image (A1 first)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    company = world.a1
    year = ledger_objects(company).fiscal_year  # voucher A 1 on 2024-03-05
    cost, _ = Account.objects.get_or_create(
        fiscal_year=year, number="4010", defaults={"name": "Inköp", "type": "K"}
    )
    debt, _ = Account.objects.get_or_create(
        fiscal_year=year, number="2440", defaults={"name": "Leverantörsskulder", "type": "S"}
    )
    for series, number, day, text, amount in VOUCHERS:
        voucher = Voucher.objects.create(
            fiscal_year=year, series=series, number=number, date=day, text=text, source=Source.SIE
        )
        for position, (account, value) in enumerate(((cost, amount), (debt, -amount))):
            VoucherRow.objects.create(
                fiscal_year=year,
                voucher=voucher,
                account=account,
                position=position,
                amount=Decimal(value),
                period=202404,
            )
    documents = {}
    colours = [(200, 40, 40), (40, 160, 40), (40, 40, 200), (200, 160, 40)]
    for (series, number), colour in zip(
        [("A", "1"), ("A", "2"), ("A", "3"), ("B", "1")], colours, strict=True
    ):
        document = document_store(
            company=company,
            content=png(colour),
            file_name=f"faktura-{series}{number}.png",
            source="test",
            external_id=f"{series}{number}",
        )
        voucher_document_link(document=document, fiscal_year=year, series=series, number=number)
        documents[f"{series}{number}"] = document
    return world, company, year, documents


def open_review(page, company) -> None:
    """From the client list through the company's Analyser tab to the review, by clicking."""
    page.get_by_role("link", name=company.name).click()
    page.get_by_role("link", name="Analyser", exact=True).click()
    expect(page.get_by_role("link", name="Analyser", exact=True)).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Fakturagranskning").click()
    expect(page.get_by_role("heading", name="Fakturagranskning")).to_be_visible()
    page.wait_for_load_state()  # review.js and htmx listen before the first key or swipe


def content_url(company, document: Document) -> str:
    return reverse("documents:content", args=[company.pk, document.pk])


def expect_voucher(page, label: str) -> None:
    expect(page.get_by_test_id("review-voucher")).to_contain_text(label)


def expect_document_rendered(page, company, document: Document) -> None:
    image = page.get_by_test_id("review-document")
    expect(image).to_be_visible()
    expect(image).to_have_attribute("src", content_url(company, document))
    image.evaluate("img => img.decode()")  # waits for the bytes; throws if they cannot be decoded
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120


def expect_prefetch(page, company, document: Document) -> None:
    link = page.locator("link[rel=prefetch]")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", content_url(company, document))
    # The prefetched URL is the document itself, served to this user.
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"


def test_review_keys_marks_flags_and_state_survives_a_reload(page, live_server, review_setup, screenshot):
    world, company, year, documents = review_setup
    log_in(page, world.accountant_a.email)
    open_review(page, company)

    card_url = re.compile(re.escape(reverse("review:card", args=[company.pk, year.pk])))
    expect(page).to_have_url(card_url)
    expect_voucher(page, "A 1 · 2024-03-05")
    expect(page.get_by_test_id("review-progress")).to_contain_text("0 / 4 granskade")
    expect(page.get_by_test_id("review-progress")).to_contain_text("verifikation 1 av 4")
    expect_document_rendered(page, company, documents["A1"])
    expect_prefetch(page, company, documents["A2"])
    screenshot("review-first-voucher")

    page.keyboard.press("ArrowRight")
    expect_voucher(page, "A 2 · 2024-04-10")
    expect(page).to_have_url(re.compile(r"[?&]after=2024-03-05\.A\.1\."))
    expect_document_rendered(page, company, documents["A2"])
    expect_prefetch(page, company, documents["A3"])

    page.keyboard.press("ArrowLeft")
    expect_voucher(page, "A 1 · 2024-03-05")
    expect(page).to_have_url(re.compile(r"[?&]before=2024-04-10\.A\.2\."))
    expect_document_rendered(page, company, documents["A1"])

    # Reviewed: the count goes up and the card moves on to the next voucher.
    page.get_by_test_id("mark-reviewed").click()
    expect(page.get_by_test_id("review-progress")).to_contain_text("1 / 4 granskade")
    expect_voucher(page, "A 2 · 2024-04-10")
    expect(page).to_have_url(re.compile(r"[?&]at=2024-04-10\.A\.2\."))

    # Flagged with a comment.
    page.get_by_label("Kommentar").fill("Saknar attest")
    page.get_by_test_id("mark-flagged").click()
    expect(page.get_by_test_id("review-progress")).to_contain_text("2 / 4 granskade")
    expect_voucher(page, "A 3 · 2024-04-11")
    expect(page).to_have_url(re.compile(r"[?&]at=2024-04-11\.A\.3\."))
    expect_prefetch(page, company, documents["B1"])

    # The last voucher has nothing to prefetch and no "next".
    page.keyboard.press("ArrowRight")
    expect_voucher(page, "B 1 · 2024-04-12")
    expect(page.locator("link[rel=prefetch]")).to_have_count(0)
    page.keyboard.press("ArrowRight")
    expect_voucher(page, "B 1 · 2024-04-12")

    # A reload keeps the state: the count, the verdicts and the comment.
    page.reload()
    expect_voucher(page, "B 1 · 2024-04-12")
    expect(page.get_by_test_id("review-progress")).to_contain_text("2 / 4 granskade")
    page.keyboard.press("ArrowLeft")
    expect_voucher(page, "A 3 · 2024-04-11")
    page.keyboard.press("ArrowLeft")
    expect_voucher(page, "A 2 · 2024-04-10")
    expect(page.get_by_test_id("review-state")).to_have_text("Flaggad: Saknar attest")
    page.keyboard.press("ArrowLeft")
    expect_voucher(page, "A 1 · 2024-03-05")
    expect(page.get_by_test_id("review-state")).to_have_text("Granskad")
    screenshot("review-after-reload")

    # The browser's back button walks back through the vouchers too, with the current marks.
    page.go_back()
    expect_voucher(page, "A 2 · 2024-04-10")
    expect(page).to_have_url(re.compile(r"[?&]before=2024-04-11\.A\.3\."))
    expect(page.get_by_test_id("review-state")).to_have_text("Flaggad: Saknar attest")
    page.get_by_test_id("mark-reviewed").click()  # change the flag to reviewed: on to A 3
    expect_voucher(page, "A 3 · 2024-04-11")
    page.go_back()
    expect_voucher(page, "A 2 · 2024-04-10")
    # Not a stale copy: reviewed now, keeping the comment the form was prefilled with.
    expect(page.get_by_test_id("review-state")).to_have_text("Granskad: Saknar attest")
    expect(page.get_by_test_id("review-progress")).to_contain_text("2 / 4 granskade")
    page.keyboard.press("ArrowRight")  # one step, however often the page was restored
    expect_voucher(page, "A 3 · 2024-04-11")
    page.wait_for_timeout(300)
    expect_voucher(page, "A 3 · 2024-04-11")

    # Leaving for another tab and coming back shows the whole page, not a bare card.
    page.get_by_role("link", name="Bokföring", exact=True).click()
    expect(page.get_by_role("link", name="Bokföring", exact=True)).to_have_attribute("aria-current", "page")
    page.go_back()
    expect(page.get_by_role("heading", name="Fakturagranskning")).to_be_visible()
    expect(page.get_by_test_id("company-name")).to_have_text(company.name)
    expect_voucher(page, "A 3 · 2024-04-11")

    assert {(r.series, r.number, r.status, r.comment) for r in VoucherReview.objects.all()} == {
        ("A", "1", ReviewStatus.REVIEWED, ""),
        ("A", "2", ReviewStatus.REVIEWED, "Saknar attest"),
    }
    assert {r.user_id for r in VoucherReview.objects.all()} == {world.accountant_a.pk}


def touch(card, kind: str, x: float, y: float) -> None:
    """Dispatch a real TouchEvent on the card (review.js listens on the document)."""
    card.evaluate(
        """(el, [kind, x, y]) => {
            const t = new Touch({identifier: 1, target: el, clientX: x, clientY: y});
            const list = kind === "touchend" ? [] : [t];
            el.dispatchEvent(new TouchEvent(kind, {
                bubbles: true, cancelable: true, touches: list, targetTouches: list, changedTouches: [t],
            }));
        }""",
        [kind, x, y],
    )


def test_swipe_left_on_a_phone_shows_the_next_voucher(browser, live_server, review_setup):
    world, company, _year, documents = review_setup
    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, world.accountant_a.email)
        open_review(page, company)
        expect_voucher(page, "A 1 · 2024-03-05")
        expect_document_rendered(page, company, documents["A1"])
        expect_prefetch(page, company, documents["A2"])
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the review page scrolls sideways by {overflow}px at 390px"

        card = page.get_by_test_id("review-card")
        # A mostly vertical drag is a scroll, not a swipe.
        touch(card, "touchstart", 200, 300)
        touch(card, "touchend", 150, 500)
        page.wait_for_timeout(300)
        expect_voucher(page, "A 1 · 2024-03-05")

        touch(card, "touchstart", 320, 400)
        touch(card, "touchend", 60, 410)
        expect_voucher(page, "A 2 · 2024-04-10")
        expect(page).to_have_url(re.compile(r"[?&]after=2024-03-05\.A\.1\."))
        expect_document_rendered(page, company, documents["A2"])
        expect_prefetch(page, company, documents["A3"])
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the review page scrolls sideways by {overflow}px at 390px"

        # And a swipe right goes back (on the freshly swapped card).
        card = page.get_by_test_id("review-card")
        touch(card, "touchstart", 60, 400)
        touch(card, "touchend", 320, 390)
        expect_voucher(page, "A 1 · 2024-03-05")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "review-mobile.png"), full_page=True)
    finally:
        context.close()
