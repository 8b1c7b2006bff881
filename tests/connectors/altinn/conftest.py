"""A Norwegian company of firm A (Fjordlys Rådgivning AS, the sandbox's seeded Altinn reportee)."""

from __future__ import annotations

import pytest

from tests.factories import CompanyFactory

ORGNR = "923609016"
DATA_SYSTEM_ID = "41975"  # seeded in the sandbox for ORGNR


@pytest.fixture
def fjordlys(world):
    return CompanyFactory(firm=world.firm_a, name="Fjordlys Rådgivning AS", country="NO", orgnr=ORGNR)
