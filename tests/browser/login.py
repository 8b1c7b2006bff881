"""The one way browser tests log in: through the login form, as a person does."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in and wait until the layout names the user (whichever page their role lands on)."""
    page.goto("/")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
