"""The optional C row formatter (_copyrows.c) gives exactly the COPY bytes of the pure-Python path.

Every comparison formats the same vouchers twice with CopyText, once with the C batch_rows
and once without (pure Python), and compares the rows' bytes, the vouchers' text, the
caches, the accounts created (and their warnings) and any refusal. No database: the
account ids are made up, as CopyLoader's own reservation would. Skipped when the extension
is not built (`make install`) or LEDGERPORT_SIE_PURE is set.
"""

from __future__ import annotations

import importlib
import itertools
import os
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerport.ledger import loaders
from ledgerport.ledger.errors import BrokenFile
from ledgerport.ledger.loaders import AccountIds, CopyText
from ledgerport.sie import Row, RowChange, SieReader, Voucher

SIE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "sie"
FILES = sorted(p.name for p in SIE_DIR.glob("*") if p.name != "PROVENANCE.md") if SIE_DIR.is_dir() else []
BATCH_ROWS = loaders.BATCH_ROWS
COPYROWS = None if BATCH_ROWS is None else importlib.import_module("ledgerport.ledger._copyrows")

needs_c = pytest.mark.skipif(
    BATCH_ROWS is None, reason="C row formatter not built (make install) or LEDGERPORT_SIE_PURE is set"
)

Batch = list[tuple[int, Voucher]]
KNOWN = {1: {"1930": 1, "1910": 2, "2440": 3, "3000": 0}, 2: {"1930": 11, "1910": 12}}
DAY = date(2024, 3, 15)


class Counting:
    """batch_rows, counting the vouchers it did (so that no test compares pure with pure)."""

    def __init__(self) -> None:
        self.vouchers = 0

    def __call__(self, *args: Any) -> int:
        assert BATCH_ROWS is not None
        index: int = BATCH_ROWS(*args)
        self.vouchers += index - args[3]
        return index


def format_batches(
    batches: Iterable[Batch],
    fast: Callable[..., int] | None,
    *,
    known: dict[int, dict[str, int]] = KNOWN,
    cache_limit: int | None = None,
) -> dict[str, object]:
    """Everything CopyText gives and keeps, as plain comparable values (or the refusal)."""
    warnings: list[tuple[int, str]] = []
    created: list[tuple[int, str]] = []
    accounts = AccountIds(lambda line, message: warnings.append((line, message)))
    accounts.by_year = {year: dict(ids) for year, ids in known.items()}

    def create(fiscal_year_id: int, number: str) -> int:
        created.append((fiscal_year_id, number))
        return 10_000 + len(created)

    accounts.create = create
    text = CopyText(accounts, "test.se", fast)
    if cache_limit is not None:
        text.cache_limit = cache_limit
    ids = itertools.count(1)
    outputs: list[object] = []
    try:
        for batch in batches:
            rows, vouchers = text.batch([next(ids) for _ in batch], batch)
            assert type(rows) is bytearray
            outputs.append((bytes(rows), vouchers))
    except BrokenFile as error:
        outputs.append(("refused", error.line, error.message))
    return {
        "outputs": outputs,
        "amounts": text.amounts,
        "quantities": text.quantities,
        "dates": text.dates,
        "objects": text.objects,
        "warnings": warnings,
        "created": created,
        "accounts": accounts.by_year,
    }


def assert_same(batches: list[Batch], **options: Any) -> dict[str, object]:
    pure = format_batches(batches, None, **options)
    fast = format_batches(batches, BATCH_ROWS, **options)
    assert fast == pure
    return pure


def voucher(*rows: Row, changes: list[RowChange] | None = None, day: date = DAY, line: int = 7) -> Voucher:
    return Voucher("A", "1", day, "text", day, "", list(rows), changes or [], line=line)


def pure_rows(voucher_: Voucher, fiscal_year_id: int = 1, voucher_id: int = 5) -> bytes:
    """The Python path's bytes for one voucher (caches and accounts as after `prime`)."""
    text = prime([voucher_])
    text.batch_rows = None
    return bytes(text.batch([voucher_id], [(fiscal_year_id, voucher_)])[0])


def prime(vouchers: list[Voucher], fiscal_year_id: int = 1) -> CopyText:
    """A CopyText whose caches the Python path has filled for these vouchers."""
    accounts = AccountIds(lambda line, message: None)
    accounts.by_year = {year: dict(ids) for year, ids in KNOWN.items()}
    numbers = itertools.count(500)
    accounts.create = lambda year, number: next(numbers)
    text = CopyText(accounts, "test.se", None)
    text.batch(range(len(vouchers)), [(fiscal_year_id, v) for v in vouchers])
    return text


