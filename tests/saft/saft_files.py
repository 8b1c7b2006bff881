"""SAF-T Financial files as Norwegian programs write them, built for tests (1.20 and 1.30).

Variants seen in the field: the namespace prefix or a default namespace, AuditFileVersion
"1.0"/"1.10"/"1.20"/"1.30", a selection by periods or by dates, accounts with or without
opening balances (a company's first year: all zero), one journal or one per
voucher series, with or without customers and suppliers, VAT on the cost line plus a 27xx line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

NS = "urn:StandardAuditFile-Taxation-Financial:NO"

# account, description, 1.30 grouping (category, code), opening (debit positive)
ACCOUNTS = [
    ("1500", "Kundefordringer", ("balanseverdiForOmloepsmiddel", "1500"), Decimal("12500.00")),
    ("1920", "Bankinnskudd", ("balanseverdiForOmloepsmiddel", "1920"), Decimal("250000.00")),
    ("2050", "Annen egenkapital", ("egenkapital", "2050"), Decimal("-237500.00")),
    ("2400", "Leverandørgjeld", ("kortsiktigGjeld", "2400"), Decimal("-25000.00")),
    ("2700", "Utgående merverdiavgift", ("kortsiktigGjeld", "2700"), Decimal("0")),
    ("2710", "Inngående merverdiavgift", ("kortsiktigGjeld", "2710"), Decimal("0")),
    ("3000", "Salgsinntekt, avgiftspliktig", ("salgsinntekt", "3000"), Decimal("0")),
    ("4000", "Innkjøp av råvarer", ("varekostnad", "4000"), Decimal("0")),
    ("6300", "Leie lokale", ("annenDriftskostnad", "6300"), Decimal("0")),
]


@dataclass
class Variant:
    version: str = "1.30"
    orgnr: str = "923609016"
    name: str = "Fjordlys Rådgivning AS"
    year: int = 2025
    months: tuple[int, int] = (1, 12)
    by_dates: bool = False  # SelectionStartDate/EndDate instead of periods
    prefix: str = "n1"  # "" writes a default namespace
    opening: bool = True  # False: a first year, every opening balance 0
    journals: tuple[str, ...] = ("GL",)
    parties: bool = True
    transactions: int = 6
    # Tweaks for broken files: replace the first occurrence of a text.
    replace: list[tuple[str, str]] = field(default_factory=list)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def transactions(variant: Variant) -> list[tuple[str, str, str, list[tuple[str, Decimal, str, str]]]]:
    """(journal, id, date, lines: account, signed amount, tax code, party) of the variant."""
    result = []
    first, last = variant.months
    for index in range(variant.transactions):
        journal = variant.journals[index % len(variant.journals)]
        month = first + index % (last - first + 1)
        day = f"{variant.year}-{month:02d}-{1 + index % 27:02d}"
        net = Decimal(1000 + 137 * index) + Decimal(index % 100) / 100
        vat = (net * Decimal("0.25")).quantize(Decimal("0.01"))
        if index % 2 == 0:  # a sale on credit, VAT 3 (standard 3)
            lines = [
                ("1500", net + vat, "", "K100"),
                ("3000", -net, "3", ""),
                ("2700", -vat, "3", ""),
            ]
        else:  # a purchase on credit, VAT 1 (standard 1)
            lines = [
                ("4000" if index % 4 == 1 else "6300", net, "1", ""),
                ("2710", vat, "1", ""),
                ("2400", -(net + vat), "", "L200"),
            ]
        result.append((journal, str(1000 + index), day, lines))
    return result


def movements(variant: Variant) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for _journal, _id, _day, lines in transactions(variant):
        for account, amount, _tax, _party in lines:
            found[account] = found.get(account, Decimal(0)) + amount
    return found


def _balance(kind: str, amount: Decimal) -> str:
    side = "Debit" if amount >= 0 else "Credit"
    return f"<{kind}{side}Balance>{_money(abs(amount))}</{kind}{side}Balance>"


def build(variant: Variant | None = None) -> bytes:
    v = variant or Variant()
    v13 = v.version.startswith("1.3")
    moved = movements(v)
    first, last = v.months
    if v.by_dates:
        selection = f"<SelectionStartDate>{v.year}-{first:02d}-01</SelectionStartDate><SelectionEndDate>{v.year}-{last:02d}-28</SelectionEndDate>"
    else:
        selection = (
            f"<PeriodStart>{first}</PeriodStart><PeriodStartYear>{v.year}</PeriodStartYear>"
            f"<PeriodEnd>{last}</PeriodEnd><PeriodEndYear>{v.year}</PeriodEndYear>"
        )
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<AuditFile xmlns="{NS}">',
        "<Header>",
        f"<AuditFileVersion>{v.version}</AuditFileVersion><AuditFileCountry>NO</AuditFileCountry>",
        f"<AuditFileDateCreated>{v.year + 1}-01-15</AuditFileDateCreated>",
        "<SoftwareCompanyName>Testprogram AS</SoftwareCompanyName><SoftwareID>Regnskap</SoftwareID>",
        "<SoftwareVersion>7.1</SoftwareVersion>",
        f"<Company><RegistrationNumber>{v.orgnr}</RegistrationNumber><Name>{v.name}</Name>",
        "<Address><StreetName>Fjordveien 1</StreetName><City>Bergen</City><PostalCode>5003</PostalCode>"
        "<Country>NO</Country></Address>",
        "<Contact><ContactPerson><FirstName>Kari</FirstName><LastName>Nordmann</LastName></ContactPerson>"
        "<Telephone>55555555</Telephone></Contact></Company>",
        "<DefaultCurrencyCode>NOK</DefaultCurrencyCode>",
        f"<SelectionCriteria>{selection}</SelectionCriteria>",
        "<TaxAccountingBasis>A</TaxAccountingBasis>",
        "</Header>",
        "<MasterFiles><GeneralLedgerAccounts>",
    ]
    for number, description, (category, code), opening in ACCOUNTS:
        opening = opening if v.opening else Decimal(0)
        closing = opening + moved.get(number, Decimal(0))
        mapping = (
            f"<GroupingCategory>{category}</GroupingCategory><GroupingCode>{code}</GroupingCode>"
            if v13
            else f"<StandardAccountID>{number[:2]}</StandardAccountID>"
        )
        balances = _balance("Opening", opening) + _balance("Closing", closing)  # both schemas demand them
        out.append(
            f"<Account><AccountID>{number}</AccountID><AccountDescription>{description}</AccountDescription>"
            f"{mapping}<AccountType>GL</AccountType>{balances}</Account>"
        )
    out.append("</GeneralLedgerAccounts>")
    if v.parties:
        for kind, party_id, name, account in (
            ("Customer", "K100", "Kunde AS", "1500"),
            ("Supplier", "L200", "Leverandør AS", "2400"),
        ):
            balance = (
                f"<BalanceAccount><AccountID>{account}</AccountID>{_balance('Opening', Decimal(0))}"
                f"{_balance('Closing', Decimal(0))}</BalanceAccount>"
                if v13
                else f"<AccountID>{account}</AccountID>{_balance('Opening', Decimal(0))}{_balance('Closing', Decimal(0))}"
            )
            out.append(
                f"<{kind}s><{kind}><RegistrationNumber>999999999</RegistrationNumber><Name>{name}</Name>"
                f"<Address><City>Oslo</City><Country>NO</Country></Address>"
                f"<{kind}ID>{party_id}</{kind}ID>{balance}</{kind}></{kind}s>"
            )
    out.append("<TaxTable><TaxTableEntry><TaxType>MVA</TaxType><Description>Merverdiavgift</Description>")
    for code, description, standard in (
        ("1", "Inngående mva, høy sats", "1"),
        ("3", "Utgående mva, høy sats", "3"),
    ):
        out.append(
            f"<TaxCodeDetails><TaxCode>{code}</TaxCode><Description>{description}</Description>"
            f"<TaxPercentage>25</TaxPercentage><Country>NO</Country><StandardTaxCode>{standard}</StandardTaxCode>"
            "<BaseRate>100</BaseRate></TaxCodeDetails>"
        )
    out.append("</TaxTableEntry></TaxTable></MasterFiles>")
    all_transactions = transactions(v)
    total = sum((a for *_x, lines in all_transactions for _acc, a, _t, _p in lines if a > 0), Decimal(0))
    out.append(
        f"<GeneralLedgerEntries><NumberOfEntries>{len(all_transactions)}</NumberOfEntries>"
        f"<TotalDebit>{_money(total)}</TotalDebit><TotalCredit>{_money(total)}</TotalCredit>"
    )
    for journal in v.journals:
        out.append(
            f"<Journal><JournalID>{journal}</JournalID><Description>Bilag {journal}</Description><Type>{journal}</Type>"
        )
        for tx_journal, tx_id, day, lines in all_transactions:
            if tx_journal != journal:
                continue
            month = int(day[5:7])
            out.append(
                f"<Transaction><TransactionID>{tx_id}</TransactionID><Period>{month}</Period>"
                f"<PeriodYear>{v.year}</PeriodYear><TransactionDate>{day}</TransactionDate>"
                f"<Description>Bilag {tx_id}</Description><SystemEntryDate>{day}</SystemEntryDate>"
                f"<GLPostingDate>{day}</GLPostingDate>"
            )
            for record, (account, amount, tax, party) in enumerate(lines, start=1):
                side = "DebitAmount" if amount >= 0 else "CreditAmount"
                party_xml = ""
                if party and v.parties:
                    party_xml = (
                        f"<CustomerID>{party}</CustomerID>"
                        if party.startswith("K")
                        else f"<SupplierID>{party}</SupplierID>"
                    )
                tax_xml = ""
                if tax:
                    tax_amount = (abs(amount) * Decimal("0.25")).quantize(Decimal("0.01"))
                    tax_side = (
                        ("DebitTaxAmount" if amount >= 0 else "CreditTaxAmount") if v13 else "TaxAmount"
                    )
                    tax_xml = (
                        f"<TaxInformation><TaxType>MVA</TaxType><TaxCode>{tax}</TaxCode><TaxPercentage>25</TaxPercentage>"
                        f"<TaxBase>{_money(abs(amount))}</TaxBase><{tax_side}><Amount>{_money(tax_amount)}</Amount></{tax_side}>"
                        "</TaxInformation>"
                    )
                out.append(
                    f"<Line><RecordID>{record}</RecordID><AccountID>{account}</AccountID>{party_xml}"
                    f"<Description>Linje {record}</Description><{side}><Amount>{_money(abs(amount))}</Amount></{side}>"
                    f"{tax_xml}</Line>"
                )
            out.append("</Transaction>")
        out.append("</Journal>")
    out.append("</GeneralLedgerEntries></AuditFile>")
    text = "\n".join(out)
    if v.prefix:
        text = _prefixed(text, v.prefix)
    for old, new in v.replace:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def _prefixed(text: str, prefix: str) -> str:
    """Every element in the prefix ("n1:Header"), as Skatteetaten's examples write them."""
    import re

    text = text.replace(f'<AuditFile xmlns="{NS}">', f'<AuditFile xmlns:{prefix}="{NS}">')
    return re.sub(
        r"<(/?)([A-Za-z]+)(?=[ >])",
        lambda m: f"<{m.group(1)}{prefix}:{m.group(2)}",
        text.replace("<?xml", "\x00"),
    ).replace("\x00", "<?xml")


def write(path: Path, variant: Variant | None = None) -> Path:
    path.write_bytes(build(variant))
    return path
