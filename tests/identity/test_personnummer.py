from __future__ import annotations

import pytest
from stdnum.exceptions import ValidationError

from ledgerport.identity import personnummer
from ledgerport.identity.selectors import user_by_personnummer
from ledgerport.identity.services import user_set_personnummer


def test_personnummer_is_encrypted_and_found_by_keyed_digest(world):
    user_set_personnummer(user=world.signatory_a1, number="19121212-1212")
    world.signatory_a1.refresh_from_db()
    assert "1212" not in world.signatory_a1.personnummer_ciphertext
    assert personnummer.decrypt(world.signatory_a1.personnummer_ciphertext) == "191212121212"
    # Any common way of writing the number finds the same person.
    assert user_by_personnummer("121212+1212") == world.signatory_a1  # "+": born 100+ years ago
    assert user_by_personnummer("121212-1212") is None  # a different person, born 2012
    assert user_by_personnummer("191212121212") == world.signatory_a1
    assert user_by_personnummer("19121212-1212") == world.signatory_a1


def test_digest_depends_on_the_key(settings):
    before = personnummer.digest("191212121212")
    settings.IDENTITY_HASH_KEY = "another key"
    assert personnummer.digest("191212121212") != before


def test_keys_rotate_old_ciphertexts_still_decrypt(settings):
    from cryptography.fernet import Fernet

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.IDENTITY_ENCRYPTION_KEYS = [old_key]
    token = personnummer.encrypt("191212121212")
    settings.IDENTITY_ENCRYPTION_KEYS = [new_key, old_key]
    assert personnummer.decrypt(token) == "191212121212"


def test_invalid_personnummer_is_refused():
    with pytest.raises(ValidationError):
        personnummer.digest("19121212-1213")
