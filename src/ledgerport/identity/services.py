"""Writes for identity: users and their personnummer."""

from __future__ import annotations

from . import personnummer
from .models import User


def user_set_personnummer(*, user: User, number: str) -> User:
    """Store a personnummer for BankID login: encrypted, plus a keyed digest for lookup."""
    user.personnummer_ciphertext = personnummer.encrypt(number)
    user.personnummer_digest = personnummer.digest(number)
    user.save(update_fields=["personnummer_ciphertext", "personnummer_digest"])
    return user