def c_rows(
    text: CopyText, voucher_: Voucher, out: bytearray, fiscal_year_id: int = 1, voucher_id: int = 5
) -> bool:
    """voucher_rows for one voucher, with the caches of `text`."""
    assert COPYROWS is not None
    day = voucher_.date
    assert day is not None
    answer: bool = COPYROWS.voucher_rows(
        out,
        voucher_.rows,
        fiscal_year_id,
        voucher_id,
        day.year * 100 + day.month,
        text.accounts.by_year[fiscal_year_id],
        text.dates,
        text.objects,
        text.quantities,
    )
    return answer


# --- real files ----------------------------------------------------------------------------------


def _real_batches(name: str, size: int) -> list[Batch]:
    with SieReader.open(SIE_DIR / name) as reader:  # lenient
        vouchers = [v for v in reader if v.date is not None]
    # two fiscal years by parity of the year, so that both accounts dicts are used
    pairs = [(1 if v.date is not None and v.date.year % 2 == 0 else 2, v) for v in vouchers]
    return [pairs[i : i + size] for i in range(0, len(pairs), size)]


@needs_c
@pytest.mark.parametrize("name", FILES)
def test_real_files_format_the_same(name: str) -> None:
    with SieReader.open(SIE_DIR / name) as reader:
        list(reader)
        declared = list(reader.header.accounts)
    # year 1 knows every declared account, year 2 only half of them (the rest are created)
    known = {
        1: {n: i + 1 for i, n in enumerate(declared)},
        2: {n: i + 1000 for i, n in enumerate(declared[::2])},
    }
    for size, cache_limit in ((5000, None), (7, None), (3, 3)):
        batches = _real_batches(name, size) * 2  # the second time with warm caches
        counting = Counting()
        pure = format_batches(batches, None, known=known, cache_limit=cache_limit)
        fast = format_batches(batches, counting, known=known, cache_limit=cache_limit)
        assert fast == pure, (size, cache_limit)
        rows = sum(len(v.rows) for batch in batches for _, v in batch)
        if rows and cache_limit is None:
            assert counting.vouchers > 0  # the C path did format vouchers here


def test_real_files_exist() -> None:
    if not SIE_DIR.is_dir():
        pytest.skip("shared/data/sie not present")
    assert len(FILES) >= 10


# --- hand-made rows ------------------------------------------------------------------------------

