"""Interpretation of the SIE 1-4 header and balance records (everything but vouchers).

Each handler gets the fields after the label and the line number, and updates
the header. Unknown extra fields at the end of a record are ignored (spec §7).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from .lexer import Field, pairs, parse_amount, parse_date, parse_int
from .model import (
    Account,
    Address,
    Balance,
    BalanceKind,
    Dimension,
    FiscalYear,
    ObjectRef,
    Program,
    SieHeader,
    SieObject,
)
from .problems import ProblemLog

Handler = Callable[["HeaderBuilder", list[Field], int], None]


def text(fields: list[Field], index: int) -> str:
    """Field as a string; "" when absent. An object list in a text position is flattened."""
    if index >= len(fields):
        return ""
    value = fields[index]
    return value if isinstance(value, str) else " ".join(value)


class HeaderBuilder:
    def __init__(self, header: SieHeader, log: ProblemLog) -> None:
        self.header = header
        self.log = log
        self.format_line = 0

    # --- helpers -------------------------------------------------------------------------

    def required(self, fields: list[Field], index: int, label: str, what: str, line: int) -> str | None:
        value = text(fields, index)
        if not value:
            self.log.error(line, f"{label}: missing {what}", "missing-field", label=label)
            return None
        return value

    def date_field(
        self, fields: list[Field], index: int, label: str, line: int, *, error: bool
    ) -> date | None:
        raw = text(fields, index)
        if not raw:
            return None
        value = parse_date(raw)
        if value is None:
            message = f"{label}: invalid date {raw!r} (expected YYYYMMDD)"
            if error:
                self.log.error(line, message, "bad-date", label=label, value=raw)
            else:
                self.log.warn(line, message, "bad-date", label=label, value=raw)
        return value

    def year_field(self, fields: list[Field], index: int, label: str, line: int) -> int | None:
        raw = text(fields, index)
        value = parse_int(raw)
        if value is None:
            self.log.error(line, f"{label}: invalid year number {raw!r}", "bad-year", label=label, value=raw)
        return value

    def amount_field(self, fields: list[Field], index: int, label: str, line: int) -> Decimal | None:
        raw = text(fields, index)
        value = parse_amount(raw)
        if value is None:
            self.log.error(line, f"{label}: invalid amount {raw!r}", "bad-amount", label=label, value=raw)
        return value

    def quantity_field(self, fields: list[Field], index: int, label: str, line: int) -> Decimal | None:
        raw = text(fields, index)
        if not raw:
            return None
        value = parse_amount(raw)
        if value is None:
            self.log.warn(line, f"{label}: invalid quantity {raw!r} ignored", "bad-quantity")
        return value

    def object_list(
        self, fields: list[Field], index: int, label: str, line: int
    ) -> tuple[ObjectRef, ...] | None:
        value = fields[index] if index < len(fields) else None
        if not isinstance(value, tuple):
            self.log.error(line, f"{label}: missing object list {{...}}", "missing-objects", label=label)
            return None
        result = pairs(value)
        if result is None:
            self.log.warn(
                line, f"{label}: object list has an odd number of items; last one ignored", "objects"
            )
            result = pairs(value[:-1]) or ()
        return result

    def account(self, number: str, line: int, label: str) -> Account:
        found = self.header.accounts.get(number)
        if found is None:
            self.log.warn(
                line,
                f"{label}: account {number} has no #KONTO before it",
                "undeclared-account",
                label=label,
                value=number,
            )
            found = self.header.accounts[number] = Account(number, line=line)
        return found

    # --- identification ------------------------------------------------------------------

    def flagga(self, fields: list[Field], line: int) -> None:
        value = parse_int(text(fields, 0))
        if value is None:
            self.log.warn(line, "#FLAGGA: expected 0 or 1", "bad-flag")
        self.header.flag = value

    def program(self, fields: list[Field], line: int) -> None:
        self.header.program = Program(text(fields, 0), text(fields, 1))

    def format(self, fields: list[Field], line: int) -> None:
        self.header.format = text(fields, 0)
        self.format_line = line
        if self.header.format.upper() != "PC8":
            self.log.warn(line, f"#FORMAT {self.header.format!r}: the only legal value is PC8", "format")

    def gen(self, fields: list[Field], line: int) -> None:
        self.header.generated = self.date_field(fields, 0, "#GEN", line, error=False)
        self.header.generated_by = text(fields, 1)

    def sietyp(self, fields: list[Field], line: int) -> None:
        value = text(fields, 0)
        if value not in ("1", "2", "3", "4"):
            self.log.error(line, f"#SIETYP: unknown type {value!r}", "bad-type", label="#SIETYP", value=value)
            return
        self.header.declared_type = value

    def prosa(self, fields: list[Field], line: int) -> None:
        self.header.prosa.append(text(fields, 0))

    def ftyp(self, fields: list[Field], line: int) -> None:
        self.header.company_type = text(fields, 0)

    def fnr(self, fields: list[Field], line: int) -> None:
        self.header.company_id = text(fields, 0)

    def orgnr(self, fields: list[Field], line: int) -> None:
        self.header.orgnr = text(fields, 0)
        self.header.orgnr_extra = tuple(text(fields, i) for i in range(1, min(len(fields), 3)))

    def bkod(self, fields: list[Field], line: int) -> None:
        self.header.industry_code = text(fields, 0)

    def adress(self, fields: list[Field], line: int) -> None:
        self.header.address = Address(*(text(fields, i) for i in range(4)))

    def fnamn(self, fields: list[Field], line: int) -> None:
        self.header.company_name = text(fields, 0)

    def rar(self, fields: list[Field], line: int) -> None:
        index = self.year_field(fields, 0, "#RAR", line)
        if index is None:
            return
        start = self.date_field(fields, 1, "#RAR", line, error=True)
        end = self.date_field(fields, 2, "#RAR", line, error=True)
        if start and end and end < start:
            self.log.error(line, f"#RAR {index}: ends before it starts", "bad-year")
        if index in self.header.fiscal_years:
            self.log.warn(line, f"#RAR {index} declared twice; the last one wins", "duplicate")
        self.header.fiscal_years[index] = FiscalYear(index, start, end)

    def taxar(self, fields: list[Field], line: int) -> None:
        value = parse_int(text(fields, 0))
        if value is None:
            self.log.warn(line, "#TAXAR: expected a year", "bad-year")
        self.header.tax_year = value

    def omfattn(self, fields: list[Field], line: int) -> None:
        self.header.coverage_date = self.date_field(fields, 0, "#OMFATTN", line, error=False)

    def kptyp(self, fields: list[Field], line: int) -> None:
        self.header.chart_type = text(fields, 0)

    def valuta(self, fields: list[Field], line: int) -> None:
        self.header.currency = text(fields, 0)

    # --- chart of accounts ---------------------------------------------------------------

    def konto(self, fields: list[Field], line: int) -> None:
        number = self.required(fields, 0, "#KONTO", "account number", line)
        if number is None:
            return
        name = text(fields, 1)
        found = self.header.accounts.get(number)
        if found is None:
            self.header.accounts[number] = Account(number, name, line=line)
        else:
            found.name = name

    def ktyp(self, fields: list[Field], line: int) -> None:
        number = self.required(fields, 0, "#KTYP", "account number", line)
        kind = text(fields, 1).upper()
        if number is None:
            return
        if kind not in ("T", "S", "K", "I"):
            self.log.warn(line, f"#KTYP {number}: unknown account type {kind!r}", "bad-type")
        self.account(number, line, "#KTYP").type = kind

    def enhet(self, fields: list[Field], line: int) -> None:
        number = self.required(fields, 0, "#ENHET", "account number", line)
        if number is not None:
            self.account(number, line, "#ENHET").unit = text(fields, 1)

    def sru(self, fields: list[Field], line: int) -> None:
        number = self.required(fields, 0, "#SRU", "account number", line)
        code = text(fields, 1)
        if number is not None and code:
            self.account(number, line, "#SRU").sru.append(code)

    def dim(self, fields: list[Field], line: int) -> None:
        number = self.required(fields, 0, "#DIM", "dimension number", line)
        if number is not None:
            self.header.dimensions[number] = Dimension(number, text(fields, 1))

    def underdim(self, fields: list[Field], line: int) -> None:
        number = self.required(fields, 0, "#UNDERDIM", "dimension number", line)
        if number is not None:
            self.header.dimensions[number] = Dimension(number, text(fields, 1), text(fields, 2) or None)

    def objekt(self, fields: list[Field], line: int) -> None:
        dim = self.required(fields, 0, "#OBJEKT", "dimension number", line)
        number = text(fields, 1)
        if dim is None:
            return
        reserved = dim.isdigit() and dim.isascii() and int(dim) < 20  # need not be declared (§8)
        if dim not in self.header.dimensions and not reserved:
            self.log.warn(line, f"#OBJEKT: dimension {dim!r} is not declared", "undeclared-dimension")
        self.header.objects[(dim, number)] = SieObject(dim, number, text(fields, 2))

    # --- balances ------------------------------------------------------------------------

    def _balance(self, kind: BalanceKind, fields: list[Field], line: int) -> None:
        label = "#" + kind
        year = self.year_field(fields, 0, label, line)
        index = 1
        period: str | None = None
        if kind in ("PSALDO", "PBUDGET"):
            period = text(fields, 1)
            if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
                self.log.error(
                    line,
                    f"{label}: invalid period {period!r} (expected YYYYMM)",
                    "bad-period",
                    label=label,
                    value=period,
                )
                return
            index = 2
        account = self.required(fields, index, label, "account number", line)
        objects: tuple[ObjectRef, ...] | None = ()
        if kind not in ("IB", "UB", "RES"):
            objects = self.object_list(fields, index + 1, label, line)
            index += 1
        amount = self.amount_field(fields, index + 1, label, line) if account else None
        if year is None or account is None or objects is None or amount is None:
            return
        quantity = self.quantity_field(fields, index + 2, label, line)
        self.header.balances.append(Balance(kind, year, account, amount, quantity, objects, period, line))

    def ib(self, fields: list[Field], line: int) -> None:
        self._balance("IB", fields, line)

    def ub(self, fields: list[Field], line: int) -> None:
        self._balance("UB", fields, line)

    def res(self, fields: list[Field], line: int) -> None:
        self._balance("RES", fields, line)

    def oib(self, fields: list[Field], line: int) -> None:
        self._balance("OIB", fields, line)

    def oub(self, fields: list[Field], line: int) -> None:
        self._balance("OUB", fields, line)

    def psaldo(self, fields: list[Field], line: int) -> None:
        self._balance("PSALDO", fields, line)

    def pbudget(self, fields: list[Field], line: int) -> None:
        self._balance("PBUDGET", fields, line)


HANDLERS: dict[str, Handler] = {
    "#FLAGGA": HeaderBuilder.flagga,
    "#PROGRAM": HeaderBuilder.program,
    "#FORMAT": HeaderBuilder.format,
    "#GEN": HeaderBuilder.gen,
    "#SIETYP": HeaderBuilder.sietyp,
    "#PROSA": HeaderBuilder.prosa,
    "#FTYP": HeaderBuilder.ftyp,
    "#FNR": HeaderBuilder.fnr,
    "#ORGNR": HeaderBuilder.orgnr,
    "#BKOD": HeaderBuilder.bkod,
    "#ADRESS": HeaderBuilder.adress,
    "#FNAMN": HeaderBuilder.fnamn,
    "#RAR": HeaderBuilder.rar,
    "#TAXAR": HeaderBuilder.taxar,
    "#OMFATTN": HeaderBuilder.omfattn,
    "#KPTYP": HeaderBuilder.kptyp,
    "#VALUTA": HeaderBuilder.valuta,
    "#KONTO": HeaderBuilder.konto,
    "#KTYP": HeaderBuilder.ktyp,
    "#ENHET": HeaderBuilder.enhet,
    "#SRU": HeaderBuilder.sru,
    "#DIM": HeaderBuilder.dim,
    "#UNDERDIM": HeaderBuilder.underdim,
    "#OBJEKT": HeaderBuilder.objekt,
    "#IB": HeaderBuilder.ib,
    "#UB": HeaderBuilder.ub,
    "#RES": HeaderBuilder.res,
    "#OIB": HeaderBuilder.oib,
    "#OUB": HeaderBuilder.oub,
    "#PSALDO": HeaderBuilder.psaldo,
    "#PBUDGET": HeaderBuilder.pbudget,
}
