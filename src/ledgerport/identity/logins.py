"""Logging a user in with the method named, so the audit trail can record how.

The method travels on the request (`request.login_method`) because Django's `user_logged_in`
signal fires inside `login()`, and the session may be flushed there; it is also kept in the
session for later pages."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest

from .models import User

BANKID = "bankid"
PASSWORD = "password"
PASSWORD_TOTP = "password+totp"
METHOD_SESSION_KEY = "login_method"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def mark_method(request: HttpRequest, method: str) -> None:
    """Name the method of the login about to happen (for `login()` called by Django's views)."""
    request.login_method = method  # type: ignore[attr-defined]


def login_as(request: HttpRequest, user: User, method: str) -> None:
    mark_method(request, method)
    login(request, user, backend=MODEL_BACKEND)
    request.session[METHOD_SESSION_KEY] = method


def login_method(request: HttpRequest) -> str:
    return str(getattr(request, "login_method", "") or request.session.get(METHOD_SESSION_KEY, ""))