NORD = (("1", "Nord"),)
# (row, takes the C path once the Python path has filled the caches and created the account)
TRICKY: list[tuple[Row, bool]] = [
    (Row("1930", (), Decimal("100.00")), True),
    (Row("1930", (), Decimal("100")), True),
    (Row("1930", (), Decimal("100.5")), True),
    (Row("1930", (), Decimal("-0.01")), True),
    (Row("1930", (), Decimal("-0")), True),
    (Row("1930", (), Decimal("0.00")), True),
    (Row("1930", (), Decimal("1234567890123456")), True),  # 16 integer digits
    (Row("1930", (), Decimal("-1234567890123456")), False),  # longer than 16: check_amount accepts
    (Row("1930", (), Decimal("12345678901234.5")), True),
    (Row("1930", (), Decimal("1234567890123456.78")), False),
    (Row("1930", (), Decimal("-1234567890123456.78")), False),
    (Row("1930", (), Decimal("NaN")), True),  # what the Python loop writes too
    (Row("1930", (), Decimal("-Infinity")), True),
    (Row("1930", NORD, Decimal("5"), DAY), True),
    (Row("1930", (("1", "Nord"), ("6", "0001")), Decimal("5"), date(2024, 3, 1)), True),
    (Row("1930", (("1", 'P "17"'),), Decimal("5")), True),  # JSON escapes, then COPY escapes
    (Row("1930", (("1", "Väst"), ("6", "Σ😀")), Decimal("5")), True),
    (Row("1930", (("1", "a\tb\\c"),), Decimal("5")), True),
    (Row("1930", (), Decimal("5"), None, "Kaffebröd"), True),
    (Row("1930", (), Decimal("5"), None, "Σ € 😀 ü"), True),
    (Row("1930", (), Decimal("5"), None, "", None, "Kalle"), True),
    (Row("1930", (), Decimal("5"), None, 'quote " and space '), True),
    (Row("1930", (), Decimal("5"), None, "tab\there"), False),
    (Row("1930", (), Decimal("5"), None, "new\nline"), False),
    (Row("1930", (), Decimal("5"), None, "cr\rhere"), False),
    (Row("1930", (), Decimal("5"), None, "C:\\dir"), False),
    (Row("1930", (), Decimal("5"), None, "nul\x00"), False),
    (Row("1930", (), Decimal("5"), None, "\x1c"), False),
    (Row("1930", (), Decimal("5"), None, "nbsp\xa0"), False),  # not printable for str
    (Row("1930", (), Decimal("5"), None, "nel\x85"), False),
    (Row("1930", (), Decimal("5"), None, "soft\xadhyphen"), False),
    (Row("1930", (), Decimal("5"), None, "line\u2028sep"), False),
    (Row("1930", (), Decimal("5"), None, "zero\u200bwidth"), False),
    (Row("1930", (), Decimal("5"), None, "", None, "sign\t"), False),
    (Row("1930", (), Decimal("5"), None, "", None, "back\\"), False),
    (Row("1930", (), Decimal("5"), None, "", None, "\x7f"), False),
    (Row("1930", (), Decimal("5"), None, "", Decimal("2")), True),
    (Row("1930", (), Decimal("5"), None, "", Decimal("-1.5")), True),
    (Row("1930", (), Decimal("5"), None, "", Decimal("0.1234567")), True),  # rounded to 6
    (Row("1930", (), Decimal("5"), None, "", Decimal("1E+3")), True),
    (Row("1930", (), Decimal("5"), None, "", Decimal("0")), True),
    (Row("9999", (), Decimal("5")), True),  # undeclared: created by the Python path first
    (Row("3000", (), Decimal("5")), True),  # account id 0
    (Row("1930", (), Decimal("5"), date(2023, 12, 31)), True),
]
REFUSED = [
    Row("1930", (), Decimal("1.005")),  # three decimals
    Row("1930", (), Decimal("-0.001")),
    Row("1930", (), Decimal("1E+2")),  # exponent form
    Row("1930", (), Decimal("0E-7")),
    Row("1930", (), Decimal("12345678901234567")),  # 17 integer digits (the Python loop let it by)
    Row("1930", (), Decimal("-12345678901234567.00")),
    Row("1930", (), Decimal("5"), None, "", Decimal("1E+14")),  # quantity too large
    Row("123456789012345678901", (), Decimal("5")),  # account number too long
]


@needs_c
def test_tricky_vouchers_format_the_same() -> None:
    rows = [row for row, _ in TRICKY]
    tricky = [voucher(row) for row in rows]  # one row each: each takes its own path
    tricky.append(voucher(*rows))  # all in one voucher: any fallback sends all of it to Python
    tricky += [voucher(rows[0], row, rows[1]) for row in rows]
    changed = voucher(rows[0], rows[1], changes=[RowChange("removed", rows[2], 1)])
    tricky.insert(3, changed)
    for fiscal_year_id in (1, 2):
        pairs = [(fiscal_year_id, v) for v in tricky]
        for size in (1, 4, len(pairs)):
            batches = [pairs[i : i + size] for i in range(0, len(pairs), size)]
            for cache_limit in (None, 2):
                assert_same(batches, cache_limit=cache_limit)
            # twice over: the second time the caches are warm and C takes more vouchers
            assert_same(batches + batches)


@needs_c
@pytest.mark.parametrize(("row", "by_c"), TRICKY, ids=[repr(row) for row, _ in TRICKY])
def test_which_rows_take_the_c_path(row: Row, by_c: bool) -> None:
    one = voucher(row, Row("1910", (), Decimal("-5")))
    text = prime([one])
    out = bytearray(b"before")
    assert c_rows(text, one, out) is by_c
    if by_c:
        assert bytes(out) == b"before" + pure_rows(one)
    else:
        assert out == b"before"  # nothing appended


