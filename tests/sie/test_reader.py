"""Reader behaviour on small hand-written inputs."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from ledgerport import sie
from ledgerport.sie import Row

HEAD = '#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#PROGRAM "t" 1\n#GEN 20240101\n#FNAMN "Bolaget"\n'


def _doc(body: str, *, encoding: str = "cp437", strict: bool = False) -> sie.SieDocument:
    return sie.read((HEAD + body).encode(encoding), strict=strict)


def test_unknown_labels_and_extra_fields_are_ignored() -> None:
    doc = _doc(
        "#MOMSKOD 2611 10\n#MOMSKOD 2612 11\n#KONTO 1930 Bank extra fields here\n"
        '#VER A 1 20240105 "x" 20240106 "sign" future\n{\n#TRANS 1930 {} 5 20240105 "t" 2 "s" more\n'
        "#TRANS 1910 {} -5\n}\n"
    )
    assert doc.header.accounts["1930"].name == "Bank"
    assert [(p.line, p.code) for p in doc.problems] == [(7, "unknown-label")]
    (voucher,) = doc.vouchers
    assert voucher.sign == "sign"
    assert voucher.rows[0] == Row("1930", (), Decimal(5), date(2024, 1, 5), "t", Decimal(2), "s")


def test_strict_mode_raises_sie_error_with_line() -> None:
    body = "#VER A 1 20240105\n{\n#TRANS 1930 {} 12,50\n}\n"
    doc = _doc(body)
    assert [(p.line, p.code) for p in doc.errors] == [(9, "bad-amount")]
    with pytest.raises(sie.SieError) as raised:
        _doc(body, strict=True)
    assert raised.value.line == 9
    assert "12,50" in raised.value.message


def test_structure_errors() -> None:
    doc = _doc("#TRANS 1930 {} 1\n#VER A 1 20241301\n{\n#TRANS 1930 {} 1\n#TRANS 1910 {} -1\n")
    assert [(p.line, p.code) for p in doc.errors] == [
        (7, "row-outside-voucher"),
        (8, "bad-date"),
        (8, "unclosed-voucher"),
    ]
    assert len(doc.vouchers) == 1
    assert len(doc.vouchers[0].rows) == 2


def test_unbalanced_voucher_is_a_warning_and_counted() -> None:
    with sie.SieReader.open((HEAD + "#VER A 1 20240105\n{\n#TRANS 1930 {} 1.00\n}\n").encode()) as reader:
        (voucher,) = reader.vouchers()
        result = reader.result()
    assert not voucher.balanced
    assert result.stats.unbalanced == 1
    assert [(p.severity, p.line, p.code) for p in result.problems] == [("warning", 7, "unbalanced")]


def test_empty_series_and_number_and_quoted_fields() -> None:
    doc = _doc(
        '#VER "" "" 20251216 "Porto"\n{\n\t#TRANS\t"1930"\t{"1" "0001"}\t"-1"\n  #TRANS 1910 { } 1\n}\n'
    )
    (voucher,) = doc.vouchers
    assert (voucher.series, voucher.number, voucher.text) == ("", "", "Porto")
    assert voucher.rows[0].objects == (("1", "0001"),)
    assert voucher.rows[1].objects == ()
    assert doc.problems == []


def test_rtrans_without_identical_trans_is_warned_and_not_booked() -> None:
    doc = _doc("#VER A 1 20240105\n{\n#RTRANS 1930 {} 5\n#TRANS 1910 {} 0\n}\n")
    (voucher,) = doc.vouchers
    assert [row.account for row in voucher.rows] == ["1910"]
    assert [change.kind for change in voucher.changes] == ["added"]
    assert [(p.line, p.code) for p in doc.warnings] == [(9, "rtrans")]


def test_btrans_only_voucher() -> None:
    doc = _doc('#VER A 1 20240105\n{\n#BTRANS 1930 {} 5 20240106 "" "" "Kalle"\n}\n')
    (voucher,) = doc.vouchers
    assert voucher.rows == []
    assert voucher.changes[0].row.sign == "Kalle"
    assert voucher.balanced


def test_utf8_content_declared_pc8_is_decoded_and_warned() -> None:
    doc = _doc("#KONTO 1930 Företagskonto\n", encoding="utf-8")
    assert doc.encoding == "utf-8"
    assert doc.header.accounts["1930"].name == "Företagskonto"
    assert [(p.line, p.code) for p in doc.warnings] == [(2, "encoding")]


def test_bom_means_utf8() -> None:
    doc = sie.read(b"\xef\xbb\xbf" + (HEAD + "#KONTO 1930 Kassa\n").encode())
    assert doc.encoding == "utf-8"
    assert doc.header.flag == 0


def test_cp437_text() -> None:
    doc = _doc('#KONTO 1930 "Överföring åäö"\n')
    assert doc.encoding == "cp437"
    assert doc.header.accounts["1930"].name == "Överföring åäö"
    assert doc.problems == []


def test_the_fast_cp437_decoding_gives_the_codec_s_text() -> None:
    import random

    from ledgerport.sie.encoding import decode_cp437

    every = bytes(range(256))
    nordic = "Försäljning åÅäÄöÖ é ü".encode("cp437")
    generator = random.Random(7)
    samples = [every, nordic, b"", b"ascii", *(bytes([b]) for b in every)]
    samples += [bytes(generator.choice(nordic + b" 09AZ") for _ in range(50)) for _ in range(50)]
    for raw in samples:
        assert decode_cp437(raw) == raw.decode("cp437"), raw


def test_missing_format_and_sietyp() -> None:
    doc = sie.read(b"#FLAGGA 0\n#VER A 1 20240101\n{\n#TRANS 1 {} 0\n}\n")
    assert doc.sie_type == "4I"
    assert {p.code for p in doc.warnings} == {"format", "missing-type"}


def test_streaming_header_then_vouchers_then_late_records() -> None:
    body = (
        "#KONTO 1930 Bank\n#VER A 1 20240105\n{\n#TRANS 1930 {} 0\n}\n#VER A 2 20240106\n{\n}\n#UB 0 1930 7\n"
    )
    stream = io.BytesIO((HEAD + body).encode())
    reader = sie.SieReader.open(stream)
    header = reader.read_header()
    assert header.company_name == "Bolaget"
    assert list(header.accounts) == ["1930"]
    assert header.balances == []
    numbers = [v.number for v in reader]
    assert numbers == ["1", "2"]
    result = reader.result()
    assert [b.amount for b in result.header.balances] == [Decimal(7)]
    assert result.checksum == "absent"
    assert not result.has_errors
    assert not stream.closed  # the caller's stream is the caller's to close


def test_large_file_is_streamed_in_chunks() -> None:
    rows = "".join(
        f"#VER A {i} 20240101\n{{\n#TRANS 1930 {{}} 1.{i % 100:02d}\n#TRANS 1910 {{}} -1.{i % 100:02d}\n}}\n"
        for i in range(90_000)
    )
    data = (HEAD + rows).encode()
    assert len(data) > 4 << 20  # more than one read chunk
    with sie.SieReader.open(data) as reader:
        count = sum(1 for _ in reader)
        assert count == reader.stats.vouchers == 90_000
        assert reader.stats.rows == 180_000
        assert reader.problems == []


def test_lines_without_final_newline_and_crlf() -> None:
    doc = sie.read(b'#FLAGGA 0\r\n#FORMAT PC8\r\n#FNAMN "X"\r\n#KONTO 1930 "Bank"')
    assert doc.header.accounts["1930"].name == "Bank"
    assert doc.header.company_name == "X"


def test_balance_records() -> None:
    doc = _doc(
        '#IB 0 1930 100.50 3\n#OIB 0 1930 {1 "A"} 100.50\n#PSALDO 0 202401 3010 {} -5\n'
        "#PBUDGET -1 202312 3010 {6 P1} 7\n#RES 0 3010 -5\n#PSALDO 0 202413 3010 {} 1\n"
    )
    kinds = [
        (b.kind, b.year, b.account, b.amount, b.objects, b.period, b.quantity) for b in doc.header.balances
    ]
    assert kinds == [
        ("IB", 0, "1930", Decimal("100.50"), (), None, Decimal(3)),
        ("OIB", 0, "1930", Decimal("100.50"), (("1", "A"),), None, None),
        ("PSALDO", 0, "3010", Decimal(-5), (), "202401", None),
        ("PBUDGET", -1, "3010", Decimal(7), (("6", "P1"),), "202312", None),
        ("RES", 0, "3010", Decimal(-5), (), None, None),
    ]
    assert [(p.line, p.code) for p in doc.errors] == [(12, "bad-period")]


def test_amount_forms_the_decimal_constructor_would_accept_are_refused() -> None:
    for bad in ("1e5", "NaN", "+1", "1_0", "--1", "Infinity", "١"):
        doc = _doc(f"#VER A 1 20240105\n{{\n#TRANS 1930 {{}} {bad}\n}}\n", encoding="utf-8")
        assert [p.code for p in doc.errors] == ["bad-amount"], bad
