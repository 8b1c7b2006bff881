"""Streaming reader of a SAF-T Financial file: header, master files, then one transaction at a time.

Memory stays flat: every record (an account, a party, a transaction ...) is turned into the
model and its element cleared, with the siblings before it. The reader does not validate
against the XSD (`schema.check` does, in a pass of its own); it checks what the schema
cannot: each transaction balances, and the file's control totals (NumberOfEntries,
TotalDebit, TotalCredit) match its lines. In strict mode the first error raises SaftError;
otherwise errors and warnings are collected in `problems`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from lxml import etree

from .errors import SaftError
from .model import (
    ZERO,
    Account,
    AnalysisEntry,
    Header,
    Journal,
    Line,
    Party,
    Problem,
    TaxCode,
    Totals,
    Transaction,
)
from .schema import NS, Source, _rewind, _syntax

Q = f"{{{NS}}}"
MAX_PROBLEMS = 1000
_MASTER = ("Account", "Customer", "Supplier", "TaxTableEntry", "AnalysisTypeTableEntry")
_RECORDS = ("AuditFile", "Header", *_MASTER, "GeneralLedgerEntries", "JournalID", "Transaction")
# Records the reader skips, cleared as they end so that memory stays flat whatever the file holds.
_DROPPED = (
    "UOMTableEntry", "MovementTypeTableEntry", "Product", "PhysicalStockEntry", "Owner", "Asset",
    "Invoice", "Payment", "StockMovement", "AssetTransaction",
)  # fmt: skip


def _text(element: Any, name: str) -> str:
    """A child's text; `element` may be the children by tag (`_children`), which is faster."""
    found = element.get(Q + name) if type(element) is dict else element.find(Q + name)
    return (found.text or "").strip() if found is not None else ""


def _children(element: Any, repeated: str = "") -> tuple[dict[str, Any], list[Any]]:
    """An element's children by tag (the first of each), and those tagged `repeated` in order:
    one walk over the children instead of a search per field."""
    fields: dict[str, Any] = {}
    many: list[Any] = []
    for child in element:
        tag = child.tag
        if tag == repeated:
            many.append(child)
        elif tag not in fields:
            fields[tag] = child
    return fields, many


def _month_start(year: int, period: int) -> dt.date:
    return dt.date(year, min(max(period, 1), 12), 1)


