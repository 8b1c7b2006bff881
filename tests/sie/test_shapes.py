"""Every valid row shape reads the same on the three paths, and gives the values written.

The paths: the C scanner (when built), the pure-Python fast path, and the general path
(tokenizer + handlers, the fast paths off). Shapes come from sie.shapes: each field of
#VER and #TRANS bare or quoted, empty quoted dates and texts, quantities, signs, object
lists, escaped quotes, braces in texts, #RTRANS/#BTRANS, TABs, CRLF, CP437 and UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerport.sie import reader as reader_module
from ledgerport.sie import shapes
from ledgerport.sie.model import Voucher
from ledgerport.sie.reader import SieReader

from .conftest import SIE_DIR

SCANNER = reader_module.SCANNER
PATHS = ["general", "pure", *(["c"] if SCANNER is not None else [])]


@contextmanager
def _path(name: str) -> Iterator[None]:
    saved = SieReader._scanner, SieReader._fast_disabled
    SieReader._scanner = SCANNER if name == "c" else None
    SieReader._fast_disabled = name == "general"
    try:
        yield
    finally:
        SieReader._scanner, SieReader._fast_disabled = saved


def _read(data: bytes) -> tuple[list[Voucher], list[object]]:
    """The vouchers, and everything else the reader tells (lines, exponents, problems, stats)."""
    with SieReader.open(data) as reader:
        vouchers = []
        seen: list[object] = []
        for voucher in reader.vouchers():
            vouchers.append(voucher)
            seen.append((voucher.line, [row.amount.as_tuple() for row in voucher.rows]))
            seen.append((reader.stats.vouchers, reader.stats.rows, reader.stats.changes))
        result = reader.result()
        seen += [repr(result.header), result.encoding, result.checksum, result.problems, result.stats]
    return vouchers, seen


def _read_all_paths(data: bytes) -> dict[str, tuple[list[Voucher], list[object]]]:
    out = {}
    for name in PATHS:
        with _path(name):
            out[name] = _read(data)
    return out


def assert_shape_reads_back(shape: shapes.Shape, rows: int, seed: int) -> None:
    expected = shapes.vouchers(shape, rows, seed)
    data = shapes.render(shape, expected)
    results = _read_all_paths(data)
    general = results["general"]
    assert general[0] == expected, shape
    problems = general[1][-2]
    allowed = {"encoding"} if shape.encoding != "cp437" else set()
    assert isinstance(problems, list) and {p.code for p in problems} <= allowed, problems
    for name, result in results.items():
        assert result == general, (name, shape)


OPTIONS = {
    "ver_ids": ["bare", "quoted", "empty-series", "empty-number"],
    "ver_text": ["none", "plain", "escaped"],
    "ver_registered": ["none", "bare", "quoted"],
    "ver_sign": ["none", "bare", "quoted"],
    "account": ["bare", "quoted"],
    "objects": list(shapes.OBJECTS),
    "amount": ["bare", "quoted", "integer"],
    "date": ["none", "bare", "quoted", "empty"],
    "text": list(shapes.TEXTS),
    "quantity": ["none", "bare", "quoted", "empty"],
    "sign": ["none", "bare", "quoted"],
    "label": ["TRANS", "RTRANS", "BTRANS"],
    "separator": [" ", "\t", "  ", " \t"],
    "indent": ["", "\t", "   "],
    "trailing": ["", " ", "\t"],
    "newline": ["\r\n", "\n"],
    "encoding": ["cp437", "utf-8"],
}
SHAPES = st.builds(shapes.Shape, **{key: st.sampled_from(values) for key, values in OPTIONS.items()})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHAPES, st.integers(2, 30), st.integers(0, 2**16))
def test_every_shape_reads_the_same_on_every_path(shape: shapes.Shape, rows: int, seed: int) -> None:
    assert_shape_reads_back(shape, rows, seed)


@pytest.mark.parametrize("shape", shapes.NAMED, ids=lambda shape: shape.name)
def test_named_shapes(shape: shapes.Shape) -> None:
    assert_shape_reads_back(shape, 400, 7)


def test_the_generator_covers_every_option() -> None:
    """A new option in Shape must be drawn by the property test too."""
    fields = set(shapes.Shape.__dataclass_fields__) - {"name"}
    assert fields == set(OPTIONS)


def test_a_wrong_path_would_be_seen() -> None:
    """The comparison is not vacuous: a fast path that drops quantities is caught."""
    shape = shapes.Shape(date="bare", text="plain", quantity="bare")
    expected = shapes.vouchers(shape, 20)
    data = shapes.render(shape, expected)
    with _path("pure"):
        vouchers, _ = _read(data)
    assert vouchers == expected
    broken = [
        Voucher(
            v.series,
            v.number,
            v.date,
            v.text,
            v.registered,
            v.sign,
            [r._replace(quantity=None) for r in v.rows],
        )
        for v in expected
    ]
    assert vouchers != broken


def _real_files() -> list[Path]:
    if not SIE_DIR.is_dir():
        return []
    return sorted(p for p in SIE_DIR.iterdir() if p.name != "PROVENANCE.md")


@pytest.mark.parametrize("path", _real_files(), ids=lambda path: path.name)
def test_real_files_read_the_same_on_every_path(path: Path) -> None:
    results: dict[str, Any] = _read_all_paths(path.read_bytes())
    for name, result in results.items():
        assert result == results["general"], name


@pytest.mark.parametrize(
    "row",
    [
        '#TRANS 1930 {} -1.00 20240101 "a\\"b\x00c"',  # a NUL leaves no room to set \" aside
        '#TRANS 1930 {} -1.00 20240101 a\\"b c"',  # \" outside quotes opens a field
        '#TRANS 1930 {} -1.00 "20240101"x "y"',  # a quoted field then a bare word, no blank
        '#TRANS 1930 {} "-1.00" 20240101 "{}" "1" "}"',  # braces quoted
        '#TRANS {} "1930" -1.00',  # a quoted field where the account should be
        '#TRANS 1930 {} -1.00 20240101 "C:\\dir\\"',  # \" at the end: the tokenizer backtracks
        '#TRANS 1930 {1 ""} -1.00',  # an empty quoted object number
        '#TRANS 1930 {1 Nord 6 ""} -1.00 "" "" 2',
        '#TRANS "" {} -1.00',  # an empty account
        '#TRANS 1930 {} "" 20240101',  # an empty amount
        '#TRANS 1930 {} -1.00 20240101 a""b',  # "" inside a word: three fields
        '#TRANS 1930 {} -1.00 """" 2',  # two empty fields, no blank between
        '#TRANS 1930 {} -1.00 "" "x\x00" 2',  # a NUL in the line
        '#TRANS 1930 {} -1.00 "" \x00 2',
    ],
)
def test_odd_quoted_rows_read_the_same(row: str) -> None:
    data = f"#SIETYP 4\n#VER A 1 20240101\n{{\n{row}\n#TRANS 1930 {{}} 1.00\n}}\n".encode("cp437")
    results = _read_all_paths(data)
    for name, result in results.items():
        assert result == results["general"], name


