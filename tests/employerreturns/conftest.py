"""A Norwegian company of firm A (Fjordlys Rådgivning AS, the sandbox's seeded Altinn reportee
with an approved system user), the providers pointed at the test's sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import CompanyFactory

ORGNR = "923609016"
CSV = Path(__file__).resolve().parents[1] / "amelding" / "files" / "fjordlys-2026-11.csv"


@pytest.fixture
def at_sandbox(settings, providers_at_sandbox):
    sandbox = providers_at_sandbox
    settings.NO_SYNTHETIC_PERSONS = True
    sandbox.control("altinn/amelding", feedback_delay=0)
    return sandbox


@pytest.fixture
def fjordlys(world):
    return CompanyFactory(firm=world.firm_a, name="Fjordlys Rådgivning AS", country="NO", orgnr=ORGNR)


@pytest.fixture
def csv_bytes():
    return CSV.read_bytes()
