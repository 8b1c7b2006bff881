"""Writes for identity: users and their personnummer."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from . import personnummer
from .models import User, normalize_email


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


def user_create_client(
    *,
    email: str,
    full_name: str = "",
    password_hash: str | None = None,
    personnummer_ciphertext: str = "",
    personnummer_digest: str = "",
) -> User:
    """A client user created by accepting an invitation: with a personnummer (copied encrypted,
    as the invitation holds it; logs in with BankID, no password) or without one (marked
    `no_swedish_personnummer`; logs in with the password hash given and a one-time code)."""
    user = User(
        email=normalize_email(email),
        full_name=full_name,
        personnummer_ciphertext=personnummer_ciphertext,
        personnummer_digest=personnummer_digest or None,
        no_swedish_personnummer=not personnummer_digest,
    )
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.save()
    return user


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language the person chose (their mail is written in it)."""
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
