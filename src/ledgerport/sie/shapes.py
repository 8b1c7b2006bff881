"""Every shape of voucher row SIE 4 allows, as files, for the tests and the parse benchmark.

A Shape picks one way of writing each field of #VER and #TRANS (spec §5, §11: any field
may be quoted, \\" is a quote inside quotes, fields are separated by blanks or TABs, the
optional fields of a row are positional, so a quantity after a missing date and text
writes them as ""). render() writes a balanced file with that shape on every row and
gives the vouchers a reader must return, so a test can check the values as well as
the paths against each other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from .model import ObjectRef, Row, RowChange, Voucher

OBJECTS: dict[str, tuple[tuple[ObjectRef, ...], ...]] = {
    "none": ((),),
    "bare": ((("1", "Nord"),), (("1", "Syd"), ("6", "0001"))),
    "quoted": ((("1", "Nord"), ("6", "P 17")), (("6", "P 18"),)),
    "quoted-dims": ((("1", "Syd"), ("7", "104")), (("1", "Nord"),)),
    "escaped": ((("6", 'P "17"'),), (("1", "Syd"), ("6", 'x\\"y'))),
}
TEXTS: dict[str, tuple[str, ...]] = {
    "none": ("",),
    "empty": ("",),
    "plain": ("Kaffebröd", "Hyra januari", "Överföring 1930", "Lön"),
    "bare": ("Kaffebröd", "Hyra", "Lön"),
    "escaped": ('Faktura "snabb"', 'Ref "12" och "13"', 'C:\\dir\\ "x"'),
    "braces": ("Faktura {12}", "}{ och {}"),
}
ACCOUNTS = ("1930", "1510", "2440", "2611", "3041", "4010", "5010", "6110", "7690", "0123")


@dataclass(frozen=True)
class Shape:
    """How each field is written; "none" leaves an optional field out."""

    name: str = "common"
    ver_ids: str = "bare"  # bare | quoted | empty-series | empty-number
    ver_text: str = "plain"  # none | plain | escaped
    ver_registered: str = "bare"  # none | bare | quoted
    ver_sign: str = "none"  # none | bare | quoted
    account: str = "bare"  # bare | quoted
    objects: str = "none"  # none | bare | quoted | quoted-dims | escaped
    amount: str = "bare"  # bare | quoted | integer
    date: str = "none"  # none | bare | quoted | empty
    text: str = "none"  # none | empty | plain | bare | escaped | braces
    quantity: str = "none"  # none | bare | quoted | empty
    sign: str = "none"  # none | bare | quoted
    # TRANS | RTRANS (a corrected voucher: its first row also as #RTRANS before it) | BTRANS
    # (a struck row before the first): one change a voucher, as corrections come
    label: str = "TRANS"
    separator: str = " "  # between fields: " ", "\t", "  "
    indent: str = ""  # before #TRANS
    trailing: str = ""  # after the last field
    newline: str = "\r\n"
    encoding: str = "cp437"


def _quote(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'


def _objects(objects: tuple[ObjectRef, ...], how: str) -> str:
    items: list[str] = []
    for dim, obj in objects:
        if how == "quoted-dims":
            items += [_quote(dim), _quote(obj)]
        elif how in ("quoted", "escaped") and (" " in obj or '"' in obj or "\\" in obj):
            items += [dim, _quote(obj)]
        else:
            items += [dim, obj]
    return "{" + " ".join(items) + "}"


def _field(value: str, how: str) -> str:
    return _quote(value) if how in ("quoted", "empty", "plain", "escaped", "braces") else value


def _fields(values: list[str | None], separator: str) -> str:
    """Trailing missing fields are left out; a missing field before a present one is ""."""
    while values and values[-1] is None:
        values.pop()
    return separator.join('""' if value is None else value for value in values)


def _ver_line(shape: Shape, voucher: Voucher) -> str:
    series, number = voucher.series, voucher.number
    quoted = shape.ver_ids == "quoted"
    ids = [_quote(value) if quoted or not value else value for value in (series, number)]
    registered = voucher.registered
    values: list[str | None] = [
        "#VER",
        *ids,
        f"{voucher.date:%Y%m%d}",
        None if shape.ver_text == "none" else _quote(voucher.text),
        None if registered is None else _field(f"{registered:%Y%m%d}", shape.ver_registered),
        None if shape.ver_sign == "none" else _field(voucher.sign, shape.ver_sign),
    ]
    return _fields(values, shape.separator)


def _row_line(shape: Shape, label: str, row: Row) -> str:
    values: list[str | None] = [
        label,
        _field(row.account, shape.account),
        _objects(row.objects, shape.objects),
        _field(str(row.amount), shape.amount),
        None
        if shape.date == "none"
        else _field("" if row.date is None else f"{row.date:%Y%m%d}", shape.date),
        None if shape.text == "none" else _field(row.text, shape.text),
        None
        if shape.quantity == "none"
        else _field("" if row.quantity is None else str(row.quantity), shape.quantity),
        None if shape.sign == "none" else _field(row.sign, shape.sign),
    ]
    return shape.indent + _fields(values, shape.separator) + shape.trailing


def vouchers(shape: Shape, rows: int, seed: int = 1) -> list[Voucher]:
    """Balanced vouchers of 2-6 rows holding `rows` #TRANS rows in all (one more when odd)."""
    rng = random.Random(seed)
    result: list[Voucher] = []
    written = 0
    while written < rows:
        count = max(2, min(rng.randint(2, 6), rows - written))
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
        amounts = [Decimal(rng.randint(-500_000, 500_000)).scaleb(-2) for _ in range(count - 1)]
        if shape.amount == "integer":
            amounts = [amount.to_integral_value() for amount in amounts]
        amounts.append(-sum(amounts, Decimal(0)))
        voucher_rows = []
        for amount in amounts:
            quantity = None
            if shape.quantity in ("bare", "quoted"):
                quantity = Decimal(rng.choice(("1", "2", "-1.5", "12.25", "0")))
            voucher_rows.append(
                Row(
                    rng.choice(ACCOUNTS),
                    rng.choice(OBJECTS[shape.objects]),
                    amount,
                    day if shape.date in ("bare", "quoted") else None,
                    rng.choice(TEXTS[shape.text]),
                    quantity,
                    {"none": "", "bare": "ES", "quoted": "Eva S"}[shape.sign],
                )
            )
        changes: list[RowChange] = []
        if shape.label == "RTRANS":
            changes = [RowChange("added", voucher_rows[0], 0)]
        elif shape.label == "BTRANS":
            changes = [RowChange("removed", voucher_rows[0]._replace(amount=Decimal("1.00")), 0)]
        series = "" if shape.ver_ids == "empty-series" else rng.choice("ABC")
        number = "" if shape.ver_ids == "empty-number" else str(len(result) + 1)
        text = "" if shape.ver_text == "none" else rng.choice(TEXTS[shape.ver_text])
        sign = {"none": "", "bare": "ES", "quoted": "Eva S"}[shape.ver_sign]
        registered = None if shape.ver_registered == "none" else day
        result.append(Voucher(series, number, day, text, registered, sign, voucher_rows, changes))
        written += count
    return result


