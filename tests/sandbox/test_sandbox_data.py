"""Unit tests of the generated data: documents are structurally valid, ledgers balance, SIE is sound."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.se import orgnr

from sandbox.core.files import make_jpeg, make_pdf, make_png
from sandbox.core.ledger import Ledger
from sandbox.core.sie import sie4
from sandbox.demo import COMPANIES, FISCAL_YEARS, USERS

PREV, CUR = FISCAL_YEARS


def test_demo_org_numbers_are_valid_and_logins_exist():
    for company in COMPANIES.values():
        assert orgnr.is_valid(company.orgnr), company
    assert COMPANIES["exempelbolaget"].orgnr == "556036-0793"
    assert COMPANIES["nordljus"].orgnr == "559141-9816"
    for provider, email in [
        ("fortnox", "admin@exempelbolaget.se"),
        ("fortnox", "byra@demo-redovisning.se"),
        ("spiris", "anna@nordljus.se"),
    ]:
        assert (provider, email) in USERS
    assert len(USERS[("fortnox", "byra@demo-redovisning.se")].memberships) > 1


def test_pdf_has_correct_xref_offsets():
    pdf = make_pdf(["Faktura 1234 Leverantör X 1 250,00 kr", "Rad två (med parentes)"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[startxref:].startswith(b"xref")
    entries = re.findall(rb"(\d{10}) 00000 n ", pdf[startxref:])
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset) :].startswith(f"{number} 0 obj".encode())
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", pdf).group(1))
    stream = pdf.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"endstream")
    assert "Leverantör".encode("cp1252") in pdf


def test_png_decodes():
    png = make_png("seed-1", 40, 30)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        chunks[kind] = data
        pos += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert (width, height) == (40, 30)
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (width + 1)
    assert make_png("seed-1", 40, 30) == png != make_png("seed-2", 40, 30)


def test_jpeg_structure():
    jpeg = make_jpeg("seed", 64, 80)
    assert jpeg.startswith(b"\xff\xd8\xff\xe0") and jpeg.endswith(b"\xff\xd9")
    sof = jpeg.index(b"\xff\xc0")
    assert struct.unpack(">HH", jpeg[sof + 5 : sof + 9]) == (80, 64)
    assert b"\xff\xc4" in jpeg and b"\xff\xda" in jpeg and b"\xff\xdb" in jpeg


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), vouchers=st.integers(0, 600), files=st.integers(0, 300))
def test_every_voucher_balances_and_sizes_are_exact(seed, vouchers, files):
    ledger = Ledger(COMPANIES["skargard"], seed, vouchers, files)
    assert len(ledger.vouchers) == vouchers
    assert sum(1 for f in ledger.files.values() if f.link_kind != "inbox") == (files if vouchers else 0)
    for v in ledger.vouchers:
        assert v.rows and sum(r.debit for r in v.rows) == sum(r.credit for r in v.rows) > 0
    keys = [v.key for v in ledger.vouchers]
    assert len(keys) == len(set(keys))
    for year in FISCAL_YEARS:
        ib, ub, res = ledger.balances(year)
        assert sum(ib.values()) == 0
        assert sum(ub.values()) + sum(res.values()) == 0


def test_ledger_is_deterministic():
    a = Ledger(COMPANIES["nordljus"], 7, 200, 50)
    b = Ledger(COMPANIES["nordljus"], 7, 200, 50)
    assert [(v.uid, v.text, v.rows) for v in a.vouchers] == [(v.uid, v.text, v.rows) for v in b.vouchers]
    assert [f.content for f in a.files.values()] == [f.content for f in b.files.values()]


def test_sie_opening_balances_follow_previous_year():
    ledger = Ledger(COMPANIES["exempelbolaget"], 1, 400, 100)
    text = sie4(ledger, CUR, program="Fortnox", generated=datetime(CUR, 3, 1, tzinfo=UTC)).decode("cp437")
    ib = {int(a): v for a, v in re.findall(r"#IB 0 (\d+) (-?[\d.]+)", text)}
    ub_prev = {int(a): v for a, v in re.findall(r"#UB -1 (\d+) (-?[\d.]+)", text)}
    assert ib[1930] == ub_prev[1930]
    assert f"#RAR -1 {PREV}0101 {PREV}1231" in text
