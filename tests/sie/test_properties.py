"""Property tests: any bytes are safe to read; generated documents survive write -> read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerport import sie
from ledgerport.sie import (
    Account,
    Balance,
    Dimension,
    FiscalYear,
    Program,
    Row,
    RowChange,
    SieDocument,
    SieHeader,
    SieObject,
    Voucher,
)

# --- arbitrary input ------------------------------------------------------------------------

SIE_ISH = st.lists(
    st.sampled_from(
        [
            b"#VER A 1 20240101",
            b"{",
            b"}",
            b"#TRANS 1930 {} 1",
            b'#TRANS 1 {1 "x} 2',
            b"#KSUMMA",
            b"#KSUMMA 1",
            b"#RAR 0",
            b'"',
            b"#IB x y z",
            b"\xef\xbb\xbf",
            b"\x86\x84\x94",
            b"\xc3\xa5",
            b"#RTRANS 1 {} 1",
            b"#BTRANS",
            b"#PSALDO 0 2024 1 {} 1",
            b"#OBJEKT",
            b"<",
            b"\t",
            b"#FORMAT PC8",
            b'\\"',
            b"\x00",
        ]
    ).map(lambda b: b + b"\n")
    | st.binary(max_size=40),
    max_size=30,
).map(b"".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | SIE_ISH)
def test_any_bytes_give_a_model_or_problems_with_lines(data: bytes) -> None:
    doc = sie.read(data)
    assert isinstance(doc, SieDocument)
    assert all(isinstance(p.line, int) and p.line >= 0 for p in doc.problems)
    try:
        sie.read(data, strict=True)
    except sie.SieError as error:
        assert error.line >= 0
        assert error.message


# --- generated documents --------------------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ019 åäöÅÄÖé\"'\\-_.,:;/{}#")), max_size=20).filter(
    lambda s: not s.endswith("\\")
)  # a quoted value cannot end in a backslash (spec)
IDENT = st.text(alphabet=st.sampled_from(list("ABC0123456789åÖ")), min_size=1, max_size=6)
ACCOUNT = st.integers(1000, 8999).map(str)
AMOUNT = st.integers(-(10**9), 10**9).map(lambda cents: Decimal(cents).scaleb(-2))
DAY = st.dates(date(2000, 1, 1), date(2030, 12, 31))
OBJECTS = st.lists(st.tuples(st.sampled_from(["1", "2", "6", "20"]), IDENT | st.just("P 1")), max_size=3).map(
    tuple
)


@st.composite
def rows(draw: st.DrawFn) -> list[Row]:
    amounts = draw(st.lists(AMOUNT, min_size=1, max_size=5))
    amounts.append(-sum(amounts, Decimal(0)))
    out = []
    for amount in amounts:
        out.append(
            Row(
                draw(ACCOUNT),
                draw(OBJECTS),
                amount,
                draw(st.none() | DAY),
                draw(TEXT),
                draw(st.none() | AMOUNT),
                draw(st.sampled_from(["", "Kalle", "Åsa Ö"])),
            )
        )
    return out


@st.composite
def vouchers(draw: st.DrawFn) -> Voucher:
    final = draw(rows())
    changes = []
    if draw(st.booleans()):
        changes.append(RowChange("removed", draw(rows())[0], draw(st.integers(0, len(final)))))
    if draw(st.booleans()):
        position = draw(st.integers(0, len(final) - 1))
        changes.append(RowChange("added", final[position], position))
    changes.sort(key=lambda change: change.position)
    return Voucher(
        draw(st.sampled_from(["", "A", "B", "LEV1", "0"])),
        draw(st.sampled_from(["", "1", "17", "0042"])),
        draw(DAY),
        draw(TEXT),
        draw(st.none() | DAY),
        draw(st.sampled_from(["", "Kalle"])),
        final,
        changes,
    )


@st.composite
def documents(draw: st.DrawFn) -> SieDocument:
    header = SieHeader(
        flag=draw(st.sampled_from([0, 1])),
        program=Program(draw(TEXT), draw(TEXT)),
        generated=draw(DAY),
        generated_by=draw(TEXT),
        declared_type=draw(st.sampled_from(["1", "2", "3", "4"])),
        prosa=draw(st.lists(TEXT, max_size=2)),
        company_type=draw(st.none() | st.just("AB")),
        company_id=draw(st.none() | TEXT),
        orgnr=draw(st.none() | st.just("555555-5555")),
        company_name=draw(TEXT),
        tax_year=draw(st.none() | st.integers(1990, 2040)),
        coverage_date=draw(st.none() | DAY),
        chart_type=draw(st.none() | st.just("EUBAS97")),
        currency=draw(st.none() | st.just("SEK")),
    )
    for index in draw(st.lists(st.integers(-3, 0), unique=True, max_size=3)):
        start = draw(st.none() | DAY)
        header.fiscal_years[index] = FiscalYear(
            index, start, start and draw(st.dates(start, date(2031, 1, 1)))
        )
    for number in draw(st.lists(ACCOUNT, unique=True, max_size=6)):
        header.accounts[number] = Account(
            number,
            draw(TEXT),
            draw(st.sampled_from([None, "T", "S", "K", "I"])),
            draw(st.none() | st.just("st")),
            draw(st.lists(st.sampled_from(["7201", "7214"]), max_size=2)),
        )
    for number in draw(st.lists(st.sampled_from(["1", "2", "6", "20"]), unique=True, max_size=3)):
        header.dimensions[number] = Dimension(number, draw(TEXT), draw(st.none() | st.just("1")))
    for dim, obj in draw(st.lists(st.tuples(st.sampled_from(["1", "6"]), IDENT), unique=True, max_size=4)):
        header.objects[(dim, obj)] = SieObject(dim, obj, draw(TEXT))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["IB", "UB", "RES", "OIB", "OUB", "PSALDO", "PBUDGET"]))
        header.balances.append(
            Balance(
                kind,
                draw(st.integers(-2, 0)),
                draw(ACCOUNT),
                draw(AMOUNT),
                draw(st.none() | AMOUNT),
                draw(OBJECTS) if kind not in ("IB", "UB", "RES") else (),
                draw(st.sampled_from(["202401", "202312"])) if kind in ("PSALDO", "PBUDGET") else None,
            )
        )
    return SieDocument(header, draw(st.lists(vouchers(), max_size=4)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.booleans())
def test_write_read_round_trip(doc: SieDocument, checksum: bool) -> None:
    written = sie.dumps(doc, checksum=checksum)
    again = sie.read(written, strict=True)
    assert again == doc
    assert again.checksum == ("ok" if checksum else "absent")
    assert again.encoding in ("cp437", "ascii")
    assert b"\r\n" in written and b"\n" not in written.replace(b"\r\n", b"")


def test_writer_replaces_characters_cp437_cannot_hold() -> None:
    doc = SieDocument(SieHeader(company_name="Euro € AB", generated=date(2024, 1, 1)))
    problems = sie.write(doc, __import__("io").BytesIO())
    assert [p.code for p in problems] == ["not-cp437"]
    assert sie.read(sie.dumps(doc)).header.company_name == "Euro ? AB"
    try:
        sie.dumps(doc, strict=True)
    except sie.SieError as error:
        assert "CP437" in error.message
    else:  # pragma: no cover
        raise AssertionError("strict writer accepted a non-CP437 character")
