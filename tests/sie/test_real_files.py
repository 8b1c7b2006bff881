"""The real SIE files in shared/data/sie: read, counted and balanced independently of the reader."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerport import sie
from ledgerport.sie import FiscalYear, Row, RowChange

SIE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "sie"
FILES = sorted(p.name for p in SIE_DIR.glob("*") if p.name != "PROVENANCE.md") if SIE_DIR.is_dir() else []
SIE4_FILES = [name for name in FILES if not name.endswith(".sie")]

pytestmark = pytest.mark.skipif(not FILES, reason="shared/data/sie not present")


def _path(name: str) -> Path:
    return SIE_DIR / name


def _provenance() -> dict[str, tuple[int, str]]:
    """file name -> (size, sha256) from the PROVENANCE.md table."""
    out = {}
    for line in (SIE_DIR / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 9 and re.fullmatch(r"[0-9a-f]{64}", cells[-1]):
            out[cells[0]] = (int(cells[-2]), cells[-1])
    return out


def _count(name: str, label: str) -> int:
    """Like grep -c '^\\s*#LABEL\\b' on the raw bytes: independent of the reader."""
    pattern = re.compile(rb"^[ \t]*" + label.encode() + rb"(?=[ \t\r\n]|$)", re.MULTILINE)
    return len(pattern.findall(_path(name).read_bytes()))


def test_provenance_lists_every_file_and_hashes_match() -> None:
    table = _provenance()
    assert sorted(table) == FILES
    for name, (size, digest) in table.items():
        data = _path(name).read_bytes()
        assert len(data) == size, name
        assert hashlib.sha256(data).hexdigest() == digest, name


@pytest.mark.parametrize("name", FILES)
def test_every_file_reads_leniently_without_errors(name: str) -> None:
    doc = sie.read(_path(name))
    assert doc.errors == [], doc.errors
    assert all(p.line >= 0 for p in doc.problems)
    if b"#KSUMMA" in _path(name).read_bytes():
        assert doc.checksum == "ok"
    else:
        assert doc.checksum == "absent"


@pytest.mark.parametrize("name", SIE4_FILES)
def test_voucher_and_row_counts_match_a_line_scan(name: str) -> None:
    with sie.SieReader.open(_path(name)) as reader:
        vouchers = list(reader)
    assert reader.stats.vouchers == len(vouchers) == _count(name, "#VER")
    # final state = the #TRANS rows (an #RTRANS is followed by its own #TRANS)
    assert reader.stats.rows == sum(len(v.rows) for v in vouchers) == _count(name, "#TRANS")
    changes = sum(len(v.changes) for v in vouchers)
    assert changes == _count(name, "#RTRANS") + _count(name, "#BTRANS")
    assert reader.stats.unbalanced == 0  # PROVENANCE.md: all vouchers balance


# Literal figures, from grep -c '^\s*#VER' / '^\s*#TRANS' / '^#KONTO' on each file, and the
# type / #RAR lines read by eye.
EXPECTED = {
    "visma-administration-2000_typ4_SIE4-Exempelfil.SE": ("4E", 295, 1330, 530),
    "avendo-5.10_typ4_sie4.SE": ("4E", 20, 76, 565),
    "fortnox-bokforing-2.0.0_typ4_Sie4.si": ("4E", 165, 869, 133),
    "edison-ekonomi-byra-4.9G_typ4_typ4.se": ("4E", 81, 287, 299),
    "e-conomic-1.0_typ4_sie-gruppen-e-conomic.se": ("4E", 57, 160, 407),
    "es-kassasystem-7_typ4I_Transaktioner-per-Z-rapport.se": ("4I", 10, 83, 11),
    "visma-fakturering-5.11_typ4I_FAKT.SI": ("4I", 1, 3, 3),
    "bl-administration-2011_typ4I_BL0001_typ4I.SI": ("4I", 1, 10, 0),
    "bl-administration-2011_typ1_BL0001_typ1.SE": ("1", 0, 0, 117),
    "bl-administration-2011_typ2_BL0001_typ2.SE": ("2", 0, 0, 117),
    "bl-administration-2011_typ3_BL0001_typ3.SE": ("3", 0, 0, 117),
    "magenta-bokforing-2011_typ2_magenta_SIE2.se": ("2", 0, 0, 136),
    "visma-compact-6.00_typ1_ksumma_Sie1.se": ("1", 0, 0, 301),
    "sie5_SampleEntry.sie": ("5", 0, 0, 2),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_literal_counts(name: str) -> None:
    sie_type, vouchers, rows, accounts = EXPECTED[name]
    doc = sie.read(_path(name))
    assert doc.sie_type == sie_type
    assert len(doc.vouchers) == vouchers
    assert sum(len(v.rows) for v in doc.vouchers) == rows
    assert len(doc.header.accounts) == accounts


def _independent_movements(name: str) -> dict[str, Decimal]:
    """Sum #TRANS amounts per account with a plain regex (files whose object lists have no '}' inside)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    trans = re.compile(rb'^[ \t]*#TRANS[ \t]+"?(\d+)"?[ \t]+\{[^}]*\}[ \t]+"?(-?[0-9.]+)', re.MULTILINE)
    for account, amount in trans.findall(_path(name).read_bytes()):
        sums[account.decode()] += Decimal(amount.decode())
    return dict(sums)


