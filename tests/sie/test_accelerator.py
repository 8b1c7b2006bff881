"""The optional C scanner (_fastsie.c) gives exactly what the pure-Python reader gives.

Every comparison reads the same bytes twice, with SieReader._scanner set to the C
scanner and to None (pure Python), and compares every voucher, row, problem (with its
line), the stats after each voucher, the header, checksum and encoding, down to the
exponent of each Decimal. Skipped when the extension is not built (`make install`).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, Inexact, Rounded, localcontext
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerport import sie
from ledgerport.sie import reader as reader_module
from ledgerport.sie.model import Row, SieDocument, Voucher
from ledgerport.sie.reader import SieReader

SIE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "sie"
FILES = sorted(p.name for p in SIE_DIR.glob("*") if p.name != "PROVENANCE.md") if SIE_DIR.is_dir() else []
SCANNER = reader_module.SCANNER

pytestmark = pytest.mark.skipif(
    SCANNER is None, reason="C scanner not built (make install) or LEDGERPORT_SIE_PURE is set"
)


def _properties_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "_sie_properties", Path(__file__).with_name("test_properties.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PROPERTIES = _properties_module()


@contextmanager
def _scanner(value: Any) -> Iterator[None]:
    saved = SieReader._scanner
    SieReader._scanner = value
    try:
        yield
    finally:
        SieReader._scanner = saved


def _decimal(value: Decimal | None) -> object:
    return None if value is None else (type(value), value.as_tuple())


def _row(row: Row) -> object:
    return (
        type(row),
        type(row.account),
        row.account,
        row.objects,
        _decimal(row.amount),
        type(row.date),
        row.date,
        type(row.text),
        row.text,
        _decimal(row.quantity),
        row.sign,
    )


def _voucher(voucher: Voucher) -> object:
    return (
        type(voucher),
        voucher.series,
        voucher.number,
        voucher.date,
        voucher.text,
        voucher.registered,
        voucher.sign,
        voucher.line,
        [_row(row) for row in voucher.rows],
        [(change.kind, _row(change.row), change.position) for change in voucher.changes],
    )


def _read(data: bytes, *, strict: bool = False, header_first: bool = False) -> object:
    """Everything the reader tells, as plain comparable values (or the error it raised)."""
    seen: list[object] = []
    try:
        with SieReader.open(data, strict=strict) as reader:
            if header_first:
                reader.read_header()
                seen.append(("header", repr(reader.header)))
            for voucher in reader.vouchers():
                stats = reader.stats
                seen.append((_voucher(voucher), stats.vouchers, stats.rows, stats.unbalanced, stats.changes))
            result = reader.result()
            seen.append(
                (
                    repr(result.header),
                    result.header.format,
                    result.encoding,
                    result.checksum,
                    result.problems,
                    result.stats,
                )
            )
    except sie.SieError as error:
        seen.append(("error", error.line, error.message))
    except ArithmeticError as error:  # a trap of the caller's decimal context
        seen.append(("arithmetic", type(error), str(error)))
    return seen


def assert_same(data: bytes) -> None:
    for strict in (False, True):
        for header_first in (False, True):
            with _scanner(None):
                pure = _read(data, strict=strict, header_first=header_first)
            with _scanner(SCANNER):
                fast = _read(data, strict=strict, header_first=header_first)
            assert fast == pure, (strict, header_first)


# --- real files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_real_files_read_the_same(name: str) -> None:
    data = (SIE_DIR / name).read_bytes()
    assert_same(data)
    # and without their #KSUMMA (which turns the fast paths off), so that the scanner runs
    lines = [line for line in data.split(b"\n") if not line.lstrip().upper().startswith(b"#KSUMMA")]
    assert_same(b"\n".join(lines))


def test_real_files_exist() -> None:
    if not SIE_DIR.is_dir():
        pytest.skip("shared/data/sie not present")
    assert len(FILES) >= 10


def test_the_scanner_is_used() -> None:
    """Guards the comparisons above against comparing pure with pure."""
    calls = []

    class Counting:
        def __init__(self, *args: Any) -> None:
            self._scanner = SCANNER(*args)  # type: ignore[misc]

        def scan(self, *args: Any) -> Any:
            result = self._scanner.scan(*args)
            calls.append(result[1])
            return result

    data = b"#SIETYP 4\n" + b"#VER A 1 20240101\n{\n#TRANS 1930 {} 1.00\n#TRANS 1910 {} -1.00\n}\n" * 5
    with _scanner(Counting):
        doc = sie.read(data)
    # the first date and accounts go through Python (which fills the caches), the rest through C
    assert sum(calls) >= 20
    assert doc.vouchers[0].rows[1].amount == Decimal("-1.00")


# --- generated inputs ----------------------------------------------------------------------------

# Fragments close to the fast path's shapes, and the ways they can go wrong.
HEAD = [b"#SIETYP 4", b"#FORMAT PC8", b"#KONTO 1930 x", b"#KSUMMA", b"#RAR 0 20240101 20241231", b""]
VER = [
    b"#VER A 1 20240101",
    b'#VER A 1 20240101 "text" 20240102',
    b'#VER A 1 20240101 "te\\"xt" 20240102 Kalle',
    b'#VER "A" 1 20240101 "x"',
    b'#VER A 1 20240101 "" 20240102 sign',
    b"#VER A 1 20240101 text 20240102 sign",
    b"#VER A 1 20240101 a b c d",
    b"#VER A 1 20241301",
    b"#VER A 1 2024010",
    b"#VER A 1",
    b"#VER\tB\t2\t20240229\r",
    b'#VER A 1 20240101 "x\\"',
    b'#VER A 1 20240101 "x" "y"',
    b"#VER A 1 20240101 {x}",
    b'#VER A 1 20240101 "x" 2024{',
    b"#ver a 1 20240101",
    b"#VER A 1 20240101 \xe4\xf6",
    b"#VER A 1 20240101 \xcf\x83",
    b"#VER A 1 20240101 \xf0\x9f\x98\x80",
    b"#VER A 1 20240101\x1c\xa0",
    b"  #VER A 1 20240101  ",
]
OPEN = [b"{", b"{\r", b" { ", b"{ x", b"{}", b"\t{\x0b"]
CLOSE = [b"}", b"}\r", b" } ", b"} x", b'} "x"', b"}}"]
TRANS = [
    b"#TRANS 1930 {} 100.00",
    b"#TRANS 1930 {} -100.00",
    b"#TRANS 1910 {} 100.00 20240101",
    b'#TRANS 1910 {} 100.00 20240101 "text"',
    b'#TRANS 1910 {} 100.00 20240101 "text" ',
    b'#TRANS 1910 {} 100.00 20240101 "te\\"xt"',
    b'#TRANS 1910 {} 100.00 20240101 "C:\\dir\\"',
    b'#TRANS 1910 {} 100.00 "text"',
    b"#TRANS 1910 {} 100.00 20240101 text",
    b"#TRANS 1910 {} 100.00 20240101 te{xt",
    b"#TRANS 1910 {} 100.00 20240101 text 2",
    b"#TRANS 1910 {1 Nord} 5",
    b"#TRANS 1910 {1 Nord 6 0001} -5",
    b"#TRANS 1910 {1  Nord\t6 0001} -5",
    b'#TRANS 1910 {1 "P 17"} 5 20240101 "x"',
    b'#TRANS 1910 {1 "P 17" 6 "x\\"y"} 5 20240101',
    b'#TRANS 1910 {1 "x}"} 5',
    b"#TRANS 1910 {1} 5",
    b"#TRANS 1910 {1 Nord 5",
    b"#TRANS 1910 1 Nord} 5",
    b"#TRANS 1910 {}x 5",
    b"#TRANS 1910 {} 1.",
    b"#TRANS 1910 {} .5",
    b"#TRANS 1910 {} -.5",
    b"#TRANS 1910 {} -",
    b"#TRANS 1910 {} .",
    b"#TRANS 1910 {} 1.2.3",
    b"#TRANS 1910 {} --1",
    b"#TRANS 1910 {} 1-",
    b"#TRANS 1910 {} 1e5",
    b"#TRANS 1910 {} +1",
    b"#TRANS 1910 {} 1_0",
    b"#TRANS 1910 {} NaN",
    b"#TRANS 1910 {} 0.000",
    b"#TRANS 1910 {} 12345678901234567890123456789.5",
    b"#TRANS 1910 {} 100 2024013",
    b"#TRANS 1910 {} 100 20240230",
    b"#TRANS 1910 {} 100 20240101 x 3 sign",
    b"#TRANS {} 100",
    b"#TRANS 1910",
    b"#TRANS 1910 {}",
    b"#TRANS {} {} 100",
    b"#TRANS 19{10 {} 100",
    b"#TRANS \xe4\xf6 {} 100",
    b"#TRANS 1910 {1 \xcf\x83} 100",
    b"#TRANS 1910 {} 100 20240101 \xf0\x9f\x98\x80",
    b"#TRANS\t1910\t{}\t7\r",
    b"#TRANS 1910 {} 7\x1c",
    b"#TRANS 1910 {} 7\xc2\x85",
    b"#TRANS 1910 {}\xa07",
    b"#trans 1910 {} 7",
    b"#RTRANS 1910 {} 7",
    b"#BTRANS 1910 {} 7",
    b"#RTRANS 1910 {} 7\n#TRANS 1910 {} 7",
    b'#TRANS 1910 {} 7 20240101 "a" "b"',
    b'#TRANS 1910 {} 7 20240101 "a',
    b"#KSUMMA",
    b"",
    b"   ",
    b"garbage",
]
LINE_END = st.sampled_from([b"\n", b"\r\n"])


@st.composite
def sie_ish(draw: st.DrawFn) -> bytes:
    parts = [draw(st.sampled_from(HEAD)) for _ in range(draw(st.integers(0, 3)))]
    for _ in range(draw(st.integers(0, 5))):
        parts.append(draw(st.sampled_from(VER)))
        if draw(st.integers(0, 9)):
            parts.append(draw(st.sampled_from(OPEN)) if draw(st.integers(0, 4)) else b"{")
        for _ in range(draw(st.integers(0, 6))):
            if draw(st.integers(0, 2)):
                parts.append(draw(st.sampled_from(TRANS[:16])))
            else:
                parts.append(draw(st.sampled_from(TRANS)))
        if draw(st.integers(0, 9)):
            parts.append(draw(st.sampled_from(CLOSE)) if draw(st.integers(0, 4)) else b"}")
    end = draw(LINE_END)
    return end.join(parts) + draw(st.sampled_from([b"", end]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sie_ish())
def test_fast_path_shapes_read_the_same(data: bytes) -> None:
    assert_same(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | PROPERTIES.SIE_ISH)
def test_any_bytes_read_the_same(data: bytes) -> None:
    assert_same(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PROPERTIES.documents(), st.booleans())
def test_written_documents_read_the_same(doc: SieDocument, checksum: bool) -> None:
    assert_same(sie.dumps(doc, checksum=checksum))


# --- states the scanner must respect -------------------------------------------------------------


def _balanced_file(vouchers: int, rows: int) -> bytes:
    out = [b"#FLAGGA 0", b"#FORMAT PC8", b"#SIETYP 4"]
    for number in range(vouchers):
        out.append(b'#VER A %d 202401%02d "V\xe4 %d" 20240102' % (number, number % 28 + 1, number))
        out.append(b"{")
        total = 0
        for row in range(rows - 1):
            cents = (number * 7919 + row * 104729) % 100000 - 50000
            total += cents
            out.append(
                b"#TRANS %d {1 O%d} %d.%02d 202401%02d"
                % (1000 + row, row, cents // 100, cents % 100, row + 1)
            )
        out.append(b'#TRANS 1930 {} %s "sista"' % str(Decimal(-total).scaleb(-2)).encode())
        out.append(b"}")
    return b"\r\n".join(out) + b"\r\n"


def test_many_vouchers_and_cache_clears(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _balanced_file(300, 5)
    assert_same(data)
    monkeypatch.setattr(reader_module, "CACHE_LIMIT", 3)
    assert_same(data)


def test_unbalanced_and_odd_vouchers() -> None:
    data = _balanced_file(20, 3).replace(b'"sista"', b'"sista" ', 1)
    data = data.replace(b"#TRANS 1930 {} ", b"#TRANS 1930 {} 1", 3)  # unbalanced
    assert_same(data)
    assert_same(data.replace(b"}\r\n", b"", 2))  # missing }
    assert_same(data.replace(b"{\r\n", b"", 2))  # missing {


def test_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Vouchers cut by the decoder's chunks (a small CHUNK_SIZE) read the same."""
    from ledgerport.sie import encoding

    data = _balanced_file(200, 4)
    monkeypatch.setattr(encoding, "CHUNK_SIZE", 97)
    monkeypatch.setattr(reader_module, "CHUNK_SIZE", 97)
    assert_same(data)


