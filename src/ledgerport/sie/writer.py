"""SIE 4 writer: CP437, CRLF, #FORMAT PC8, records in the spec's order (§5.12), optional #KSUMMA.

Texts are always quoted; identifiers (accounts, series, object numbers) only
when they contain a blank, a quote or a brace, like the official example file.
A character CP437 cannot hold becomes "?" and a control character a blank,
with a warning (or SieError in strict mode).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, BinaryIO

from . import checksum as ksumma
from .lexer import Field
from .model import Balance, ObjectRef, Problem, Row, SieDocument, SieHeader, Voucher
from .problems import ProblemLog, SieError

_NEEDS_QUOTES = frozenset(' \t"{}')
_CONTROL = {i: " " for i in (*range(32), 127)}


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _date(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value is not None else ""


def _optional(value: Decimal | None) -> str:
    return "" if value is None else _amount(value)


def _objects(objects: Sequence[ObjectRef]) -> tuple[str, ...]:
    return tuple(part for pair in objects for part in pair)


class SieWriter:
    """Writes one SIE 4 file record by record, so vouchers can be streamed out too."""

    def __init__(self, stream: IO[bytes], *, checksum: bool = False, strict: bool = False) -> None:
        self._stream = stream
        self._checksum = checksum
        self._crc = 0
        self._summing = False
        self.log = ProblemLog(strict)
        self._line = 0

    @property
    def problems(self) -> list[Problem]:
        return self.log.problems

    # --- low level -----------------------------------------------------------------------

    def _clean(self, value: str) -> str:
        if value.isascii() and value.isprintable():
            return value
        cleaned = value.translate(_CONTROL)
        if cleaned != value:
            self.log.warn(self._line, f"control characters in {value!r} written as blanks", "control-char")
        try:
            cleaned.encode("cp437")
        except UnicodeEncodeError:
            replaced = cleaned.encode("cp437", "replace").decode("cp437")
            message = f"{value!r} has characters CP437 cannot hold; written as {replaced!r}"
            if self.log.strict:
                raise SieError(self._line, message, "not-cp437") from None
            self.log.warn(self._line, message, "not-cp437")
            cleaned = replaced
        return cleaned

    def _format(self, value: str, *, text: bool) -> str:
        if not value:
            return '""'
        if text or any(char in _NEEDS_QUOTES for char in value):
            if value.endswith("\\"):
                self.log.warn(
                    self._line, f"{value!r}: a trailing backslash before a quote is ambiguous", "escape"
                )
            return '"' + value.replace('"', '\\"') + '"'
        return value

    def record(self, label: str, fields: Iterable[Field], texts: Iterable[int] = ()) -> None:
        """Write one record; trailing empty fields are dropped, inner ones written as ""."""
        self._line += 1
        text_positions = set(texts)
        cleaned: list[Field] = []
        for item in fields:
            if isinstance(item, str):
                cleaned.append(self._clean(item))
            else:
                cleaned.append(tuple(self._clean(part) for part in item))
        while cleaned and cleaned[-1] == "":
            cleaned.pop()
        parts = [label]
        for position, item in enumerate(cleaned):
            if isinstance(item, str):
                parts.append(self._format(item, text=position in text_positions))
            else:
                parts.append("{" + " ".join(self._format(part, text=False) for part in item) + "}")
        if self._summing:
            self._crc = ksumma.update(self._crc, label, cleaned)
        self._stream.write((" ".join(parts) + "\r\n").encode("cp437"))

    def _raw(self, line: str) -> None:
        self._line += 1
        self._stream.write(line.encode("cp437") + b"\r\n")

    # --- document parts ------------------------------------------------------------------

    def write_header(self, header: SieHeader, *, has_vouchers: bool) -> None:
        self.record("#FLAGGA", [str(header.flag if header.flag is not None else 0)])
        if self._checksum:
            self.record("#KSUMMA", [])
            self._summing = True
            self._crc = 0
        program = header.program
        self.record("#PROGRAM", [program.name, program.version] if program else ["Ledgerport", ""], (0, 1))
        self.record("#FORMAT", ["PC8"])
        generated = header.generated or datetime.now(UTC).date()
        self.record("#GEN", [_date(generated), header.generated_by], (1,))
        declared = header.declared_type
        if declared not in ("1", "2", "3", "4"):
            declared = "4" if has_vouchers else "1"
        self.record("#SIETYP", [declared])
        for prosa in header.prosa:
            self.record("#PROSA", [prosa], (0,))
        if header.company_type is not None:
            self.record("#FTYP", [header.company_type])
        if header.company_id is not None:
            self.record("#FNR", [header.company_id], (0,))
        if header.orgnr is not None:
            self.record("#ORGNR", [header.orgnr, *header.orgnr_extra])
        if header.industry_code is not None:
            self.record("#BKOD", [header.industry_code])
        if header.address is not None:
            address = header.address
            self.record(
                "#ADRESS", [address.contact, address.street, address.postal, address.phone], (0, 1, 2, 3)
            )
        self.record("#FNAMN", [header.company_name or ""], (0,))
        for year in header.fiscal_years.values():
            self.record("#RAR", [str(year.index), _date(year.start), _date(year.end)])
        if header.tax_year is not None:
            self.record("#TAXAR", [str(header.tax_year)])
        if header.coverage_date is not None:
            self.record("#OMFATTN", [_date(header.coverage_date)])
        if header.chart_type is not None:
            self.record("#KPTYP", [header.chart_type])
        if header.currency is not None:
            self.record("#VALUTA", [header.currency])
        for account in header.accounts.values():
            self.record("#KONTO", [account.number, account.name], (1,))
            if account.type is not None:
                self.record("#KTYP", [account.number, account.type])
            if account.unit is not None:
                self.record("#ENHET", [account.number, account.unit], (1,))
            for code in account.sru:
                self.record("#SRU", [account.number, code])
        for dimension in header.dimensions.values():
            if dimension.parent is None:
                self.record("#DIM", [dimension.number, dimension.name], (1,))
            else:
                self.record("#UNDERDIM", [dimension.number, dimension.name, dimension.parent], (1,))
        for obj in header.objects.values():
            self.record("#OBJEKT", [obj.dimension, obj.number, obj.name], (2,))
        for balance in header.balances:
            self.write_balance(balance)

    def write_balance(self, balance: Balance) -> None:
        fields: list[Field] = [str(balance.year)]
        if balance.period is not None:
            fields.append(balance.period)
        fields.append(balance.account)
        if balance.kind not in ("IB", "UB", "RES"):
            fields.append(_objects(balance.objects))
        fields += [_amount(balance.amount), _optional(balance.quantity)]
        self.record("#" + balance.kind, fields)

    def write_voucher(self, voucher: Voucher) -> None:
        self.record(
            "#VER",
            [
                voucher.series,
                voucher.number,
                _date(voucher.date),
                voucher.text,
                _date(voucher.registered),
                voucher.sign,
            ],
            (3, 5),
        )
        self._raw("{")
        changes = sorted(voucher.changes, key=lambda change: change.position)
        pending = 0
        for position, row in enumerate(voucher.rows):
            while pending < len(changes) and changes[pending].position <= position:
                change = changes[pending]
                self._row("#RTRANS" if change.kind == "added" else "#BTRANS", change.row)
                pending += 1
            self._row("#TRANS", row)
        for change in changes[pending:]:
            self._row("#RTRANS" if change.kind == "added" else "#BTRANS", change.row)
        self._raw("}")

    def _row(self, label: str, row: Row) -> None:
        self.record(
            label,
            [
                row.account,
                _objects(row.objects),
                _amount(row.amount),
                _date(row.date),
                row.text,
                _optional(row.quantity),
                row.sign,
            ],
            (4, 6),
        )

    def finish(self) -> None:
        if self._summing:
            self._summing = False
            self.record("#KSUMMA", [str(self._crc & 0xFFFFFFFF)])
        self.log.finish()


def write(
    document: SieDocument,
    target: str | os.PathLike[str] | BinaryIO,
    *,
    checksum: bool = False,
    strict: bool = False,
) -> list[Problem]:
    """Write document as SIE 4 to a path or binary stream; returns the warnings."""
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as stream:
            return write(document, stream, checksum=checksum, strict=strict)
    writer = SieWriter(target, checksum=checksum, strict=strict)
    writer.write_header(document.header, has_vouchers=bool(document.vouchers))
    for voucher in document.vouchers:
        writer.write_voucher(voucher)
    writer.finish()
    return writer.problems


def dumps(document: SieDocument, *, checksum: bool = False, strict: bool = False) -> bytes:
    """The SIE 4 bytes of document (warnings are dropped; use write() to get them)."""
    buffer = io.BytesIO()
    write(document, buffer, checksum=checksum, strict=strict)
    return buffer.getvalue()
