"""SIE 5 (XML, namespace http://www.sie.se/sie5): <Sie> and <SieEntry> into the same model.

Streams with iterparse: journal entries are yielded as vouchers and dropped
from the tree. Mapping: Journal id -> series, JournalEntry id -> number,
LedgerEntry -> row, an overstruck LedgerEntry -> a "removed" change (the SIE 5
counterpart of #BTRANS). Fiscal years get SIE 4 style indexes: the primary
year is 0, earlier ones -1, -2 ... XML signatures are not verified.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date
from typing import IO
from xml.etree.ElementTree import Element, ParseError, iterparse

from .lexer import parse_amount
from .model import (
    Account,
    Balance,
    BalanceKind,
    Dimension,
    FiscalYear,
    Program,
    Row,
    RowChange,
    SieHeader,
    SieObject,
    Voucher,
)
from .problems import ProblemLog

_ACCOUNT_TYPES = {"asset": "T", "liability": "S", "equity": "S", "cost": "K", "income": "I"}
_ENCODING_DECL = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _month(value: str, *, last: bool) -> date | None:
    """gYearMonth 'YYYY-MM' -> first (or last) day of that month."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1] if last else 1)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


class Sie5Parser:
    def __init__(self, header: SieHeader, log: ProblemLog) -> None:
        self.header = header
        self.log = log
        self.encoding = "utf-8"
        self._years: list[tuple[date, date, bool]] = []

    def vouchers(self, stream: IO[bytes]) -> Iterator[Voucher]:
        head = stream.peek(1 << 16) if hasattr(stream, "peek") else b""
        declared = _ENCODING_DECL.search(head[:200])
        if declared:
            self.encoding = declared.group(1).decode("ascii").lower()
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            # SIE 5 has no DTD; refusing one rules out entity tricks (expat 2.4+ also caps expansion,
            # and ElementTree never fetches external entities).
            self.log.error(1, "SIE 5: a DTD / entity declaration is not allowed", "xml")
            return
        parents: list[Element] = []
        series = ""
        try:
            for event, elem in iterparse(stream, events=("start", "end")):  # noqa: S314 - DTDs refused above
                name = _local(elem.tag)
                if event == "start":
                    parents.append(elem)
                    if name == "Journal":
                        series = elem.get("id", "")
                    elif name in ("Sie", "SieEntry"):
                        self.header.declared_type = "5"
                    continue
                parents.pop()
                if name == "JournalEntry":
                    yield self._voucher(elem, series)
                elif name in ("SoftwareProduct", "Company", "FiscalYears", "AccountingCurrency"):
                    self._file_info(name, elem)
                elif name == "Account":
                    self._account(elem)
                elif name == "Dimension":
                    self._dimension(elem)
                else:
                    continue
                if parents:  # done with it: keep memory bounded
                    parents[-1].remove(elem)
        except ParseError as exc:
            line = exc.position[0] if exc.position else 0
            self.log.error(line, f"SIE 5 XML is not well-formed: {exc}", "xml")

    # --- FileInfo ------------------------------------------------------------------------

    def _file_info(self, name: str, elem: Element) -> None:
        if name == "SoftwareProduct":
            self.header.program = Program(elem.get("name", ""), elem.get("version", ""))
        elif name == "Company":
            self.header.company_name = elem.get("name")
            self.header.orgnr = elem.get("organizationId")
        elif name == "AccountingCurrency":
            self.header.currency = elem.get("currency")
        else:
            self._fiscal_years(elem)

    def _fiscal_years(self, elem: Element) -> None:
        years = []
        for item in elem:
            if _local(item.tag) != "FiscalYear":
                continue
            start = _month(item.get("start", ""), last=False)
            end = _month(item.get("end", ""), last=True)
            if start is None or end is None:
                self.log.error(0, "SIE 5: FiscalYear with an invalid start or end", "bad-date")
                continue
            years.append((start, end, item.get("primary", "false").strip() in ("true", "1")))
        years.sort(key=lambda y: y[0], reverse=True)
        primary = next((i for i, y in enumerate(years) if y[2]), 0)
        self._years = years
        for position, (start, end, _) in enumerate(years):
            index = primary - position
            self.header.fiscal_years[index] = FiscalYear(index, start, end)

    def _year_of(self, day: date) -> int | None:
        for year in self.header.fiscal_years.values():
            if year.contains(day):
                return year.index
        return None

    # --- accounts, dimensions ------------------------------------------------------------

    def _account(self, elem: Element) -> None:
        number = elem.get("id", "")
        kind = elem.get("type", "")
        account = Account(number, elem.get("name", ""), _ACCOUNT_TYPES.get(kind), elem.get("unit"))
        self.header.accounts[number] = account
        for item in elem:
            tag = _local(item.tag)
            kind_map: dict[str, BalanceKind] = {
                "OpeningBalance": "IB",
                "ClosingBalance": "UB" if account.type in ("T", "S", None) else "RES",
                "OpeningBalanceMultidim": "OIB",
                "ClosingBalanceMultidim": "OUB",
            }
            if tag in kind_map:
                self._balance(kind_map[tag], number, item)
            elif tag in ("Budget", "BudgetMultidim"):
                self._balance("PBUDGET", number, item)

    def _balance(self, kind: BalanceKind, account: str, elem: Element) -> None:
        amount = parse_amount((elem.get("amount") or "").strip())
        month = elem.get("month", "")
        first = _month(month, last=False) if month else None
        year = self._year_of(first) if first else 0
        if amount is None or year is None:
            self.log.warn(0, f"SIE 5: balance for account {account} ignored (amount or month)", "sie5")
            return
        objects = tuple(
            (ref.get("dimId", ""), ref.get("objectId", ""))
            for ref in elem
            if _local(ref.tag) == "ObjectReference"
        )
        quantity = parse_amount(elem.get("quantity", "").strip())
        period = None
        if kind == "PBUDGET":
            if first is None:
                return  # a full-year budget has no SIE 4 counterpart
            period = f"{first.year:04d}{first.month:02d}"
        self.header.balances.append(Balance(kind, year, account, amount, quantity, objects, period))

    def _dimension(self, elem: Element) -> None:
        number = elem.get("id", "")
        self.header.dimensions[number] = Dimension(number, elem.get("name", ""))
        for item in elem:
            if _local(item.tag) == "Object":
                ref = (number, item.get("id", ""))
                self.header.objects[ref] = SieObject(number, ref[1], item.get("name", ""))

    # --- journal -------------------------------------------------------------------------

    def _voucher(self, elem: Element, series: str) -> Voucher:
        voucher = Voucher(
            series,
            elem.get("id", ""),
            _date(elem.get("journalDate")),
            elem.get("text", ""),
        )
        if voucher.date is None:
            self.log.error(
                0, f"SIE 5: JournalEntry {voucher.number!r} without a valid journalDate", "bad-date"
            )
        for item in elem:
            tag = _local(item.tag)
            if tag == "EntryInfo":
                voucher.registered = _date(item.get("date"))
                voucher.sign = item.get("by", "")
            elif tag == "LedgerEntry":
                self._ledger_entry(voucher, item)
        return voucher

    def _ledger_entry(self, voucher: Voucher, elem: Element) -> None:
        amount = parse_amount((elem.get("amount") or "").strip())
        if amount is None:
            self.log.error(
                0,
                f"SIE 5: LedgerEntry in {voucher.series} {voucher.number} has no valid amount",
                "bad-amount",
            )
            return
        objects = tuple(
            (ref.get("dimId", ""), ref.get("objectId", ""))
            for ref in elem
            if _local(ref.tag) == "ObjectReference"
        )
        row = Row(
            elem.get("accountId", ""),
            objects,
            amount,
            _date(elem.get("ledgerDate")),
            elem.get("text", ""),
            parse_amount((elem.get("quantity") or "").strip()),
        )
        struck = any(_local(child.tag) == "Overstrike" for child in elem)
        if struck:
            voucher.changes.append(RowChange("removed", row, len(voucher.rows)))
        else:
            voucher.rows.append(row)