@needs_c
def test_cold_caches_send_rows_to_python() -> None:
    """Only cache hits are used: a miss (account, date, objects, quantity) is Python's."""
    warm = voucher(Row("1930", NORD, Decimal("1"), DAY, "", Decimal("2")))
    text = prime([warm])
    out = bytearray()
    assert c_rows(text, warm, out)
    for cold in (
        Row("9999", NORD, Decimal("1"), DAY, "", Decimal("2")),
        Row("1930", (("1", "Syd"),), Decimal("1"), DAY, "", Decimal("2")),
        Row("1930", NORD, Decimal("1"), date(2024, 3, 16), "", Decimal("2")),
        Row("1930", NORD, Decimal("1"), DAY, "", Decimal("3")),
    ):
        before = bytes(out)
        assert not c_rows(text, voucher(warm.rows[0], cold), out)
        assert out == before


@needs_c
@pytest.mark.parametrize("row", REFUSED, ids=repr)
def test_refused_rows_are_refused_the_same(row: Row) -> None:
    good = voucher(Row("1930", (), Decimal("1")))
    result = assert_same([[(1, good), (1, voucher(row, line=42)), (1, good)]])
    outputs = result["outputs"]
    assert isinstance(outputs, list)
    assert outputs[-1][0] == "refused"
    assert outputs[-1][1] == 42


@needs_c
def test_unusual_integers_take_the_python_path() -> None:
    one = voucher(Row("1930", (), Decimal("1")))
    text = prime([one])
    for fiscal_year_id, voucher_id in ((1, 2**63), (1, -(2**63)), (1, True)):
        out = bytearray()
        answer = c_rows(text, one, out, fiscal_year_id, voucher_id)  # type: ignore[arg-type]
        if voucher_id == -(2**63):  # fits a long long: C writes it
            assert answer
            assert bytes(out) == pure_rows(one, fiscal_year_id, voucher_id)
        else:
            assert not answer
            assert out == b""
    text.accounts.by_year[1]["1930"] = 2**70  # not a long long
    assert not c_rows(text, one, bytearray())
    text.accounts.by_year[1]["1930"] = -7
    out = bytearray()
    assert c_rows(text, one, out)
    assert out.startswith(b"1\t5\t-7\tT\t0\t1\t")


@needs_c
def test_errors_propagate() -> None:
    assert COPYROWS is not None and BATCH_ROWS is not None
    voucher_rows = COPYROWS.voucher_rows
    one = voucher(Row("1930", (), Decimal("1")))
    text = prime([one])
    caches = [text.dates, text.objects, text.quantities]
    by_year = text.accounts.by_year
    args = [1, 5, 202403, by_year[1], *caches]
    batch = [(1, one)]
    for wrong in (
        lambda: voucher_rows(b"", one.rows, *args),
        lambda: voucher_rows(bytearray(), tuple(one.rows), *args),
        lambda: voucher_rows(bytearray(), one.rows, *args[:-1]),
        lambda: voucher_rows(bytearray(), one.rows, *args[:3], [], *args[4:]),
        lambda: voucher_rows(bytearray(), one.rows, *args[:4], [], *args[5:]),
        lambda: BATCH_ROWS(bytearray(), batch, [5], 0, by_year),  # type: ignore[call-arg]
        lambda: BATCH_ROWS(bytearray(), tuple(batch), [5], 0, by_year, *caches),  # type: ignore[arg-type]
        lambda: BATCH_ROWS(bytearray(), batch, range(5, 6), 0, by_year, *caches),  # type: ignore[arg-type]
        lambda: BATCH_ROWS(bytearray(), batch, [5], "0", by_year, *caches),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError):
            wrong()
    with pytest.raises(ValueError):
        BATCH_ROWS(bytearray(), batch, [5], -1, by_year, *caches)
    # an unhashable object list, a signalling NaN quantity: the Python path raises the same
    for bad in (
        Row("1930", [["1", "x"]], Decimal("1")),  # type: ignore[arg-type]
        Row("1930", (), Decimal("1"), None, "", Decimal("sNaN")),
    ):
        out = bytearray(b"x")
        with pytest.raises(TypeError):
            c_rows(text, voucher(one.rows[0], bad), out)
        assert out == b"x"
        for fast in (None, BATCH_ROWS):
            with pytest.raises(TypeError):
                format_batches([[(1, voucher(one.rows[0], bad))]], fast)

    class Failing(Decimal):
        def __str__(self) -> str:
            raise ZeroDivisionError

    for fast in (None, BATCH_ROWS):
        with pytest.raises(ZeroDivisionError):
            format_batches([[(1, voucher(one.rows[0], Row("1930", (), Failing(1))))]], fast)


