"""The catalogues are complete: every Swedish and Norwegian message is translated."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


@pytest.mark.skipif(
    not shutil.which("xgettext"), reason="GNU gettext is needed to extract (.ci/run installs it)"
)
def test_every_message_in_the_source_is_in_the_catalogues(tmp_path):
    """Extract afresh (as `make messages-extract` does) into a copy and compare the ids."""
    copy = tmp_path / "ledgerport"
    shutil.copytree(LOCALE.parent, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        # The installed entry point, not `python -m`, which would put the copy's celery.py on sys.path.
        [
            Path(sys.executable).parent / "ledgerport",
            "makemessages",
            "-l",
            "sv",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ledgerport.settings"},
        check=True,
        capture_output=True,
    )
    with (copy / "locale" / "sv" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        extracted = {
            message.id if isinstance(message.id, str) else message.id[0] for message in read_po(handle)
        }
    for language in ("sv", "nb"):
        with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
            known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.string}
        assert sorted(extracted - known - {""}) == [], language
