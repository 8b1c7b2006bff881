"""CI machines have a C compiler, so there the accelerator must have been built by `make install`:
a broken build would otherwise only show as skipped tests and a slow reader."""

from __future__ import annotations

import os

import pytest

from ledgerport.sie import reader


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI promises a C compiler")
def test_ci_builds_the_c_scanner() -> None:
    assert os.environ.get("LEDGERPORT_SIE_PURE", "") in ("", "0")
    assert reader.SCANNER is not None
