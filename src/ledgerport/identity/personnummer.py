"""Encryption and keyed lookup of Swedish personal identity numbers.

Keys come from settings (`IDENTITY_ENCRYPTION_KEYS`, rotatable, see `core.crypto`;
`IDENTITY_HASH_KEY` for the lookup digest), derived from SECRET_KEY when not configured.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from stdnum.se import personnummer

from ledgerport.core import crypto

PURPOSE = "personnummer"


def normalize(number: str) -> str:
    """The canonical 12-digit form (YYYYMMDDNNNN); raises stdnum's ValidationError."""
    compact = personnummer.validate(number)
    birth = personnummer.get_birth_date(compact)
    return f"{birth:%Y%m%d}{compact[-4:]}"


def digest(number: str) -> str:
    key = settings.IDENTITY_HASH_KEY.encode() or crypto.derived_key("personnummer-digest")
    return hmac.new(key, normalize(number).encode(), hashlib.sha256).hexdigest()


def encrypt(number: str) -> str:
    return crypto.encrypt(normalize(number), keys=settings.IDENTITY_ENCRYPTION_KEYS, purpose=PURPOSE)


def decrypt(ciphertext: str) -> str:
    return crypto.decrypt(ciphertext, keys=settings.IDENTITY_ENCRYPTION_KEYS, purpose=PURPOSE)
