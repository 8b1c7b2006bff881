"""Reads for identity."""

from __future__ import annotations

from django.conf import settings

from . import personnummer
from .models import User, normalize_email


def user_by_personnummer(number: str) -> User | None:
    """The active user with this personnummer (for BankID), found by keyed digest."""
    return User.objects.filter(personnummer_digest=personnummer.digest(number), is_active=True).first()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email=normalize_email(email)).first()


def user_by_digest(digest: str) -> User | None:
    """The user whose personnummer has this keyed digest (an invitation's, BankID's answer's)."""
    return User.objects.filter(personnummer_digest=digest).first() if digest else None


def user_language(user: User) -> str:
    """The language to write to this person in (mail, background messages): the one they last
    chose in the language switcher, else the site's."""
    chosen = getattr(user, "language", "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