# The pure fast path cuts a row line after its object list's } and at the blanks after the
# amount and the date, and caches what it read of each piece: rows built from pieces, the
# same pieces again in other rows (cache hits), the odd ones among them.
ROW_HEADS = [
    "#TRANS 1930 {}",
    "  #TRANS\t1930 {1 Nord}",
    '#TRANS "1930" {}',
    '#TRANS "19 30" {1 "P 17"}',
    '#TRANS "19\\"30" {}',
    '#TRANS 1930 {"1" "Nord" 6 "x\\"y"}',
    '#TRANS 1930 {6 "P \\"17\\""}',
    '#TRANS 1930 {1 "a\\"}',  # \" before the } the line is cut at
    '#TRANS 1930 {1 "a}',  # the first } is inside quotes
    "#TRANS 1930 {1 {x}",
    "#TRANS 1930 {1}",
    "#TRANS 1930{}",
    "#TRANS 19{30 {}",
    '#TRANS 1930 "x" {}',
    "#TRANS {}",
    "#trans 1930 {}",
    "#RTRANS 1930 {}",
    "#BTRANS 1930 {1 Nord}",
    "#TRANSX 1930 {}",
    "#TRANS 1930 {",
    "",
]
ROW_AMOUNTS = ["1.00", "-1.00", '"2.50"', '""', '"1', "1e5", "1.00}", '1"2"', "", "{}"]
ROW_DATES = ["", "20240101", '"20240102"', '""', '"2024 0101"', "2024010", '20240101"x"', "{}", "\\"]
ROW_TAILS = [
    "",
    '"text"',
    "text",
    '"te\\"xt"',
    '"C:\\dir\\"',
    '"x" "1" "Eva S"',
    '"" 2',
    '"" "" ""',
    "a b c d",
    '"{12}" 1',
    "te{xt",
    "x 3 sign }",
    '"a',
    '"a" "b" "c" "d"',
    '"" 1.5 ES',
    '"" 1e5',
    '""""',
    'a""b',
    '\\" x',
]


@st.composite
def pieced_rows(draw: st.DrawFn) -> bytes:
    heads = draw(st.lists(st.sampled_from(ROW_HEADS), min_size=1, max_size=3))
    tails = draw(st.lists(st.sampled_from(ROW_TAILS), min_size=1, max_size=3))
    gap = st.sampled_from([" ", "\t", "  "])
    lines = ["#SIETYP 4"]
    for _ in range(draw(st.integers(1, 3))):
        lines += ["#VER A 1 20240101", "{"]
        for _ in range(draw(st.integers(1, 6))):
            pieces = [
                draw(st.sampled_from(heads)),
                draw(st.sampled_from(ROW_AMOUNTS)),
                draw(st.sampled_from(ROW_DATES)),
                draw(st.sampled_from(tails)),
            ]
            lines.append(draw(gap).join(pieces) + draw(st.sampled_from(["", " ", "\r"])))
        lines.append("}")
    return "\n".join(lines).encode("cp437")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieced_rows())
def test_rows_from_pieces_read_the_same_on_every_path(data: bytes) -> None:
    results = _read_all_paths(data)
    for name, result in results.items():
        assert result == results["general"], name
