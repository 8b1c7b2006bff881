"""The second factor of e-mail + password login: a TOTP code (django-otp).

Between the password and the code the user is not logged in: the session holds only who
passed the password and when, for a few minutes. Wrong codes are throttled by django-otp
(each failure doubles the wait), and the login itself is django's, so the session key rotates.
"""

from __future__ import annotations

import time

from django.contrib.auth import login
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user
from django_otp import login as otp_login

from .models import User

PENDING_KEY = "totp_pending"
PENDING_SECONDS = 300
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


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
            login(request, user, backend=MODEL_BACKEND)
            otp_login(request, device)
            request.session["login_method"] = "password+totp"
            return True, 0
    return False, 0


def _wait_seconds(data: dict[str, object] | None) -> int:
    until = (data or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, int((until - timezone.now()).total_seconds()))  # type: ignore[operator]