@needs_c
def test_odd_rows_and_values_take_the_python_path() -> None:
    one = voucher(Row("1930", (), Decimal("1")))
    text = prime([one])
    plain = voucher(("1930", (), Decimal("1"), None, "", None, ""))  # type: ignore[arg-type]
    assert c_rows(text, plain, bytearray())  # a plain tuple is a row too
    for odd in (
        voucher(("1930", (), Decimal("1"))),  # type: ignore[arg-type]
        voucher(Row("1930", (), Decimal("1"), None, None)),  # type: ignore[arg-type]
        voucher(Row("1930", (), "1.0é")),  # type: ignore[arg-type]
    ):
        assert not c_rows(text, odd, bytearray())
    text.dates[None] = 0  # type: ignore[assignment]
    assert not c_rows(text, one, bytearray())


@needs_c
def test_lone_surrogates_fail_in_both_paths() -> None:
    for row in (
        Row("1930", (), Decimal("1"), None, "\ud800"),
        Row("1930", (("1", "\udc80"),), Decimal("1")),
    ):
        for fast in (None, BATCH_ROWS):
            with pytest.raises(UnicodeEncodeError):
                format_batches([[(1, voucher(row))]], fast)


@needs_c
def test_no_reference_leaks() -> None:
    amount = Decimal("12.34")
    quantity = Decimal("2")
    text_value = "Kaffebröd " + str(len(sys.argv))  # a str of its own
    good = voucher(Row("1930", NORD, amount, DAY, text_value, quantity, "sign"))
    fallback = voucher(good.rows[0], Row("1930", (), Decimal("5"), None, "tab\t"))
    failing = voucher(good.rows[0], Row("1930", (), Decimal("5"), None, "", Decimal("sNaN")))
    text = prime([good])
    watched = [
        amount,
        quantity,
        text_value,
        good.rows[0],
        good.rows,
        *text.dates.values(),
        *text.objects.values(),
        *text.quantities.values(),
    ]
    voucher_id = 2**40  # an int object of its own
    batch = [(1, good), (1, fallback), (1, failing)]
    ids = [voucher_id, voucher_id, voucher_id]
    by_year = text.accounts.by_year
    caches = (text.dates, text.objects, text.quantities)
    watched += [good, fallback, voucher_id, *batch, by_year[1], *caches]
    before = [sys.getrefcount(value) for value in watched]
    for _ in range(1000):
        assert c_rows(text, good, bytearray())
        assert not c_rows(text, fallback, bytearray())
        with pytest.raises(TypeError):
            c_rows(text, failing, bytearray())
        assert BATCH_ROWS is not None
        assert BATCH_ROWS(bytearray(), batch, ids, 0, by_year, *caches) == 1
        with pytest.raises(TypeError):
            BATCH_ROWS(bytearray(), batch, ids, 2, by_year, *caches)
    assert [sys.getrefcount(value) for value in watched] == before
    # and nothing made on the way (the amounts' str) stays allocated
    many = voucher(*good.rows * 20)
    c_rows(text, many, bytearray())
    blocks = sys.getallocatedblocks()
    for _ in range(200):
        assert c_rows(text, many, bytearray())
        assert BATCH_ROWS(bytearray(), [(1, many)], ids, 0, by_year, *caches) == 1
    assert sys.getallocatedblocks() - blocks < 1000


@needs_c
def test_batch_rows_stops_where_python_takes_over() -> None:
    assert BATCH_ROWS is not None
    common = voucher(Row("1930", NORD, Decimal("1"), DAY, "x", Decimal("2"), "s"))
    text = prime([common])
    caches = (text.dates, text.objects, text.quantities)
    by_year = text.accounts.by_year
    with_changes = voucher(*common.rows, changes=[RowChange("added", common.rows[0], 0)])
    odd_day = voucher(*common.rows, day=datetime(2024, 3, 15, tzinfo=UTC))  # a datetime: Python's
    for stopper in (
        voucher(Row("1930", (), Decimal("1"), None, "tab\t")),
        with_changes,
        odd_day,
        Voucher("A", "1", None, rows=list(common.rows)),
    ):
        batch = [(1, common), (1, common), (1, stopper), (1, common)]
        out = bytearray(b">")
        assert BATCH_ROWS(out, batch, [7, 8, 9, 10], 0, by_year, *caches) == 2
        expected = pure_rows(common, 1, 7) + pure_rows(common, 1, 8)
        assert bytes(out) == b">" + expected
        assert BATCH_ROWS(out, batch, [7, 8, 9, 10], 2, by_year, *caches) == 2
        assert BATCH_ROWS(out, batch, [7, 8, 9, 10], 3, by_year, *caches) == 4
        assert BATCH_ROWS(out, batch, [7, 8, 9, 10], 4, by_year, *caches) == 4
        assert BATCH_ROWS(out, batch, [7, 8, 9, 10], 9, by_year, *caches) == 9
        assert bytes(out) == b">" + expected + pure_rows(common, 1, 10)
    # a fiscal year without accounts, a pair that is not one, fewer ids: Python's too
    for batch, ids in (
        ([(1, common), (3, common)], [1, 2]),
        ([(1, common), [1, common]], [1, 2]),
        ([(1, common), (1, common, 0)], [1, 2]),
        ([(1, common), (1, common)], [1]),
    ):
        assert BATCH_ROWS(bytearray(), batch, ids, 0, by_year, *caches) == 1  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        format_batches([[(1, common), (3, common)]], BATCH_ROWS)
    with pytest.raises(ValueError):  # zip(strict=True)
        text.batch([1], [(1, common), (1, common)])


