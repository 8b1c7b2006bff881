"""Writes for identity: users and their personnummer."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from . import personnummer
from .models import User


def user_set_personnummer(*, user: User, number: str) -> User:
    """Store a personnummer for BankID login: encrypted, plus a keyed digest for lookup."""
    user.personnummer_ciphertext = personnummer.encrypt(number)
    user.personnummer_digest = personnummer.digest(number)
    user.save(update_fields=["personnummer_ciphertext", "personnummer_digest"])
    return user


def user_set_totp(*, user: User, key_hex: str, name: str = "TOTP") -> TOTPDevice:
    """Give the user one confirmed TOTP device with this key (hex), replacing any it had."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=name, key=key_hex, confirmed=True)
