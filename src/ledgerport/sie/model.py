"""Typed model of an SIE file (types 1-4 and SIE 5), independent of the file syntax.

Equality ignores where things came from (line numbers, encoding, problems,
checksum status), so a read -> write -> read round trip compares equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, NamedTuple

BalanceKind = Literal["IB", "UB", "RES", "OIB", "OUB", "PSALDO", "PBUDGET"]
ChangeKind = Literal["added", "removed"]
ChecksumStatus = Literal["ok", "absent", "mismatch"]

# A pair (dimension number, object number); both opaque strings ("0001" != "1").
ObjectRef = tuple[str, str]


@dataclass(slots=True, frozen=True)
class Program:
    name: str
    version: str = ""


@dataclass(slots=True, frozen=True)
class Address:
    contact: str = ""
    street: str = ""
    postal: str = ""
    phone: str = ""


@dataclass(slots=True, frozen=True)
class FiscalYear:
    """#RAR: index 0 = current year, -1 = previous ... Dates may be absent (4I files)."""

    index: int
    start: dt.date | None
    end: dt.date | None

    def contains(self, day: dt.date) -> bool:
        if self.start is not None and day < self.start:
            return False
        return not (self.end is not None and day > self.end)


@dataclass(slots=True)
class Account:
    """#KONTO plus the #KTYP / #ENHET / #SRU records that refer to it."""

    number: str
    name: str = ""
    type: str | None = None  # T, S, K, I
    unit: str | None = None
    sru: list[str] = field(default_factory=list)
    line: int = field(default=0, compare=False)


@dataclass(slots=True, frozen=True)
class Dimension:
    """#DIM, or #UNDERDIM when parent is set."""

    number: str
    name: str
    parent: str | None = None


@dataclass(slots=True, frozen=True)
class SieObject:
    """#OBJEKT: an object (cost centre, project ...) in a dimension."""

    dimension: str
    number: str
    name: str


@dataclass(slots=True, frozen=True)
class Balance:
    """#IB #UB #RES (account), #OIB #OUB (account + objects), #PSALDO #PBUDGET (+ period YYYYMM)."""

    kind: BalanceKind
    year: int
    account: str
    amount: Decimal
    quantity: Decimal | None = None
    objects: tuple[ObjectRef, ...] = ()
    period: str | None = None
    line: int = field(default=0, compare=False)


class Row(NamedTuple):
    """One #TRANS / #RTRANS / #BTRANS row.

    A NamedTuple rather than a frozen dataclass: it is immutable too, and it is
    built a million times a second in the reader's hot loop, where a frozen
    dataclass's __init__ costs ~9x more.
    """

    account: str
    objects: tuple[ObjectRef, ...]
    amount: Decimal
    date: dt.date | None = None  # transdat; None = the voucher's date
    text: str = ""
    quantity: Decimal | None = None
    sign: str = ""


@dataclass(slots=True, frozen=True)
class RowChange:
    """Correction history: #RTRANS (added) or #BTRANS (removed).

    position = index into Voucher.rows of the row that followed this record
    in the file (for "added" that is normally the identical #TRANS).
    """

    kind: ChangeKind
    row: Row
    position: int


@dataclass(slots=True)
class Voucher:
    """#VER with its rows. rows is the final state (the #TRANS rows only)."""

    series: str
    number: str
    date: dt.date | None
    text: str = ""
    registered: dt.date | None = None
    sign: str = ""
    rows: list[Row] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    line: int = field(default=0, compare=False)
    # A hash of the text the reader read it from, set by the C scanner only for a voucher it
    # read whole and clean (0: none); a re-import matches it before parsing (skip_known).
    raw: int = field(default=0, compare=False, repr=False)

    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))

    @property
    def balanced(self) -> bool:
        return self.total() == 0


@dataclass(slots=True)
class SieHeader:
    """Everything except the vouchers. Filled as records are read."""

    flag: int | None = None
    program: Program | None = None
    format: str | None = field(default=None, compare=False)  # the writer always says PC8
    generated: dt.date | None = None
    generated_by: str = ""
    declared_type: str | None = None  # #SIETYP as written: "1".."4"; "5" for XML
    prosa: list[str] = field(default_factory=list)
    company_type: str | None = None  # #FTYP
    company_id: str | None = None  # #FNR
    orgnr: str | None = None
    orgnr_extra: tuple[str, ...] = ()  # förvaltningsnummer, verksamhetsnummer
    industry_code: str | None = None  # #BKOD
    address: Address | None = None
    company_name: str | None = None
    fiscal_years: dict[int, FiscalYear] = field(default_factory=dict)
    tax_year: int | None = None  # #TAXAR
    coverage_date: dt.date | None = None  # #OMFATTN
    chart_type: str | None = None  # #KPTYP
    currency: str | None = None  # #VALUTA
    accounts: dict[str, Account] = field(default_factory=dict)
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    objects: dict[ObjectRef, SieObject] = field(default_factory=dict)
    balances: list[Balance] = field(default_factory=list)

    @property
    def sie_type(self) -> str:
        """ "1", "2", "3", "4E", "4I" or "5". 4E/4I is not in the file: balances => 4E."""
        declared = self.declared_type or "1"
        if declared != "4":
            return declared
        return "4E" if self.balances else "4I"


@dataclass(slots=True, frozen=True)
class Problem:
    severity: Literal["warning", "error"]
    line: int  # 1-based; 0 = the file as a whole
    message: str
    code: str = ""
    # The values in the message (a record label, the text found ...), so that an application
    # can say the same in its user's language; keys depend on `code`.
    params: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int | str]:
        return {"line": self.line, "message": self.message}


@dataclass(slots=True)
class SieDocument:
    header: SieHeader = field(default_factory=SieHeader)
    vouchers: list[Voucher] = field(default_factory=list)
    encoding: str = field(default="cp437", compare=False)
    checksum: ChecksumStatus = field(default="absent", compare=False)
    problems: list[Problem] = field(default_factory=list, compare=False)

    @property
    def sie_type(self) -> str:
        return self.header.sie_type

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
