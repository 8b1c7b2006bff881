"""The one way browser tests log in: through the login form, as a person does."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, email: str, password: str = PASSWORD, start: str = "/") -> None:
    """Log in and wait until the layout names the user (whichever page their role lands on, or
    `start`, a page that asks for login first, e.g. a link from an e-mail).
    A user with a TOTP device (a client without a Swedish personnummer) also types the code."""
    page.goto(start)
    expect(page.get_by_role("heading", name="Logga in", exact=True)).to_be_visible()
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    device = TOTPDevice.objects.filter(user__email=email.lower(), confirmed=True).first()
    if device is not None:
        expect(page.get_by_role("heading", name="Engångskod")).to_be_visible()
        page.get_by_label("Engångskod").fill(
            f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
        )
        page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
