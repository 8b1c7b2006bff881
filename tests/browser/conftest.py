"""Playwright (Python) driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.factories import build_world

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The widths every flow is run at (`viewport`, or a fixture parametrized indirectly).
VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="390px")]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still synchronous, so Django's async-safety guard is relaxed for browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.exit(f"Chromium not found at {CHROMIUM}; run: sudo apt-get install chromium", returncode=1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def open_page(browser, live_server):
    """Opens pages, each in a browser context of its own (one per person), in Swedish; all are
    closed after the test. `touch`: a phone's (mobile, touch); `app`: a page outside the product
    (the sandbox's BankID test app), so without the live server as its base URL."""
    contexts = []

    def open_(viewport: dict[str, int], *, touch: bool = False, app: bool = False) -> Page:
        context = browser.new_context(
            base_url=None if app else live_server.url,
            locale="sv-SE",
            viewport=viewport,
            is_mobile=touch,
            has_touch=touch,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(params=VIEWPORTS)
def viewport(request):
    return request.param


@pytest.fixture
def new_page(open_page, viewport):
    """Opens a page (one per person) at the test's `viewport`: desktop, and 390 px wide."""
    return lambda: open_page(viewport)


def watch_csp(violations: list[str], *pages: Page) -> list[str]:
    """Collect into `violations` what the pages' consoles report the Content Security Policy
    blocked (the product uses no inline script or style: the list should stay empty)."""
    for page in pages:
        page.on(
            "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None
        )
    return violations


@pytest.fixture
def world(transactional_db, settings, tmp_path, live_server, eager_tasks):
    """build_world() for pages served by the live server: files under tmp, mail links to the
    live server, Celery tasks run at once."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_URL = live_server.url
    return build_world()