def test_decimal_context_is_respected() -> None:
    """total += amount in the caller's context: a trap there sends rows to the general path."""
    data = _balanced_file(5, 4)
    with localcontext() as context:
        context.prec = 3
        context.traps[Inexact] = True
        context.traps[Rounded] = True
        assert_same(data)
    with localcontext() as context:
        context.prec = 2
        assert_same(data)


def test_fast_paths_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SieReader, "_fast_disabled", True)
    assert_same(_balanced_file(10, 3))


def test_checksum_files_read_the_same() -> None:
    doc = sie.read(_balanced_file(10, 3))
    assert_same(sie.dumps(doc, checksum=True))


def test_wide_characters() -> None:
    data = _balanced_file(5, 3).decode("cp437")
    for text in ("Σ", "€", "😀"):
        assert_same(data.replace('"sista"', f'"{text}"').replace(" O1}", f" {text}}}").encode("utf-8"))


def test_pure_switch_in_a_new_process() -> None:
    code = "from ledgerport.sie import reader; print(reader.SCANNER is None)"
    env = {**os.environ, "LEDGERPORT_SIE_PURE": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    env["LEDGERPORT_SIE_PURE"] = ""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_scanner_rejects_bad_arguments() -> None:
    assert SCANNER is not None
    with pytest.raises(TypeError):
        SCANNER({}, {}, {}, {}, Decimal, tuple, Voucher, (), Decimal(0), 10)  # type: ignore[arg-type]
    scanner = SCANNER({}, {}, {}, {}, Decimal, Row, Voucher, (), Decimal(0), 10)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scanner.scan(["#VER A 1 20240101"], 0, 0, 1, None, [], Decimal(0))  # type: ignore[arg-type]
    # unknown mode, inconsistent state, pos past the end: nothing consumed, no crash
    assert scanner.scan("{", 0, 0, 7, None, [], Decimal(0))[:2] == (0, 0)
    assert scanner.scan("{", 0, 0, 3, None, [], Decimal(0))[:2] == (0, 0)
    assert scanner.scan("{", 5, 0, 1, None, [], Decimal(0))[:2] == (5, 0)
    with pytest.raises(ValueError):
        scanner.scan("{", -1, 0, 1, None, [], Decimal(0))
    # a voucher the scanner opens, then its "{": the line after the last one is len + 1
    dates = {"20240101": __import__("datetime").date(2024, 1, 1)}
    scanner = SCANNER({}, dates, {}, {}, Decimal, Row, Voucher, (), Decimal(0), 10)  # type: ignore[arg-type]
    pos, consumed, mode, voucher, rows, total, done = scanner.scan(
        "#VER A 1 20240101\n{", 0, 7, 1, None, [], Decimal(0)
    )
    assert (pos, consumed, mode, done, rows, total) == (20, 2, 3, [], [], Decimal(0))
    assert voucher == Voucher("A", "1", dates["20240101"], line=8)
    assert voucher is not None and voucher.line == 8 and voucher.rows is rows


# --- raw fingerprints and skip_known (a re-import's shortcut) ---------------------------------

RAW_HEAD = b"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#RAR 0 20240101 20241231\r\n#KONTO 1930 Bank\r\n"


def _block(number: int, amount: str = "10.00", *, head: str = "#VER A {n} 20240105 Hyra") -> bytes:
    return (
        f"{head.format(n=number)}\r\n{{\r\n#TRANS 1930 {{}} {amount}\r\n#TRANS 3001 {{}} -{amount}\r\n}}\r\n"
    ).encode("cp437")


# Read first (the first scan() fills the caches, and its vouchers are read before skip_known()).
FILLER = b"".join(_block(100 + n) for n in range(20))


def _read_all(data: bytes, known: dict[int, int] | None = None, claims: dict[int, int] | None = None):
    reader = SieReader.open(data, strict=False)
    reader.read_header()
    skipping = known is not None and reader.skip_known(known, claims if claims is not None else {})
    vouchers = list(reader.vouchers())
    return reader, vouchers, skipping


def test_a_clean_voucher_read_whole_gets_the_hash_of_its_text() -> None:
    data = RAW_HEAD + FILLER + _block(1) + _block(2) + _block(1) + _block(3, "10.01")
    _reader, vouchers, _ = _read_all(data)
    raw = [v.raw for v in vouchers[20:]]
    assert raw[0] and raw[0] == raw[2]  # the same text, wherever it stands
    assert len({raw[0], raw[1], raw[3]}) == 3
    with _scanner(None):
        _reader, pure, _ = _read_all(data)
    assert pure == vouchers and all(v.raw == 0 for v in pure)  # the pure reader gives none
    wide = data + "#VER A 9 20240105 Ĳ\r\n{\r\n}\r\n".encode()  # a chunk of 2-byte characters
    _reader, vouchers, _ = _read_all(wide)
    assert all(v.raw == 0 for v in vouchers)  # (none skipped either: both only for 1-byte text)


def test_a_voucher_not_read_whole_and_clean_gets_no_hash() -> None:
    unbalanced = _block(1).replace(b"-10.00", b"-9.00")
    history = _block(2).replace(b"{\r\n#TRANS 1930", b"{\r\n#BTRANS 1930 {} 5.00\r\n#TRANS 1930")
    slow = _block(3).replace(b"#TRANS 3001 {}", b"#TRANS 3001")  # no object list: the general path warns
    _reader, vouchers, _ = _read_all(RAW_HEAD + unbalanced + history + slow + _block(4))
    assert [bool(v.raw) for v in vouchers] == [False, False, False, True]


def test_known_blocks_are_skipped_and_their_claims_taken() -> None:
    blocks = [_block(1), _block(2), _block(3), _block(2)]  # the last repeats the second's text
    data = RAW_HEAD + FILLER + b"".join(blocks)
    reader, vouchers, _ = _read_all(data)
    vouchers = vouchers[20:]
    raw = [v.raw for v in vouchers]
    claims = {11: 501, 33: 503, 99: 599}
    reader2, rest, skipping = _read_all(data, {raw[1]: 11, raw[2]: 33, 12345: 99}, claims)
    assert skipping
    assert [v.number for v in rest[20:]] == ["1", "2"] and rest[21].line == vouchers[
        3
    ].line  # the repeat is read
    assert reader2.skipped == {501: vouchers[1].line, 503: vouchers[2].line}
    assert claims == {99: 599}
    assert reader2.skipped_rows == 4 and reader2.stats == reader.stats
    assert reader2.problems == reader.problems


def test_a_block_whose_claim_is_gone_is_read() -> None:
    data = RAW_HEAD + FILLER + _block(1)
    _reader, vouchers, _ = _read_all(data)
    reader, rest, skipping = _read_all(data, {vouchers[-1].raw: 7}, {})
    assert skipping and rest == vouchers and not reader.skipped


def test_nothing_is_skipped_while_a_checksum_is_summed_or_without_c() -> None:
    data = RAW_HEAD + FILLER + _block(1)
    _reader, vouchers, _ = _read_all(data)
    with_checksum = RAW_HEAD + b"#KSUMMA\r\n" + FILLER + _block(1)
    reader, rest, skipping = _read_all(with_checksum, {vouchers[-1].raw: 7}, {7: 1})
    assert not skipping and len(rest) == 21 and not reader.skipped
    with _scanner(None):
        reader, rest, skipping = _read_all(data, {vouchers[-1].raw: 7}, {7: 1})
    assert not skipping and len(rest) == 21
