"""Reads for identity."""

from __future__ import annotations

from . import personnummer
from .models import User


def user_by_personnummer(number: str) -> User | None:
    """The active user with this personnummer (for BankID), found by keyed digest."""
    return User.objects.filter(personnummer_digest=personnummer.digest(number), is_active=True).first()
