"""#KSUMMA: verified on the real file, mutated, truncated, signed; and written by the writer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ledgerport import sie

KSUMMA_FILE = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "sie"
    / "visma-compact-6.00_typ1_ksumma_Sie1.se"
)
pytestmark = pytest.mark.skipif(not KSUMMA_FILE.is_file(), reason="shared/data/sie not present")


def test_real_file_verifies() -> None:
    assert sie.read(KSUMMA_FILE, strict=True).checksum == "ok"


def test_one_mutated_byte_is_a_mismatch() -> None:
    data = bytearray(KSUMMA_FILE.read_bytes())
    position = data.index(b"Balanserade utgifter")
    data[position] = ord("b")  # still a perfectly readable file
    doc = sie.read(bytes(data))
    assert doc.checksum == "mismatch"
    assert [p.code for p in doc.errors] == ["checksum-mismatch"]
    assert doc.errors[0].line == data.count(b"\n")  # the closing #KSUMMA is the last line
    with pytest.raises(sie.SieError) as raised:
        sie.read(bytes(data), strict=True)
    assert raised.value.line == doc.errors[0].line


def test_truncated_file_is_an_error() -> None:
    data = KSUMMA_FILE.read_bytes()
    truncated = data[: data.rindex(b"#KSUMMA")]
    doc = sie.read(truncated)
    assert doc.checksum == "mismatch"
    assert [(p.code, p.line) for p in doc.errors] == [("truncated", 2)]  # the opening #KSUMMA
    with pytest.raises(sie.SieError, match="truncated"):
        sie.read(truncated, strict=True)


def test_signed_checksum_is_accepted() -> None:
    doc = sie.read(KSUMMA_FILE)
    data = sie.dumps(doc, checksum=True)
    value = int(re.search(rb"#KSUMMA (\d+)\r\n$", data).group(1))  # type: ignore[union-attr]
    signed = value - (1 << 32) if value >= 1 << 31 else value
    patched = re.sub(rb"#KSUMMA \d+\r\n$", b"#KSUMMA %d\r\n" % signed, data)
    assert sie.read(patched).checksum == "ok"
    assert sie.read(data.replace(b"#KSUMMA %d" % value, b"#KSUMMA %d" % (value ^ 1))).checksum == "mismatch"


def test_writer_checksum_covers_escaped_quotes_and_objects() -> None:
    source = (
        b'#FLAGGA 0\r\n#PROGRAM "x" 1\r\n#FORMAT PC8\r\n#GEN 20240101\r\n#SIETYP 4\r\n#FNAMN "A \\"B\\" AB"\r\n'
        b'#VER A 1 20240101 "t"\r\n{\r\n#TRANS 1930 {1 "a b" 6 0001} 10.00\r\n#TRANS 1910 {} -10.00\r\n}\r\n'
    )
    doc = sie.read(source)
    assert doc.header.company_name == 'A "B" AB'
    again = sie.read(sie.dumps(doc, checksum=True), strict=True)
    assert again.checksum == "ok"
    assert again == doc


def test_no_ksumma_is_absent_and_closing_without_opening_is_an_error() -> None:
    assert sie.read(b"#FLAGGA 0\n#FORMAT PC8\n").checksum == "absent"
    doc = sie.read(b"#FLAGGA 0\n#FORMAT PC8\n#KSUMMA 123\n")
    assert doc.checksum == "mismatch"
    assert doc.errors[0].line == 3
