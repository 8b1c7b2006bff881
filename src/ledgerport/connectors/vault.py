"""Provider tokens encrypted at rest (keys: `CONNECTOR_TOKEN_KEYS`, rotatable)."""

from __future__ import annotations

from django.conf import settings

from ledgerport.core import crypto

PURPOSE = "connector-tokens"


def seal(token: str) -> str:
    return crypto.encrypt(token, keys=settings.CONNECTOR_TOKEN_KEYS, purpose=PURPOSE) if token else ""


def unseal(ciphertext: str) -> str:
    return (
        crypto.decrypt(ciphertext, keys=settings.CONNECTOR_TOKEN_KEYS, purpose=PURPOSE) if ciphertext else ""
    )
