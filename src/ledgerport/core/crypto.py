"""Symmetric encryption for secrets at rest (tokens, personnummer) with rotatable keys.

Keys are Fernet keys, newest first: encrypting uses the first, decrypting tries all, so a
key is rotated by prepending a new one and re-encrypting at leisure. Without configured
keys, one is derived from SECRET_KEY per purpose — enough for a demo and for tests.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def derived_key(purpose: str) -> bytes:
    return hashlib.sha256(f"ledgerport:{purpose}:{settings.SECRET_KEY}".encode()).digest()


def multifernet(keys: Sequence[str], purpose: str) -> MultiFernet:
    if not keys:
        keys = [base64.urlsafe_b64encode(derived_key(purpose)).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(plaintext: str, *, keys: Sequence[str], purpose: str) -> str:
    return multifernet(keys, purpose).encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str, *, keys: Sequence[str], purpose: str) -> str:
    return multifernet(keys, purpose).decrypt(ciphertext.encode()).decode()
