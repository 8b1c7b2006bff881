"""Fixtures for the ledger: the real SIE sample files, a company whose orgnr matches."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.media import _media  # noqa: F401 (autouse: files under tmp)

REPO = Path(__file__).resolve().parents[2]
SIE_DIR = REPO.parent / "shared" / "data" / "sie"
VISMA = SIE_DIR / "visma-administration-2000_typ4_SIE4-Exempelfil.SE"
VISMA_ORGNR = "5555555555"


def declared_balances(path: Path, kind: str, year: int = 0) -> dict[str, Decimal]:
    """#UB / #RES / #IB of a file, read with a regex (independently of the SIE library)."""
    pattern = re.compile(rf"^\s*#{kind}\s+{year}\s+\"?(\d+)\"?\s+(-?[\d.]+)", re.MULTILINE)
    text = path.read_bytes().decode("cp437")
    found: dict[str, Decimal] = {}
    for number, amount in pattern.findall(text):
        found[number] = found.get(number, Decimal(0)) + Decimal(amount)
    return found


@pytest.fixture
def visma_company(world):
    """Firm A's client with the sample file's org number (555555-5555)."""
    from ledgerport.tenancy.services import company_create

    return company_create(firm=world.firm_a, name="Övningsbolaget AB", orgnr=VISMA_ORGNR)


@pytest.fixture
def imported(visma_company):
    """The sample file imported into `visma_company`; its 2021 fiscal year."""
    from ledgerport.ledger.models import FiscalYear
    from ledgerport.ledger.services import ledger_import_sie

    with VISMA.open("rb") as stream:
        ledger_import_sie(company=visma_company, stream=stream, file_name=VISMA.name)
    return FiscalYear.objects.get(company=visma_company, start="2021-01-01")
