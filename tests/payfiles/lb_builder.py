"""Bankgirot LB files for the tests: 80-character records, ISO-8859-1, CRLF."""

from __future__ import annotations

from .builder import DEBTOR_BG, SKATTEVERKET_BG, SUPPLIER_BG, TAX_OCR


def record(*fields: tuple[int, str]) -> str:
    """Fields at 1-based positions; the rest blank, 80 characters."""
    line = [" "] * 80
    for position, text in fields:
        line[position - 1 : position - 1 + len(text)] = list(text)
    return "".join(line)


def opening(sender: str = DEBTOR_BG) -> str:
    return record(
        (1, "11"), (3, sender.zfill(10)), (13, "260305"), (19, "LEVERANTÖRSBETALNINGAR"), (60, "SEK")
    )


def payment(payee: str, reference: str, ore: int, date: str = "260312") -> str:
    return record((1, "14"), (3, payee.zfill(10)), (13, reference), (38, str(ore).zfill(12)), (50, date))


def deposit_account(number: str, clearing: str, account: str) -> str:
    return record((1, "40"), (3, "0000"), (7, number), (13, clearing), (17, account.zfill(12)))


def end(count: int, ore: int, sender: str = DEBTOR_BG) -> str:
    return record((1, "29"), (3, sender.zfill(10)), (13, str(count).zfill(8)), (21, str(ore).zfill(12)))


def lb(*records: str) -> bytes:
    return "".join(f"{r}\r\n" for r in records).encode("latin-1")


def realistic_lb() -> bytes:
    return lb(
        opening(),
        payment(SKATTEVERKET_BG, TAX_OCR, 4821500),
        payment(SUPPLIER_BG, "FAKTURA 4711", 124950, "260325"),
        payment("0000123456", "HYRA APRIL", 2250000, "260325"),
        deposit_account("123456", "5000", "1234560"),
        end(3, 4821500 + 124950 + 2250000),
    )
