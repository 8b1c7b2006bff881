"""Encryption and keyed lookup of Swedish personal identity numbers.

Keys come from settings (`IDENTITY_ENCRYPTION_KEYS`, newest first, so a key can be rotated
by prepending a new one; `IDENTITY_HASH_KEY` for the lookup digest). Without configuration
both are derived from SECRET_KEY, which is enough for a demo and for tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from stdnum.se import personnummer


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"ledgerport:{purpose}:{settings.SECRET_KEY}".encode()).digest()


def _fernet() -> MultiFernet:
    keys = settings.IDENTITY_ENCRYPTION_KEYS or [base64.urlsafe_b64encode(_derived("personnummer"))]
    return MultiFernet([Fernet(k) for k in keys])


def normalize(number: str) -> str:
    """The canonical 12-digit form (YYYYMMDDNNNN); raises stdnum's ValidationError."""
    compact = personnummer.validate(number)
    birth = personnummer.get_birth_date(compact)
    return f"{birth:%Y%m%d}{compact[-4:]}"


def digest(number: str) -> str:
    key = settings.IDENTITY_HASH_KEY.encode() or _derived("personnummer-digest")
    return hmac.new(key, normalize(number).encode(), hashlib.sha256).hexdigest()


def encrypt(number: str) -> str:
    return _fernet().encrypt(normalize(number).encode()).decode()


def decrypt(ciphertext: str) -> str:
    return _fernet().decrypt(ciphertext.encode()).decode()