# --- generated vouchers --------------------------------------------------------------------------

SPECIAL = st.sampled_from(["\t", "\n", "\r", "\\", "\x00", "\x1c", "\xa0", "é", "Σ", "😀", '"', " "])
TEXT = st.text(st.characters(codec="utf-8") | SPECIAL, max_size=6) | st.sampled_from(["", "Lön", "x"])
AMOUNT = st.one_of(
    *(
        st.decimals(min_value=-(10**17), max_value=10**17, places=places, allow_nan=False)
        for places in (0, 1, 2, 3)
    ),
    st.sampled_from(["1E+2", "1.5E-1", "-0", "0.00", "9999999999999999.99", "NaN"]).map(Decimal),
)
QUANTITY = st.none() | st.decimals(min_value=-(10**15), max_value=10**15, places=7, allow_nan=False)
ROW = st.builds(
    Row,
    st.sampled_from(["1930", "1910", "2440", "3000", "9999", "8888"]),
    st.lists(st.tuples(st.sampled_from(["1", "6"]), TEXT), max_size=2).map(tuple),
    AMOUNT,
    st.none() | st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 1, 9)),
    TEXT,
    QUANTITY,
    TEXT,
)


@st.composite
def vouchers(draw: st.DrawFn) -> Voucher:
    rows = draw(st.lists(ROW, min_size=1, max_size=5))
    changes = []
    if draw(st.integers(0, 9)) == 0:
        changes = [RowChange("added", rows[0], 0)]
    day = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)))
    return Voucher("A", draw(TEXT), day, draw(TEXT), None, "", rows, changes, line=draw(st.integers(0, 9)))


@needs_c
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from([1, 2]), vouchers()), max_size=12),
    st.integers(1, 5),
    st.sampled_from([None, 2]),
)
def test_generated_vouchers_format_the_same(pairs: Batch, size: int, cache_limit: int | None) -> None:
    batches = [pairs[i : i + size] for i in range(0, len(pairs), size)]
    assert_same(batches + batches, cache_limit=cache_limit)  # again with warm caches


@needs_c
@settings(max_examples=300, deadline=None)
@given(vouchers())
def test_generated_rows_in_c_are_the_python_bytes(one: Voucher) -> None:
    """With the caches warm, C either writes exactly the Python bytes or nothing at all."""
    one.changes = []  # the caller keeps vouchers with changes from C
    try:
        text = prime([one])
        expected = pure_rows(one)
    except BrokenFile:
        return
    out = bytearray(b"start")
    if c_rows(text, one, out):
        assert bytes(out) == b"start" + expected
    else:
        assert out == b"start"


# --- the switch and the build --------------------------------------------------------------------


def test_pure_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGERPORT_SIE_PURE", "1")
    assert loaders._load_batch_rows() is None
    monkeypatch.setenv("LEDGERPORT_SIE_PURE", "0")
    if BATCH_ROWS is None:
        pytest.skip("C row formatter not built")
    assert loaders._load_batch_rows() is BATCH_ROWS


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI promises a C compiler")
def test_ci_builds_the_c_row_formatter() -> None:
    assert os.environ.get("LEDGERPORT_SIE_PURE", "") in ("", "0")
    assert BATCH_ROWS is not None
    assert CopyText(AccountIds(lambda line, message: None), "x").batch_rows is BATCH_ROWS
