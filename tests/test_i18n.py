"""The catalogues are complete: every Swedish and Norwegian message is translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "ledgerport" / "locale"


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_catalogue_has_no_untranslated_or_fuzzy_messages(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_compiled_catalogue_exists(language):
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists(), "run `make messages`"