@pytest.mark.parametrize(
    "name",
    [
        "visma-administration-2000_typ4_SIE4-Exempelfil.SE",
        "fortnox-bokforing-2.0.0_typ4_Sie4.si",
        "edison-ekonomi-byra-4.9G_typ4_typ4.se",
        "es-kassasystem-7_typ4I_Transaktioner-per-Z-rapport.se",
    ],
)
def test_movements_match_an_independent_sum(name: str) -> None:
    doc = sie.read(_path(name))
    result = sie.BalanceCalculator(doc.header, 0).add_all(doc.vouchers).result()
    expected = _independent_movements(name)
    assert expected
    for account, total in expected.items():
        assert result[account].movement == total, account


def test_exempelfil_closing_balances_match_the_files_own_ub_and_res() -> None:
    # The official example is internally consistent: IB + vouchers = UB / RES for every account.
    doc = sie.read(_path("visma-administration-2000_typ4_SIE4-Exempelfil.SE"))
    result = sie.BalanceCalculator(doc.header, 0).add_all(doc.vouchers).result()
    declared = [b for b in result.values() if b.declared_closing is not None]
    assert len(declared) == 85
    assert all(b.closing == b.declared_closing for b in declared)
    # Checked by hand: #IB 0 1930 and the #TRANS rows on 1930 (grep '#TRANS 1930').
    assert result["1930"].closing == result["1930"].declared_closing


# --- deviations listed in PROVENANCE.md -----------------------------------------------------


def test_avendo_quoted_dimension_numbers_and_tabs() -> None:
    doc = sie.read(_path("avendo-5.10_typ4_sie4.SE"))
    objects = {row.objects for v in doc.vouchers for row in v.rows}
    assert (("1", "Syd"), ("7", "104")) in objects
    assert doc.header.currency == "SEK"
    assert {d for d, _ in doc.header.objects} == {"1", "7"}


def test_avendo_rtrans_btrans_voucher_b14() -> None:
    doc = sie.read(_path("avendo-5.10_typ4_sie4.SE"))
    (voucher,) = [v for v in doc.vouchers if (v.series, v.number) == ("B", "14")]
    assert [(r.account, r.amount) for r in voucher.rows] == [
        ("2641", Decimal("16.81")),
        ("1920", Decimal("-157.00")),
        ("7690", Decimal("140.19")),
    ]
    assert voucher.balanced
    assert voucher.changes == [
        RowChange("removed", Row("1910", (), Decimal("-157.00")), 1),
        RowChange("added", Row("1920", (), Decimal("-157.00")), 1),
    ]


def test_visma_compact_tab_separated_fields_and_checksum() -> None:
    doc = sie.read(_path("visma-compact-6.00_typ1_ksumma_Sie1.se"))
    assert doc.checksum == "ok"
    assert doc.header.program == sie.Program("Visma Compact", "6.00")
    assert doc.header.accounts["1010"].name == "Balanserade utgifter"
    assert doc.header.accounts["1010"].sru == ["7201"]
    assert doc.header.address == sie.Address("", "", "200 10  MALMÖ", "040-6931320")


def test_e_conomic_empty_series_with_number() -> None:
    doc = sie.read(_path("e-conomic-1.0_typ4_sie-gruppen-e-conomic.se"))
    assert (doc.vouchers[0].series, doc.vouchers[0].number) == ("", "1")
    assert doc.vouchers[0].date == date(2010, 1, 4)
    assert any(row.objects == (("6", "103"),) for v in doc.vouchers for row in v.rows)
    # voucher 19 has no '{' line: read anyway, with a warning on that line
    assert any(p.code == "syntax" and p.line == 1461 for p in doc.warnings)


def test_fakt_si_series_with_empty_number_and_empty_transdat() -> None:
    doc = sie.read(_path("visma-fakturering-5.11_typ4I_FAKT.SI"))
    (voucher,) = doc.vouchers
    assert (voucher.series, voucher.number) == ("B", "")
    assert voucher.rows[0] == Row("1510", (), Decimal("8000.00"), None, "Faktnr: 891, Namn: Karl Svensson")
    assert doc.header.accounts["1510"].name == "Kundfordringar"
    assert doc.header.company_id is not None
    assert doc.header.company_id.startswith("C:\\Documents and Settings\\")