def render(shape: Shape, voucher_list: list[Voucher]) -> bytes:
    """The file: a short header, then the vouchers written in `shape`."""
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#PROGRAM "ledgerport shapes" 1',
        "#GEN 20241231",
        '#FNAMN "Form AB"',
        "#RAR 0 20240101 20241231",
        '#DIM 1 "Kostnadsställe"',
        '#DIM 6 "Projekt"',
        '#DIM 7 "Anställd"',
    ]
    lines += [f'#KONTO {account} "Konto {account}"' for account in ACCOUNTS]
    for voucher in voucher_list:
        lines.append(_ver_line(shape, voucher))
        lines.append("{")
        changes = {change.position: change for change in voucher.changes}
        for position, row in enumerate(voucher.rows):
            change = changes.get(position)
            if change is not None:
                lines.append(_row_line(shape, "#RTRANS" if change.kind == "added" else "#BTRANS", change.row))
            lines.append(_row_line(shape, "#TRANS", row))
        lines.append("}")
    return (shape.newline.join(lines) + shape.newline).encode(shape.encoding)


COMMON = Shape()
# The named shapes the benchmark measures: the ones real files write, and the costly ones.
NAMED: tuple[Shape, ...] = (
    COMMON,
    replace(COMMON, name="dated", date="bare"),
    replace(COMMON, name="dated+text", date="bare", text="plain"),
    replace(COMMON, name="quoted-ids", ver_ids="quoted", trailing=" "),
    replace(COMMON, name="empty-series", ver_ids="empty-series", date="bare", text="empty"),
    replace(COMMON, name="visma-empty-date", indent="   ", date="empty", text="plain"),
    replace(COMMON, name="quantity", objects="bare", date="bare", text="empty", quantity="bare"),
    replace(COMMON, name="quantity-empty-date", date="empty", text="empty", quantity="bare"),
    replace(COMMON, name="quoted-quantity+sign", date="bare", text="plain", quantity="quoted", sign="quoted"),
    replace(COMMON, name="bare-text+sign", date="bare", text="bare", quantity="bare", sign="bare"),
    replace(COMMON, name="escaped-text", date="bare", text="escaped", ver_text="escaped"),
    replace(COMMON, name="braces-in-text", date="bare", text="braces"),
    replace(COMMON, name="objects", objects="bare", date="bare"),
    replace(COMMON, name="quoted-objects", objects="quoted", date="bare", text="plain"),
    replace(COMMON, name="quoted-dims", objects="quoted-dims"),
    replace(COMMON, name="escaped-objects", objects="escaped", text="escaped"),
    replace(
        COMMON,
        name="all-quoted",
        ver_ids="quoted",
        account="quoted",
        amount="quoted",
        date="quoted",
        text="plain",
        quantity="quoted",
        sign="quoted",
        ver_registered="quoted",
        ver_sign="quoted",
    ),
    replace(COMMON, name="tabs", separator="\t", indent="\t", date="bare", text="plain"),
    replace(COMMON, name="wide-gaps", separator="   ", indent="    ", objects="bare", date="bare"),
    replace(COMMON, name="rtrans", label="RTRANS", date="bare"),
    replace(COMMON, name="btrans", label="BTRANS"),
    replace(COMMON, name="utf8-lf", encoding="utf-8", newline="\n", date="bare", text="plain"),
    replace(COMMON, name="integer-amounts", amount="integer", ver_text="none", ver_registered="none"),
)
