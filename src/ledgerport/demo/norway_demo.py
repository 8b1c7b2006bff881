"""The Norwegian demo company's year of bookkeeping, written as a SAF-T Financial 1.30 file
and loaded with the product's own SAF-T import.

Fjordlys Rådgivning AS sells advice (25 %), food at seminars (15 %) and seminar tickets
(12 %), exports some consulting (zero-rated, 5), rents out a room (outside the scope, 6), buys
at all three rates, buys services (86) and goods (81) from abroad with reverse charge, and
imports goods through customs (14). Its own VAT codes are not the standard codes: the TaxTable
maps them, as a real program's does. Each term ends with the settlement (27xx -> 2740) and is
paid the month after. Amounts are whole hundreds, so every VAT amount is whole kroner and the
draft's total equals the VAT accounts' movement exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone

from ledgerport.ledger.saft_import import ImportResult, import_saft
from ledgerport.tenancy.models import Company

NS = "urn:StandardAuditFile-Taxation-Financial:NO"
ORGNR = "923609016"
NAME = "Fjordlys Rådgivning AS"

# account, name, grouping category
ACCOUNTS = [
    ("1500", "Kundefordringer", "balanseverdiForOmloepsmiddel"),
    ("1920", "Bankinnskudd", "balanseverdiForOmloepsmiddel"),
    ("2050", "Annen egenkapital", "egenkapital"),
    ("2400", "Leverandørgjeld", "kortsiktigGjeld"),
    ("2700", "Utgående merverdiavgift, høy sats", "kortsiktigGjeld"),
    ("2701", "Utgående merverdiavgift, middels sats", "kortsiktigGjeld"),
    ("2702", "Utgående merverdiavgift, lav sats", "kortsiktigGjeld"),
    ("2703", "Beregnet utgående merverdiavgift, omvendt avgiftsplikt", "kortsiktigGjeld"),
    ("2710", "Inngående merverdiavgift, høy sats", "kortsiktigGjeld"),
    ("2711", "Inngående merverdiavgift, middels sats", "kortsiktigGjeld"),
    ("2712", "Inngående merverdiavgift, lav sats", "kortsiktigGjeld"),
    ("2713", "Inngående merverdiavgift, omvendt avgiftsplikt", "kortsiktigGjeld"),
    ("2714", "Inngående merverdiavgift, innførsel", "kortsiktigGjeld"),
    ("2740", "Oppgjørskonto merverdiavgift", "kortsiktigGjeld"),
    ("3000", "Salgsinntekt rådgivning, avgiftspliktig", "salgsinntekt"),
    ("3010", "Salgsinntekt servering, middels sats", "salgsinntekt"),
    ("3020", "Salgsinntekt seminarbilletter, lav sats", "salgsinntekt"),
    ("3100", "Salgsinntekt, avgiftsfri eksport", "salgsinntekt"),
    ("3600", "Leieinntekt, utenfor avgiftsområdet", "annenDriftsinntekt"),
    ("4000", "Innkjøp av varer", "varekostnad"),
    ("4010", "Innkjøp av mat til seminarer", "varekostnad"),
    ("4050", "Innkjøp av varer fra utlandet", "varekostnad"),
    ("4300", "Innkjøp av varer, innførsel", "varekostnad"),
    ("6300", "Leie lokale", "annenDriftskostnad"),
    ("6700", "Konsulenttjenester fra utlandet", "annenDriftskostnad"),
    ("7140", "Reisekostnad, transport", "annenDriftskostnad"),
]

# own code, description, standard code, percentage
TAX_CODES = [
    ("U25", "Utgående mva høy sats", "3", "25"),
    ("U15", "Utgående mva middels sats", "31", "15"),
    ("U12", "Utgående mva lav sats", "33", "12"),
    ("I25", "Inngående mva høy sats", "1", "25"),
    ("I15", "Inngående mva middels sats", "11", "15"),
    ("I12", "Inngående mva lav sats", "13", "12"),
    ("EKS", "Eksport, fritatt", "5", "0"),
    ("UNT", "Utenfor avgiftsområdet", "6", "0"),
    ("OT86", "Tjenester fra utlandet, omvendt avgiftsplikt", "86", "25"),
    ("OV81", "Varer fra utlandet, omvendt avgiftsplikt", "81", "25"),
    ("INN", "Innførsel av varer, mva betalt ved import", "14", "25"),
    ("0", "Ingen mva-behandling", "0", "0"),
]

# kind -> (base account, own code, rate %, VAT account, counter account, a sale)
SALES = {
    "advice": ("3000", "U25", 25, "2700"),
    "food": ("3010", "U15", 15, "2701"),
    "tickets": ("3020", "U12", 12, "2702"),
    "export": ("3100", "EKS", 0, None),
    "rent": ("3600", "UNT", 0, None),
}
PURCHASES = {
    "goods": ("4000", "I25", 25, "2710"),
    "food": ("4010", "I15", 15, "2711"),
    "travel": ("7140", "I12", 12, "2712"),
    "rent": ("6300", "I25", 25, "2710"),
}

# line: account, signed amount (debit positive), own code ("" none)
Row = tuple[str, Decimal, str]


@dataclass(frozen=True)
class Voucher:
    number: int
    day: dt.date
    text: str
    rows: tuple[Row, ...]


def _pct(base: Decimal, rate: int) -> Decimal:
    return base * rate / 100


def _base(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high) * 100)


def vouchers(year: int, seed: int = 923, scale: int = 1) -> list[Voucher]:
    """The year's vouchers, the same every time for a year and seed (`scale` times the
    sales and purchases: a large ledger for measuring)."""
    rng = random.Random(seed * 10_000 + year)
    found: list[Voucher] = []

    def add(day: dt.date, text: str, *rows: Row) -> None:
        assert sum(r[1] for r in rows) == 0, text
        found.append(Voucher(len(found) + 1, day, text, rows))

    for month in range(1, 13):
        last = calendar.monthrange(year, month)[1]
        for _ in range(scale * rng.randint(14, 20)):
            day = dt.date(year, month, rng.randint(1, last))
            kind = rng.choice(list(SALES))
            account, code, rate, vat_account = SALES[kind]
            base = _base(rng, 5, 400)
            vat = _pct(base, rate)
            rows: list[Row] = [("1500", base + vat, ""), (account, -base, code)]
            if vat_account:
                rows.append((vat_account, -vat, code))
            add(day, f"Faktura {kind}", *rows)
        for _ in range(scale * rng.randint(8, 12)):
            day = dt.date(year, month, rng.randint(1, last))
            kind = rng.choice(list(PURCHASES))
            account, code, rate, vat_account = PURCHASES[kind]
            base = _base(rng, 2, 150)
            vat = _pct(base, rate)
            add(
                day,
                f"Inngående faktura {kind}",
                (account, base, code),
                (vat_account, vat, code),
                ("2400", -(base + vat), ""),
            )
        day = dt.date(year, month, rng.randint(1, last))
        base = _base(rng, 20, 120)  # consulting bought from abroad: reverse charge, deductible
        vat = _pct(base, 25)
        add(
            day,
            "Konsulent fra utlandet",
            ("6700", base, "OT86"),
            ("2703", -vat, "OT86"),
            ("2713", vat, "OT86"),
            ("2400", -base, ""),
        )
        if month % 3 == 0:
            base = _base(rng, 10, 80)  # goods bought from abroad, no customs declaration: 81
            vat = _pct(base, 25)
            add(
                day,
                "Varer fra utlandet",
                ("4050", base, "OV81"),
                ("2703", -vat, "OV81"),
                ("2713", vat, "OV81"),
                ("2400", -base, ""),
            )
        if month % 2 == 0:
            base = _base(rng, 10, 60)  # goods through customs: import VAT paid to customs, 14
            vat = _pct(base, 25)
            add(
                day,
                "Tolldeklarasjon, innførsel",
                ("4300", base, "0"),
                ("2714", vat, "INN"),
                ("2400", -(base + vat), ""),
            )
        day = dt.date(year, month, min(last, 20))
        add(
            day, "Husleie", ("6300", Decimal(12000), ""), ("1920", Decimal(-12000), "")
        )  # rent without VAT (not registered)
        if month % 2 == 0:
            found_term = [v for v in found if (v.day.month + 1) // 2 == month // 2 and v.day.year == year]
            _settle(add, year, month, found_term)
    return found


def _settle(add: Callable[..., None], year: int, month: int, term: list[Voucher]) -> None:
    """The term's settlement on its last day (every VAT account to 2740), paid on the 10th of
    the month after next (outside the term)."""
    moved: dict[str, Decimal] = {}
    for voucher in term:
        for account, amount, _code in voucher.rows:
            if account.startswith("27") and account != "2740":
                moved[account] = moved.get(account, Decimal(0)) + amount
    rows: list[Row] = [(account, -amount, "") for account, amount in sorted(moved.items()) if amount]
    payable = sum((amount for amount in moved.values()), Decimal(0))
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    add(end, f"Mva-oppgjør termin {month // 2}", *rows, ("2740", payable, ""))
    if month < 12:
        add(
            dt.date(year, month + 1, 10),
            f"Betalt mva termin {month // 2}",
            ("2740", -payable, ""),
            ("1920", payable, ""),
        )


def _money(value: Decimal) -> str:
    return f"{abs(value):.2f}"


def saft_file(year: int, seed: int = 923, scale: int = 1) -> bytes:
    """The year as a SAF-T Financial 1.30 file."""
    found = vouchers(year, seed, scale)
    moved: dict[str, Decimal] = {}
    for voucher in found:
        for account, amount, _code in voucher.rows:
            moved[account] = moved.get(account, Decimal(0)) + amount
    opening = {"1920": Decimal(450000), "2050": Decimal(-450000)}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<AuditFile xmlns="{NS}"><Header>',
        "<AuditFileVersion>1.30</AuditFileVersion><AuditFileCountry>NO</AuditFileCountry>",
        f"<AuditFileDateCreated>{year + 1}-01-20</AuditFileDateCreated>",
        "<SoftwareCompanyName>Ledgerport demo</SoftwareCompanyName><SoftwareID>norway_demo</SoftwareID>",
        "<SoftwareVersion>1</SoftwareVersion>",
        f"<Company><RegistrationNumber>{ORGNR}</RegistrationNumber><Name>{escape(NAME)}</Name>",
        "<Address><StreetName>Bryggen 12</StreetName><City>Bergen</City><PostalCode>5003</PostalCode>"
        "<Country>NO</Country></Address>",
        "<Contact><ContactPerson><FirstName>Ingrid</FirstName><LastName>Fjeld</LastName></ContactPerson>"
        "<Telephone>55123456</Telephone></Contact></Company>",
        "<DefaultCurrencyCode>NOK</DefaultCurrencyCode>",
        f"<SelectionCriteria><PeriodStart>1</PeriodStart><PeriodStartYear>{year}</PeriodStartYear>"
        f"<PeriodEnd>12</PeriodEnd><PeriodEndYear>{year}</PeriodEndYear></SelectionCriteria>",
        "<TaxAccountingBasis>A</TaxAccountingBasis></Header>",
        "<MasterFiles><GeneralLedgerAccounts>",
    ]
    for number, name, category in ACCOUNTS:
        first = opening.get(number, Decimal(0))
        closing = first + moved.get(number, Decimal(0))
        out.append(
            f"<Account><AccountID>{number}</AccountID><AccountDescription>{escape(name)}</AccountDescription>"
            f"<GroupingCategory>{category}</GroupingCategory><GroupingCode>{number}</GroupingCode>"
            f"<AccountType>GL</AccountType>{_balance('Opening', first)}{_balance('Closing', closing)}</Account>"
        )
    out.append("</GeneralLedgerAccounts>")
    out.append("<TaxTable><TaxTableEntry><TaxType>MVA</TaxType><Description>Merverdiavgift</Description>")
    for code, description, standard, percentage in TAX_CODES:
        out.append(
            f"<TaxCodeDetails><TaxCode>{code}</TaxCode><Description>{escape(description)}</Description>"
            f"<TaxPercentage>{percentage}</TaxPercentage><Country>NO</Country>"
            f"<StandardTaxCode>{standard}</StandardTaxCode><BaseRate>100</BaseRate></TaxCodeDetails>"
        )
    out.append("</TaxTableEntry></TaxTable></MasterFiles>")
    debit = sum((a for v in found for _acc, a, _c in v.rows if a > 0), Decimal(0))
    out.append(
        f"<GeneralLedgerEntries><NumberOfEntries>{len(found)}</NumberOfEntries>"
        f"<TotalDebit>{_money(debit)}</TotalDebit><TotalCredit>{_money(debit)}</TotalCredit>"
        "<Journal><JournalID>GL</JournalID><Description>Hovedbok</Description><Type>GL</Type>"
    )
    rates = {code: percentage for code, _d, _s, percentage in TAX_CODES}
    for voucher in found:
        out.append(
            f"<Transaction><TransactionID>{voucher.number}</TransactionID><Period>{voucher.day.month}</Period>"
            f"<PeriodYear>{year}</PeriodYear><TransactionDate>{voucher.day}</TransactionDate>"
            f"<Description>{escape(voucher.text)}</Description><SystemEntryDate>{voucher.day}</SystemEntryDate>"
            f"<GLPostingDate>{voucher.day}</GLPostingDate>"
        )
        for record, (account, amount, code) in enumerate(voucher.rows, start=1):
            side = "DebitAmount" if amount >= 0 else "CreditAmount"
            tax = ""
            if code:
                tax_side = "DebitTaxAmount" if amount >= 0 else "CreditTaxAmount"
                tax_amount = abs(amount) * Decimal(rates[code]) / 100
                tax = (
                    f"<TaxInformation><TaxType>MVA</TaxType><TaxCode>{code}</TaxCode>"
                    f"<TaxPercentage>{rates[code]}</TaxPercentage><TaxBase>{_money(amount)}</TaxBase>"
                    f"<{tax_side}><Amount>{_money(tax_amount)}</Amount></{tax_side}></TaxInformation>"
                )
            out.append(
                f"<Line><RecordID>{record}</RecordID><AccountID>{account}</AccountID>"
                f"<Description>{escape(voucher.text)}</Description><{side}><Amount>{_money(amount)}</Amount></{side}>"
                f"{tax}</Line>"
            )
        out.append("</Transaction>")
    out.append("</Journal></GeneralLedgerEntries></AuditFile>")
    return "\n".join(out).encode()


def _balance(kind: str, amount: Decimal) -> str:
    side = "Debit" if amount >= 0 else "Credit"
    return f"<{kind}{side}Balance>{_money(amount)}</{kind}{side}Balance>"


def seed_norway(company: Company, year: int | None = None) -> ImportResult | None:
    """Load the demo year into the company unless it has a ledger for that year already."""
    year = year or timezone.localdate().year
    if company.fiscal_years.filter(start__year=year, full_ledger=True).exists():
        return None
    return import_saft(company=company, stream=io.BytesIO(saft_file(year)), file_name=f"fjordlys-{year}.xml")
