"""A re-import leaves the vouchers stored unchanged unparsed (raw fingerprints, reimport.py).

Each test checks that the reader did skip what it should, and that the year ends as a full
import of the same file into another company leaves its own: the vouchers, sums, balances,
counts, and the issues and warnings with their lines. Runs on SQLite and, with DATABASE_URL
set, on PostgreSQL; needs the C scanner (make install).
"""

from __future__ import annotations

import io

import pytest

from ledgerport.ledger.importer import import_sie
from ledgerport.ledger.models import FiscalYear, Voucher
from ledgerport.sie import reader as reader_module
from ledgerport.sie.reader import SieReader
from ledgerport.tenancy.services import company_create
from tests.ledger.conftest import VISMA_ORGNR
from tests.ledger.test_period_sums import snapshot

pytestmark = pytest.mark.skipif(reader_module.SCANNER is None, reason="C scanner not built (make install)")

HEAD = (
    f"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#ORGNR {VISMA_ORGNR}\r\n#RAR 0 20240101 20241231\r\n"
    '#KONTO 1930 "Bank"\r\n#KONTO 3001 "Försäljning"\r\n'
)


def block(series: str, number: int | str, amount: str = "100.00", *, text: str = "Sålt") -> str:
    return (
        f'#VER {series} {number} 20240315 "{text}"\r\n{{\r\n#TRANS 1930 {{}} {amount}\r\n'
        f"#TRANS 3001 {{}} -{amount}\r\n}}\r\n"
    )


# The first vouchers are read before the importer knows the stored ones: enough others after.
BASE = [block("A", n, f"{n}.00") for n in range(1, 41)]


@pytest.fixture
def other_company(world):
    return company_create(firm=world.firm_b, name="Jämförelse AB", orgnr=VISMA_ORGNR)


@pytest.fixture
def readers(monkeypatch):
    """The readers that skipped, as the imports leave them."""
    found: list[SieReader] = []
    original = SieReader.skip_known

    def recording(self, known, claims):
        found.append(self)
        return original(self, known, claims)

    monkeypatch.setattr(SieReader, "skip_known", recording)
    return found


def load(company, blocks, source="sie"):
    data = (HEAD + "".join(blocks)).encode("cp437")
    with io.BytesIO(data) as stream:
        return import_sie(company=company, stream=stream, source=source, file_name="t.se", replace=True)


def year_of(company):
    return FiscalYear.objects.get(company=company, start="2024-01-01")


def state(company):
    year = year_of(company)
    return snapshot(year), year.voucher_issues, year.warnings


def assert_as_full_import(company, other, blocks, source="sie"):
    load(other, blocks, source)
    assert state(company) == state(other)


def test_a_resync_parses_only_what_changed(visma_company, other_company, readers):
    load(visma_company, BASE)
    ids = dict(Voucher.objects.filter(fiscal_year=year_of(visma_company)).values_list("number", "id"))
    changed = list(BASE)
    changed[30] = block("A", 31, "31.50")  # edited
    del changed[35]  # removed
    changed.append(block("B", 1))  # added
    result = load(visma_company, changed)
    [reader] = readers
    assert len(reader.skipped) >= 20 and reader.skipped_rows == 2 * len(reader.skipped)
    assert {ids[str(n)] for n in range(17, 31)} <= set(reader.skipped)  # not parsed, kept
    assert result.vouchers == 40 and result.rows == 80 and result.rows_written == 4
    assert ids["31"] not in reader.skipped
    assert_as_full_import(visma_company, other_company, changed)


def test_a_skipped_voucher_s_number_repeated_by_a_parsed_one_is_listed(visma_company, other_company, readers):
    load(visma_company, BASE)
    # A parsed voucher A 25 before the stored one (skipped), and one A 30 after its original.
    changed = [*BASE[:20], block("A", 25, "1.00"), *BASE[20:], block("A", 30, "2.00")]
    load(visma_company, changed)
    [reader] = readers
    assert reader.skipped
    issues = year_of(visma_company).voucher_issues
    assert issues["duplicate_count"] == 2
    assert_as_full_import(visma_company, other_company, changed)


def test_the_same_text_twice_and_the_same_content_written_otherwise(visma_company, other_company, readers):
    load(visma_company, BASE)
    # Voucher 30 quoted (the same content, another text) before it, and its text twice.
    quoted = block("A", 30, "30.00").replace("#VER A 30", '#VER "A" "30"')
    changed = [*BASE[:25], quoted, *BASE[25:30], BASE[29], *BASE[30:]]
    load(visma_company, changed)
    [reader] = readers
    assert reader.skipped
    numbers = list(
        Voucher.objects.filter(fiscal_year=year_of(visma_company)).values_list("number", flat=True)
    )
    assert numbers.count("30") == 3
    assert_as_full_import(visma_company, other_company, changed)


def test_stored_repeated_numbers_turn_the_shortcut_off(visma_company, other_company, readers):
    twice = [*BASE, block("A", 7, "7.70")]
    load(visma_company, twice)
    assert year_of(visma_company).voucher_issues["duplicate_count"] == 1
    load(visma_company, twice)
    assert not readers  # nothing skipped: each voucher's number is checked as it is read
    assert_as_full_import(visma_company, other_company, twice)


def test_another_source_rewrites_every_voucher(visma_company, other_company):
    load(visma_company, BASE)
    result = load(visma_company, BASE, source="fortnox")
    assert result.rows_written == 80
    assert set(
        Voucher.objects.filter(fiscal_year=year_of(visma_company)).values_list("source", flat=True)
    ) == {"fortnox"}
    assert_as_full_import(visma_company, other_company, BASE, source="fortnox")