def _month_end(year: int, period: int) -> dt.date:
    month = min(max(period, 1), 12)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class SaftReader:
    def __init__(self, source: Source, *, strict: bool = True) -> None:
        self.source = source
        self.strict = strict
        self.problems: list[Problem] = []
        self.header: Header | None = None
        self.accounts: dict[str, Account] = {}
        self.parties: list[Party] = []
        self.tax_codes: dict[str, TaxCode] = {}
        self.analysis: dict[tuple[str, str], AnalysisEntry] = {}
        self.journals: list[Journal] = []
        self.totals: Totals | None = None
        # What the lines add up to, per account and for the file (filled while streaming).
        self.movements: dict[str, Decimal] = {}
        self.transaction_count = 0
        self.line_count = 0
        self.debit = ZERO
        self.credit = ZERO  # positive, as TotalCredit
        self.first_date: dt.date | None = None
        self.last_date: dt.date | None = None
        self._records = self._parse()
        self._pending: tuple[str, Any] | None = None
        self._finished = False

    # -- problems ---------------------------------------------------------------------
    def warn(self, line: int, element: str, code: str, message: str, **params: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem("warning", line, element, code, message, params))

    def error(self, line: int, element: str, code: str, message: str, **params: str) -> None:
        if self.strict:
            raise SaftError(code, line, element, message, params)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem("error", line, element, code, message, params))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    # -- the public, staged reading ---------------------------------------------------
    def read_header(self) -> Header:
        """Everything up to the header's end."""
        while self.header is None:
            if self._next() is None:
                raise SaftError("missing", 0, "Header", "the file has no Header", {"element": "Header"})
        return self.header

    def read_master(self) -> None:
        """Header and MasterFiles, up to the first journal (or the end of the file)."""
        self.read_header()
        while self._pending is None:
            record = self._next()
            if record is None:
                return
            if record[0] in ("journal", "transaction"):
                self._pending = record

    def transactions(self) -> Iterator[Transaction]:
        """The transactions in file order; at the end, the control totals are checked."""
        self.read_master()
        while True:
            record: tuple[str, Any] | None
            if self._pending is not None:
                record, self._pending = self._pending, None
            else:
                record = self._next()
            if record is None:
                break
            if record[0] == "transaction":
                yield record[1]
        self._finish()

    def read_all(self) -> list[Transaction]:
        return list(self.transactions())

    # -- balances ---------------------------------------------------------------------
    def balances(self) -> list[tuple[str, Decimal, Decimal]]:
        """(account, opening, closing) for every declared or used account, after the
        transactions: as the file states them, or computed from the lines where it states none."""
        result = []
        numbers = list(self.accounts)
        numbers += sorted(number for number in self.movements if number not in self.accounts)
        for number in numbers:
            account = self.accounts.get(number)
            movement = self.movements.get(number, ZERO)
            opening = account.opening if account else None
            closing = account.closing if account else None
            if opening is None:
                opening = closing - movement if closing is not None else ZERO
            if closing is None:
                closing = opening + movement
            result.append((number, opening, closing))
        return result

    # -- parsing ----------------------------------------------------------------------
    def _next(self) -> tuple[str, Any] | None:
        try:
            return next(self._records)
        except StopIteration:
            return None

    def _parse(self) -> Iterator[tuple[str, Any]]:
        _rewind(self.source)
        # Only the records' elements make events (libxml2 filters the rest in C); each record
        # is read from its subtree at its end and cleared, with what came before it.
        events = etree.iterparse(
            self.source,
            events=("start", "end"),
            tag=[Q + name for name in (*_RECORDS, *_DROPPED)],
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
        )
        journal = Journal("")
        root_seen = False
        try:
            for event, element in events:
                if event == "start":
                    if not root_seen:
                        root_seen = True
                        if element.tag != Q + "AuditFile" or element.getparent() is not None:
                            raise self._not_saft(element)
                    continue
                tag = element.tag[len(Q) :]
                if tag == "Transaction":
                    transaction = self._transaction(element, journal)
                    self._drop(element)
                    if transaction is not None:
                        yield "transaction", transaction
                elif tag == "JournalID":
                    parent = element.getparent()
                    if self.totals is None:
                        self._totals(parent.getparent())
                    journal = Journal((element.text or "").strip(), line=parent.sourceline or 0)
                    self.journals.append(journal)
                    yield "journal", journal
                elif tag == "Header":
                    self.header = self._header(element)
                    element.clear()
                    yield "header", self.header
                elif tag in _MASTER:
                    if element.getparent().getparent().tag == Q + "MasterFiles":
                        self._master_record(element)
                        self._drop(element)
                elif tag == "GeneralLedgerEntries":
                    if self.totals is None:
                        self._totals(element)
                elif tag != "AuditFile":
                    self._drop(element)  # other master data and source documents: not kept
            if not root_seen:
                raise SaftError("not-xml", 0, "", "the file is empty", {"detail": "empty"})
        except etree.XMLSyntaxError as exc:
            raise _syntax(exc) from exc

    @staticmethod
    def _not_saft(element: Any) -> SaftError:
        name = etree.QName(element.tag).localname
        return SaftError(
            "not-saft",
            element.sourceline or 0,
            name,
            "the root element is not a SAF-T Financial AuditFile",
            {"found": name},
        )

    @staticmethod
    def _drop(element: Any) -> None:
        element.clear()
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]

    def _decimal(self, element: Any, name: str, line: int, *, required: bool = True) -> Decimal | None:
        text = _text(element, name)
        if not text:
            if required:
                self.error(line, name, "missing", f"the element {name} is missing", name=name)
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            self.error(line, name, "not-number", f"{name} '{text}' is not a number", name=name, value=text)
            return None

    def _date(self, element: Any, name: str, line: int, *, required: bool = False) -> dt.date | None:
        text = _text(element, name)
        if not text:
            if required:
                self.error(line, name, "missing", f"the element {name} is missing", name=name)
            return None
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            self.error(line, name, "not-date", f"{name} '{text}' is not a date", name=name, value=text)
            return None

    def _header(self, element: Any) -> Header:
        line = element.sourceline or 0
        company = element.find(Q + "Company")
        orgnr = _text(company, "RegistrationNumber") if company is not None else ""
        name = _text(company, "Name") if company is not None else ""
        start = end = None
        criteria = element.find(Q + "SelectionCriteria")
        if criteria is not None:
            start = self._date(criteria, "SelectionStartDate", line)
            end = self._date(criteria, "SelectionEndDate", line)
            if start is None or end is None:
                try:
                    first, first_year = (
                        int(_text(criteria, "PeriodStart")),
                        int(_text(criteria, "PeriodStartYear")),
                    )
                    last, last_year = int(_text(criteria, "PeriodEnd")), int(_text(criteria, "PeriodEndYear"))
                    start, end = _month_start(first_year, first), _month_end(last_year, last)
                except ValueError:
                    start = end = None
            if start is not None and end is not None and end < start:
                self.error(
                    criteria.sourceline or line, "SelectionCriteria", "period-order",
                    f"the selection ends ({end}) before it starts ({start})", start=str(start), end=str(end),
                )  # fmt: skip
        software = " ".join(
            part for part in (_text(element, "SoftwareCompanyName"), _text(element, "SoftwareID"),
                              _text(element, "SoftwareVersion")) if part
        )  # fmt: skip
        return Header(
            version=_text(element, "AuditFileVersion"),
            orgnr=orgnr,
            name=name,
            currency=_text(element, "DefaultCurrencyCode"),
            period_start=start,
            period_end=end,
            software=software,
            line=line,
        )

    def _balance(self, element: Any, kind: str, line: int) -> Decimal | None:
        debit = self._decimal(element, f"{kind}DebitBalance", line, required=False)
        credit = self._decimal(element, f"{kind}CreditBalance", line, required=False)
        if debit is None and credit is None:
            return None
        return (debit or ZERO) - (credit or ZERO)

    def _master_record(self, element: Any) -> None:
        tag = element.tag
        line = element.sourceline or 0
        if tag == Q + "Account":
            number = _text(element, "AccountID")
            if number in self.accounts:
                self.warn(line, "AccountID", "duplicate-account", f"the account {number} is listed twice",
                          account=number)  # fmt: skip
            self.accounts[number] = Account(
                id=number,
                description=_text(element, "AccountDescription"),
                grouping_category=_text(element, "GroupingCategory"),
                grouping_code=_text(element, "GroupingCode"),
                standard_account=_text(element, "StandardAccountID"),
                opening=self._balance(element, "Opening", line),
                closing=self._balance(element, "Closing", line),
                line=line,
            )
        elif tag in (Q + "Customer", Q + "Supplier"):
            kind: Literal["customer", "supplier"] = "customer" if tag == Q + "Customer" else "supplier"
            party_id = _text(element, "CustomerID" if kind == "customer" else "SupplierID")
            self.parties.append(Party(kind, party_id, _text(element, "Name"), line))
        elif tag == Q + "TaxTableEntry":
            for details in element.iterfind(Q + "TaxCodeDetails"):
                code = _text(details, "TaxCode")
                rates = []
                for rate in details.iterfind(Q + "BaseRate"):
                    try:
                        rates.append(Decimal((rate.text or "").strip()))
                    except InvalidOperation:
                        continue
                found = TaxCode(
                    code=code,
                    description=_text(details, "Description"),
                    percentage=self._decimal(details, "TaxPercentage", line, required=False),
                    standard_code=_text(details, "StandardTaxCode"),
                    base_rates=tuple(rates),
                    effective=self._date(details, "EffectiveDate", line),
                    expires=self._date(details, "ExpirationDate", line),
                    line=details.sourceline or line,
                )
                known = self.tax_codes.get(code)
                if known is None or self._in_force(found) >= self._in_force(known):
                    self.tax_codes[code] = found
        elif tag == Q + "AnalysisTypeTableEntry":
            key = (_text(element, "AnalysisType"), _text(element, "AnalysisID"))
            self.analysis[key] = AnalysisEntry(
                key[0],
                _text(element, "AnalysisTypeDescription"),
                key[1],
                _text(element, "AnalysisIDDescription"),
            )

    def _in_force(self, code: TaxCode) -> tuple[bool, dt.date]:
        """Which of a code's listings is kept: one in force at the selection's end, the latest."""
        end = self.header.period_end if self.header else None
        in_force = end is None or (
            (code.effective is None or code.effective <= end)
            and (code.expires is None or code.expires >= end)
        )
        return in_force, code.effective or dt.date.min

    def _totals(self, element: Any) -> None:
        line = element.sourceline or 0
        entries_text = _text(element, "NumberOfEntries")
        try:
            entries = int(entries_text)
        except ValueError:
            self.error(line, "NumberOfEntries", "missing", "the element NumberOfEntries is missing",
                       name="NumberOfEntries")  # fmt: skip
            entries = 0
        debit = self._decimal(element, "TotalDebit", line) or ZERO
        credit = self._decimal(element, "TotalCredit", line) or ZERO
        found = element.find(Q + "NumberOfEntries")
        self.totals = Totals(
            entries, debit, credit, (found.sourceline if found is not None else line) or line
        )

    def _transaction(self, element: Any, journal: Journal) -> Transaction | None:
        line = element.sourceline or 0
        entries = element
        element, found_lines = _children(entries, Q + "Line")
        number = _text(element, "TransactionID")
        day = self._date(element, "TransactionDate", line, required=True)
        if day is None:
            return None
        period_text, year_text = _text(element, "Period"), _text(element, "PeriodYear")
        transaction = Transaction(
            journal=journal.id,
            id=number,
            date=day,
            period=int(period_text) if period_text.isdigit() else None,
            period_year=int(year_text) if year_text.isdigit() else None,
            posting_date=self._date(element, "GLPostingDate", line),
            entry_date=self._date(element, "SystemEntryDate", line),
            description=_text(element, "Description"),
            voucher_type=_text(element, "VoucherType"),
            line=line,
        )
        for entry in found_lines:
            parsed = self._line(entry)
            if parsed is not None:
                transaction.lines.append(parsed)
        if not transaction.lines:
            self.error(line, "Line", "missing", f"the transaction {number} has no lines", name="Line")
        debit, credit = transaction.debit, transaction.credit
        if debit != credit:
            self.error(
                line, "Transaction", "unbalanced",
                f"the transaction {journal.id}/{number} does not balance: debit {debit:.2f}, credit {credit:.2f}",
                transaction=f"{journal.id}/{number}", debit=f"{debit:.2f}", credit=f"{credit:.2f}",
            )  # fmt: skip
        self.transaction_count += 1
        self.line_count += len(transaction.lines)
        self.debit += debit
        self.credit += credit
        if self.first_date is None or day < self.first_date:
            self.first_date = day
        if self.last_date is None or day > self.last_date:
            self.last_date = day
        movements = self.movements
        for entry_line in transaction.lines:
            movements[entry_line.account] = movements.get(entry_line.account, ZERO) + entry_line.amount
        return transaction

    def _amount(self, element: Any, line: int) -> Decimal | None:
        """DebitX / CreditX (each with an Amount) as a signed amount; None when neither."""
        return None if element is None else self._decimal(element, "Amount", line)

    def _line(self, entry: Any) -> Line | None:
        line = entry.sourceline or 0
        element, analyses = _children(entry, Q + "Analysis")
        debit = self._amount(element.get(Q + "DebitAmount"), line)
        credit = self._amount(element.get(Q + "CreditAmount"), line)
        if debit is None and credit is None:
            self.error(line, "DebitAmount", "missing", "the line has neither DebitAmount nor CreditAmount",
                       name="DebitAmount|CreditAmount")  # fmt: skip
            return None
        amount = (debit or ZERO) - (credit or ZERO)
        tax_code, tax_base, tax_amount = "", None, None
        tax = element.get(Q + "TaxInformation")  # the first; a line rarely has more
        if tax is not None:
            tax_code = _text(tax, "TaxCode")
            tax_base = self._decimal(tax, "TaxBase", line, required=False)
            tax_debit = self._amount(tax.find(Q + "DebitTaxAmount"), line)
            tax_credit = self._amount(tax.find(Q + "CreditTaxAmount"), line)
            legacy = self._amount(tax.find(Q + "TaxAmount"), line)  # 1.20: unsigned, follows the line
            if tax_debit is not None or tax_credit is not None:
                tax_amount = (tax_debit or ZERO) - (tax_credit or ZERO)
            elif legacy is not None:
                tax_amount = legacy if amount >= 0 else -legacy
        analysis = tuple((_text(found, "AnalysisType"), _text(found, "AnalysisID")) for found in analyses)
        return Line(
            record_id=_text(element, "RecordID"),
            account=_text(element, "AccountID"),
            amount=amount,
            description=_text(element, "Description"),
            tax_code=tax_code,
            tax_base=tax_base,
            tax_amount=tax_amount,
            value_date=self._date(element, "ValueDate", line),
            customer_id=_text(element, "CustomerID"),
            supplier_id=_text(element, "SupplierID"),
            analysis=analysis,
            line=line,
        )

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        totals = self.totals
        if totals is None:
            if self.transaction_count:
                self.error(0, "GeneralLedgerEntries", "missing", "the file has no control totals",
                           name="GeneralLedgerEntries")  # fmt: skip
            return
        if totals.entries != self.transaction_count:
            self.error(
                totals.line, "NumberOfEntries", "totals",
                f"NumberOfEntries says {totals.entries}, the file has {self.transaction_count} transactions",
                name="NumberOfEntries", stated=str(totals.entries), found=str(self.transaction_count),
            )  # fmt: skip
        for name, stated, found in (
            ("TotalDebit", totals.debit, self.debit),
            ("TotalCredit", totals.credit, self.credit),
        ):
            if stated != found:
                self.error(
                    totals.line, name, "totals", f"{name} says {stated:.2f}, the lines add up to {found:.2f}",
                    name=name, stated=f"{stated:.2f}", found=f"{found:.2f}",
                )  # fmt: skip
        for number, account in self.accounts.items():
            if account.opening is not None and account.closing is not None:
                movement = self.movements.get(number, ZERO)
                if account.opening + movement != account.closing:
                    self.warn(
                        account.line, "Account", "account-balance",
                        f"account {number}: opening {account.opening:.2f} + lines {movement:.2f} "
                        f"is not the closing balance {account.closing:.2f}",
                        account=number, opening=f"{account.opening:.2f}", movement=f"{movement:.2f}",
                        closing=f"{account.closing:.2f}",
                    )  # fmt: skip
