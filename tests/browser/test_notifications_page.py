"""The demo's client opens all her notifications from the bell, at desktop width and at 390 px,
pages to the older ones and marks all as read."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from ledgerport.cases.models import Case, CaseEvent, CaseNotification
from ledgerport.demo.seed import CLIENT_USER, DEMO_PASSWORD, seed_demo
from ledgerport.identity.models import User
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    karin = User.objects.get(email=CLIENT_USER)
    case = Case.objects.get(title="Underlag till bokslutet")
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    # Older messages than the bell's ten: the page must reach them.
    CaseNotification.objects.bulk_create(
        CaseNotification(
            case=case, user=karin, event=CaseEvent.MESSAGE, created_at=start + datetime.timedelta(hours=i)
        )
        for i in range(30)
    )
    return CaseNotification.objects.filter(user=karin).count()


@pytest.mark.parametrize("size", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_all_notifications_from_the_bell(page, demo, size, screenshot):
    page.set_viewport_size(size)
    log_in(page, CLIENT_USER, DEMO_PASSWORD)
    page.get_by_test_id("bell").locator("summary").click()
    page.get_by_role("link", name="Alla notifikationer").click()
    expect(page.get_by_role("heading", name="Notifikationer", exact=True)).to_be_visible()
    items = page.get_by_test_id("feed-item")
    expect(items).to_have_count(25)
    expect(items.first).to_have_attribute("data-unread", "true")
    expect(items.first.get_by_text("Oläst")).to_be_visible()
    assert page.evaluate(SIDEWAYS) == []
    screenshot(f"notifications-{size['width']}")

    page.get_by_role("link", name="Äldre").click()
    expect(items).to_have_count(demo + 2 - 25)  # and the two "new documents" entries
    page.get_by_role("link", name="Nyaste").click()
    page.get_by_role("button", name="Markera alla som lästa").click()
    expect(page.get_by_text("Alla notifikationer är markerade som lästa.")).to_be_visible()
    expect(page.locator('[data-testid="feed-item"][data-unread="true"]')).to_have_count(0)
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    assert page.evaluate(SIDEWAYS) == []
