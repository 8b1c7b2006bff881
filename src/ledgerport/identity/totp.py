"""The second factor of e-mail + password login: a TOTP code (django-otp).

Between the password and the code the user is not logged in: the session holds only who
passed the password and when, for a few minutes. Wrong codes are throttled by django-otp
(each failure doubles the wait), and the login itself is django's, so the session key rotates.
"""

from __future__ import annotations

import time
from base64 import b32encode

from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .logins import PASSWORD_TOTP, login_as
from .models import User

PENDING_KEY = "totp_pending"
PENDING_SECONDS = 300


def needs_second_factor(user: User) -> bool:
    """Users without a Swedish personnummer must give a code; so must anyone who set one up."""
    return user.no_swedish_personnummer or any(devices_for_user(user, confirmed=True))


def has_device(user: User) -> bool:
    return any(devices_for_user(user, confirmed=True))


def pending_set(request: HttpRequest, user: User, redirect_to: str) -> None:
    request.session[PENDING_KEY] = {"user": user.pk, "since": time.time(), "next": redirect_to}


def pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("since", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()


def pending_next(request: HttpRequest) -> str:
    pending = request.session.get(PENDING_KEY) or {}
    return str(pending.get("next") or "")


def verify(request: HttpRequest, user: User, token: str) -> tuple[bool, int]:
    """Check the code; on success log the user in. Returns (ok, seconds to wait if throttled)."""
    token = "".join(ch for ch in token if ch.isdigit())
    for device in devices_for_user(user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed:
            return False, _wait_seconds(data)
        if device.verify_token(token):
            request.session.pop(PENDING_KEY, None)
            login_as(request, user, PASSWORD_TOTP)
            otp_login(request, device)
            return True, 0
    return False, 0


def _wait_seconds(data: dict[str, object] | None) -> int:
    until = (data or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, int((until - timezone.now()).total_seconds()))  # type: ignore[operator]


def enrolment_key() -> str:
    """A new TOTP key (hex, 20 bytes as RFC 4226 recommends) for a device being enrolled."""
    return random_hex(20)


def enrolment_uri(email: str, key_hex: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code (django-otp builds it)."""
    return str(TOTPDevice(user=User(email=email), name="TOTP", key=key_hex).config_url)


def enrolment_secret(key_hex: str) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    secret = b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrolment_code_valid(key_hex: str, token: str) -> bool:
    """Whether `token` is the code for this key now (one step either way for clock drift)."""
    digits = "".join(ch for ch in token if ch.isdigit())
    if len(digits) != 6:
        return False
    return bool(TOTP(bytes.fromhex(key_hex)).verify(int(digits), tolerance=1))
