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
