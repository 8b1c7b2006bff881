"""Typed model of a Norwegian SAF-T Financial file (1.10, 1.20 and 1.30), independent of XML.

Amounts are Decimal and signed as a ledger stores them: debit positive, credit negative
(the file writes them unsigned in DebitAmount/CreditAmount and *DebitBalance/*CreditBalance).
`line` is the 1-based line of the element's start tag (0: not known).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

ZERO = Decimal(0)


@dataclass(slots=True, frozen=True)
class Header:
    version: str  # AuditFileVersion as written ("1.0", "1.20", "1.30" ...)
    orgnr: str  # Company/RegistrationNumber
    name: str
    currency: str  # DefaultCurrencyCode
    period_start: dt.date | None  # first day of the selection (None: the file states none)
    period_end: dt.date | None
    software: str = ""  # SoftwareCompanyName SoftwareID SoftwareVersion
    line: int = 0


@dataclass(slots=True)
class Account:
    """MasterFiles/GeneralLedgerAccounts/Account with its balances as the file states them."""

    id: str
    description: str = ""
    grouping_category: str = ""  # 1.30 (and optionally 1.20): næringsspesifikasjon
    grouping_code: str = ""
    standard_account: str = ""  # 1.20: StandardAccountID (Regnskap Norge 2-character list)
    opening: Decimal | None = None  # None: the file states no opening balance
    closing: Decimal | None = None
    line: int = 0


@dataclass(slots=True, frozen=True)
class Party:
    """A customer or supplier (sub-ledger party)."""

    kind: Literal["customer", "supplier"]
    id: str
    name: str
    line: int = 0


@dataclass(slots=True, frozen=True)
class TaxCode:
    """TaxTable/TaxTableEntry/TaxCodeDetails: the firm's own VAT code and its standard code."""

    code: str
    description: str
    percentage: Decimal | None
    standard_code: str  # Skatteetaten's StandardTaxCode ("NA" when it cannot be mapped)
    base_rates: tuple[Decimal, ...] = ()
    effective: dt.date | None = None  # EffectiveDate: a code may be listed once per rate it had
    expires: dt.date | None = None
    line: int = 0


@dataclass(slots=True, frozen=True)
class AnalysisEntry:
    """AnalysisTypeTable: a dimension (type, e.g. "A" department) and one of its ids."""

    type: str
    type_description: str
    id: str
    description: str


@dataclass(slots=True, frozen=True)
class Journal:
    id: str
    description: str = ""
    type: str = ""
    line: int = 0


@dataclass(slots=True, frozen=True)
class Line:
    record_id: str
    account: str
    amount: Decimal  # debit positive, credit negative
    description: str = ""
    tax_code: str = ""  # the first TaxInformation's own TaxCode ("" when none)
    tax_base: Decimal | None = None
    tax_amount: Decimal | None = None  # signed like amount
    value_date: dt.date | None = None
    customer_id: str = ""
    supplier_id: str = ""
    analysis: tuple[tuple[str, str], ...] = ()  # (AnalysisType, AnalysisID) pairs
    line: int = 0


@dataclass(slots=True)
class Transaction:
    """One voucher (bilag) of a journal, with its lines."""

    journal: str
    id: str
    date: dt.date  # TransactionDate
    period: int | None = None
    period_year: int | None = None
    posting_date: dt.date | None = None  # GLPostingDate
    entry_date: dt.date | None = None  # SystemEntryDate
    description: str = ""
    voucher_type: str = ""
    lines: list[Line] = field(default_factory=list)
    line: int = 0

    @property
    def debit(self) -> Decimal:
        return sum((ln.amount for ln in self.lines if ln.amount > 0), ZERO)

    @property
    def credit(self) -> Decimal:
        """The credit total as a positive number, as TotalCredit writes it."""
        return -sum((ln.amount for ln in self.lines if ln.amount < 0), ZERO)


@dataclass(slots=True, frozen=True)
class Totals:
    """GeneralLedgerEntries' control totals as the file states them."""

    entries: int
    debit: Decimal
    credit: Decimal
    line: int = 0


@dataclass(slots=True, frozen=True)
class Problem:
    severity: Literal["warning", "error"]
    line: int
    element: str  # the element the problem is about (local name), "" for the file
    code: str
    message: str  # English; `params` lets an application say it in its user's language
    params: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int | str]:
        return {"line": self.line, "element": self.element, "message": self.message}