def test_bl_4i_rar_without_dates_and_no_accounts() -> None:
    doc = sie.read(_path("bl-administration-2011_typ4I_BL0001_typ4I.SI"))
    assert doc.header.fiscal_years == {0: FiscalYear(0, None, None)}
    assert (doc.vouchers[0].series, doc.vouchers[0].number) == ("", "0")
    assert doc.header.accounts == {}
    assert doc.problems == []


def test_latin1_byte_in_cp437_object_number_is_kept_opaque() -> None:
    doc = sie.read(_path("bl-administration-2011_typ3_BL0001_typ3.SE"))
    obj = doc.header.objects[("6", "┼1")]
    assert obj.number.encode("cp437") == b"\xc51"  # the original bytes
    assert obj.name == "årsta"
    assert [(p.line, p.code) for p in doc.warnings] == [(40, "latin1-byte")]


def test_exempelfil_backslashes_and_latin1_byte_in_fnr() -> None:
    doc = sie.read(_path("visma-administration-2000_typ4_SIE4-Exempelfil.SE"))
    assert doc.header.company_id == "C:\\ProgramData\\SPCS\\SPCS Administration\\F÷retag\\Ovnbol2000"
    assert doc.header.flag == 1
    assert any(p.code == "latin1-byte" and p.line == 7 for p in doc.warnings)
    objects = {row.objects for v in doc.vouchers for row in v.rows}
    assert (("1", "Nord"), ("6", "0001")) in objects  # unquoted, leading zeros kept


def test_edison_series_zero_and_column_alignment() -> None:
    doc = sie.read(_path("edison-ekonomi-byra-4.9G_typ4_typ4.se"))
    assert (doc.vouchers[0].series, doc.vouchers[0].number) == ("0", "1")
    assert doc.vouchers[0].rows[0] == Row("2099", (), Decimal("193179.00"), date(2012, 1, 1))
    assert doc.header.fiscal_years[-1] == FiscalYear(-1, date(2011, 1, 1), date(2011, 12, 31))
    assert doc.header.orgnr_extra == ("1",)


def test_fortnox_empty_orgnr_and_blank_address() -> None:
    doc = sie.read(_path("fortnox-bokforing-2.0.0_typ4_Sie4.si"))
    assert doc.header.orgnr == ""
    assert doc.header.address == sie.Address("", "", " ", "")
    assert doc.header.coverage_date == date(1970, 1, 1)
    assert (doc.vouchers[0].series, doc.vouchers[0].number) == ("A", "1")


def test_es_kassasystem_leading_blank_in_text() -> None:
    doc = sie.read(_path("es-kassasystem-7_typ4I_Transaktioner-per-Z-rapport.se"))
    assert doc.vouchers[0].text == " nr. 64"
    assert doc.vouchers[0].registered == date(2021, 5, 5)
    assert doc.header.orgnr == "5555555555"


def test_magenta_leading_zero_accounts_and_prosa() -> None:
    doc = sie.read(_path("magenta-bokforing-2011_typ2_magenta_SIE2.se"))
    assert "0351" in doc.header.accounts
    assert doc.header.program == sie.Program("Magenta Bokföring", "2011:1")
    assert len(doc.header.prosa) == 3
    assert any(b.kind == "PSALDO" for b in doc.header.balances)


def test_sie5_sample_entry() -> None:
    doc = sie.read(_path("sie5_SampleEntry.sie"))
    assert doc.sie_type == "5"
    assert doc.encoding == "utf-8"
    assert doc.header.program == sie.Program("Anonymous software Ltd", "0.0.007B")
    assert doc.header.company_name == "Universal Exports AB"
    assert doc.header.orgnr == "56334-3689"
    assert {n: (a.name, a.type) for n, a in doc.header.accounts.items()} == {
        "1910": ("Kassa", "T"),
        "1930": ("Bank", "T"),
    }
    assert doc.problems == []


@pytest.mark.parametrize("name", FILES)
def test_round_trip_every_real_file(name: str) -> None:
    doc = sie.read(_path(name))
    again = sie.read(sie.dumps(doc, checksum=True))
    assert again.checksum == "ok"
    assert again.errors == []
    if doc.sie_type == "5":  # the SIE 4 copy has the SIE 4 header records SIE 5 lacks
        assert again.header.accounts == doc.header.accounts
        assert (again.header.company_name, again.header.orgnr) == (doc.header.company_name, doc.header.orgnr)
        assert again.vouchers == doc.vouchers
    else:
        assert again == doc
