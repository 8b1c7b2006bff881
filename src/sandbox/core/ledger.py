"""A provider-neutral, deterministic demo ledger: vouchers with rows, invoices, supplier invoices, files.

All amounts are integer öre; every voucher balances. Fiscal years are calendar years.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from sandbox.core import files as filegen
from sandbox.core.clock import STOCKHOLM
from sandbox.demo import FISCAL_YEARS, Company

ACCOUNTS: dict[int, str] = {
    1510: "Kundfordringar",
    1630: "Avräkning för skatter och avgifter (skattekonto)",
    1930: "Företagskonto/checkkonto/affärskonto",
    2081: "Aktiekapital",
    2091: "Balanserad vinst eller förlust",
    2099: "Årets resultat",
    2440: "Leverantörsskulder",
    2510: "Skatteskulder",
    2611: "Utgående moms på försäljning inom Sverige, 25 %",
    2641: "Debiterad ingående moms",
    2650: "Redovisningskonto för moms",
    2710: "Personalskatt",
    2730: "Lagstadgade sociala avgifter och särskild löneskatt",
    3001: "Försäljning inom Sverige, 25 % moms",
    4010: "Inköp material och varor",
    5010: "Lokalhyra",
    5410: "Förbrukningsinventarier",
    5611: "Drivmedel för personbilar",
    6071: "Representation, avdragsgill",
    6110: "Kontorsmateriel",
    6212: "Mobiltelefon",
    6250: "Postbefordran",
    6540: "IT-tjänster",
    6570: "Bankkostnader",
    7010: "Löner till kollektivanställda",
    7510: "Arbetsgivaravgifter 31,42 %",
}

# (name, orgnr, cost account, VAT rate in percent, min kr, max kr, preferred file kind)
SUPPLIERS = [
    ("Telia Sverige AB", "556430-0142", 6212, 25, 400, 2500, "pdf"),
    ("Staples Sverige AB", "556100-7859", 6110, 25, 200, 4000, "pdf"),
    ("Fastighets AB Norrporten", "556322-5553", 5010, 0, 9000, 24000, "pdf"),
    ("Ahlsell Sverige AB", "556034-9282", 4010, 25, 1500, 30000, "pdf"),
    ("Atea Sverige AB", "556448-0282", 6540, 25, 800, 15000, "png"),
    ("Circle K Sverige AB", "556000-9120", 5611, 25, 400, 2200, "jpeg"),
    ("Dustin Sverige AB", "556237-1431", 5410, 25, 500, 12000, "pdf"),
]
RECEIPT_MERCHANTS = [
    ("Clas Ohlson AB", 5410, 25, 80, 1500),
    ("Kjell & Company", 5410, 25, 60, 900),
    ("Restaurang Tranan", 6071, 12, 300, 2400),
    ("PostNord Sverige AB", 6250, 25, 40, 400),
    ("Preem AB", 5611, 25, 300, 1100),
]
CUSTOMERS = [
    ("Byggmästarna i Norr AB", "556789-1232"),
    ("Kvarnholmens Fastigheter AB", "556912-3450"),
    ("Sundsvalls Energi AB", "556504-8901"),
    ("Mälardalens Logistik AB", "556834-5672"),
    ("Café Solstrålen HB", "969712-3451"),
    ("Nordic Outdoor Retail AB", "559087-6543"),
]
SERVICES = [
    ("Konsulttjänster", 950, 1350),
    ("Projektledning", 1050, 1450),
    ("Installation", 650, 900),
    ("Material enligt offert", 200, 4000),
    ("Support och underhåll", 500, 800),
]
MONTHS_SV = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def kr(ore: int) -> str:
    """Swedish formatting: 1 250,00."""
    sign = "-" if ore < 0 else ""
    whole, frac = divmod(abs(ore), 100)
    return f"{sign}{whole:,}".replace(",", " ") + f",{frac:02d}"


def decimal_str(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, frac = divmod(abs(ore), 100)
    return f"{sign}{whole}.{frac:02d}"


def as_number(ore: int) -> float:
    """A JSON number with at most two decimals (exact as a Decimal once parsed from text)."""
    return round(ore / 100, 2)


@dataclass
class Row:
    account: int
    debit: int = 0
    credit: int = 0
    text: str = ""


@dataclass
class Voucher:
    uid: str
    series: str
    number: int
    year: int
    date: date
    text: str
    kind: str  # manual|receipt|fee|payroll|vat|taxdebit|taxpayment|invoice|invoicepayment|supplierinvoice|supplierpayment
    reference: str
    rows: list[Row]
    created: datetime
    file_ids: list[str] = field(default_factory=list)
    source_uid: str | None = None

    @property
    def modified(self) -> datetime:
        return self.created

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.year, self.series, self.number)


@dataclass
class Party:
    uid: str
    number: str
    name: str
    orgnr: str


@dataclass
class InvoiceLine:
    text: str
    quantity: int
    price: int  # öre excl. VAT

    @property
    def total(self) -> int:
        return self.quantity * self.price


class _Billed:
    """What customer and supplier invoices share: amounts in öre, paid once by a voucher."""

    net: int
    vat: int
    created: datetime
    payment: Voucher | None

    @property
    def total(self) -> int:
        return self.net + self.vat

    @property
    def balance(self) -> int:
        return 0 if self.payment else self.total

    @property
    def modified(self) -> datetime:
        return self.payment.created if self.payment else self.created


@dataclass
class CustomerInvoice(_Billed):
    uid: str
    number: int
    customer: Party
    date: date
    due: date
    lines: list[InvoiceLine]
    net: int
    vat: int
    created: datetime
    voucher: Voucher | None = None
    payment: Voucher | None = None


@dataclass
class SupplierInvoice(_Billed):
    uid: str
    given_number: int
    supplier: Party
    invoice_number: str
    date: date
    due: date
    account: int
    net: int
    vat: int
    ocr: str
    created: datetime
    voucher: Voucher | None = None
    payment: Voucher | None = None
    file_ids: list[str] = field(default_factory=list)


@dataclass
class FileDoc:
    uid: str
    archive_file_id: str
    name: str
    kind: str  # pdf|png|jpeg
    lines: list[str]
    date: date
    folder: str
    link_kind: str  # voucher|supplierinvoice|inbox
    link_uid: str | None
    created: datetime
    comment: str = ""

    @cached_property
    def content(self) -> bytes:
        return filegen.render(self.kind, f"{self.uid} {self.name}", self.lines)

    @property
    def content_type(self) -> str:
        return filegen.CONTENT_TYPES[self.kind]

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class FiscalYear:
    year: int
    fortnox_id: int
    uid: str

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)


def invoice_pdf(company: Company, inv: CustomerInvoice) -> bytes:
    lines = [
        f"Faktura {inv.number}",
        f"{company.name}, {company.address}, {company.zip_code} {company.city}",
        f"Org.nr {company.orgnr}",
        f"Kund: {inv.customer.name} (kundnr {inv.customer.number})",
        f"Fakturadatum {inv.date.isoformat()}   Förfallodatum {inv.due.isoformat()}",
    ]
    for line in inv.lines:
        lines.append(f"{line.text}  {line.quantity} st à {kr(line.price)} = {kr(line.total)} kr")
    lines += [
        f"Summa exkl. moms {kr(inv.net)} kr",
        f"Moms 25 % {kr(inv.vat)} kr",
        f"Att betala {kr(inv.total)} kr",
    ]
    return filegen.make_pdf(lines, title=f"Faktura {inv.number}")


class Ledger:
    """Two fiscal years of bookkeeping for one company."""

    def __init__(
        self, company: Company, seed: int, n_vouchers: int, n_files: int, as_of: datetime | None = None
    ) -> None:
        self.company = company
        self.rng = random.Random(f"{seed}:{company.key}:{n_vouchers}:{n_files}")
        base = 1 + company.database_number % 5
        self.years = [FiscalYear(y, base + i + 2, self._uuid()) for i, y in enumerate(FISCAL_YEARS)]
        self.first_day = self.years[0].start
        self.last_day = self.years[-1].end
        self.vouchers: list[Voucher] = []
        self.invoices: list[CustomerInvoice] = []
        self.supplier_invoices: list[SupplierInvoice] = []
        self.files: dict[str, FileDoc] = {}
        self.customers = [
            Party(self._uuid(), str(i + 1), name, orgnr) for i, (name, orgnr) in enumerate(CUSTOMERS)
        ]
        self.suppliers = [Party(self._uuid(), str(i + 1), s[0], s[1]) for i, s in enumerate(SUPPLIERS)]
        self._next_invoice = 1001
        self._next_given = 1
        self._salaries = [self.rng.randint(340, 520) * 100_00 for _ in range(company.employees)]
        self._fskatt = self.rng.randint(40, 120) * 100_00
        self._sale_scale = 1.0
        bank = self.rng.randint(150, 400) * 1000_00
        self.opening = {1930: bank, 2081: -25_000_00, 2091: -(bank - 25_000_00)}
        self._generate(n_vouchers)
        self._number()
        self._attach_files(n_files)
        if as_of is not None:
            self._not_after(as_of - timedelta(hours=1))
        self._index()

    # ------------------------------------------------------------------ helpers
    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _created(self, day: date, lag_days: int | None = None) -> datetime:
        lag = self.rng.randint(0, 3) if lag_days is None else lag_days
        local = datetime.combine(day + timedelta(days=lag), time(8, 0), STOCKHOLM) + timedelta(
            minutes=self.rng.randint(0, 9 * 60), seconds=self.rng.randint(0, 59)
        )
        return local.astimezone(UTC)

    def _random_day(self) -> date:
        return self.first_day + timedelta(days=self.rng.randint(0, (self.last_day - self.first_day).days))

    def _voucher(self, series: str, day: date, text: str, kind: str, rows: list[Row], **kw) -> Voucher:
        rows = [r for r in rows if r.debit or r.credit]
        for r in rows:  # normalise negative amounts to the other side
            if r.debit < 0 or r.credit < 0:
                r.debit, r.credit = max(r.debit, 0) + max(-r.credit, 0), max(r.credit, 0) + max(-r.debit, 0)
        assert sum(r.debit for r in rows) == sum(r.credit for r in rows), (text, rows)
        created = kw.pop("created", None) or self._created(day)
        v = Voucher(
            self._uuid(), series, 0, day.year, day, text, kind, kw.pop("reference", ""), rows, created, **kw
        )
        self.vouchers.append(v)
        return v

    def _amount(self, lo_kr: int, hi_kr: int) -> int:
        return self.rng.randint(lo_kr * 100, hi_kr * 100)

    # ------------------------------------------------------------------ events
    def _sale(self, day: date, budget: int, created: datetime | None = None) -> int:
        customer = self.rng.choice(self.customers)
        lines = []
        for _ in range(self.rng.randint(1, 3)):
            text, lo, hi = self.rng.choice(SERVICES)
            quantity = max(1, round(self.rng.randint(1, 40) * self._sale_scale))
            lines.append(InvoiceLine(text, quantity, self.rng.randint(lo, hi) * 100))
        net = sum(line.total for line in lines)
        vat = round(net * 0.25)
        inv = CustomerInvoice(
            self._uuid(),
            self._next_invoice,
            customer,
            day,
            day + timedelta(days=30),
            lines,
            net,
            vat,
            created or self._created(day, 0),
        )
        self._next_invoice += 1
        inv.voucher = self._voucher(
            "B",
            day,
            f"Kundfaktura {customer.name} ({inv.number})",
            "invoice",
            [Row(1510, debit=inv.total), Row(3001, credit=net), Row(2611, credit=vat)],
            reference=str(inv.number),
            source_uid=inv.uid,
            created=inv.created,
        )
        self.invoices.append(inv)
        used = 1
        paid = day + timedelta(days=self.rng.randint(8, 45))
        if budget > 1 and paid <= self.last_day and created is None:
            inv.payment = self._voucher(
                "C",
                paid,
                f"Kundbet {customer.name} ({inv.number})",
                "invoicepayment",
                [Row(1930, debit=inv.total), Row(1510, credit=inv.total)],
                reference=str(inv.number),
                source_uid=inv.uid,
            )
            used += 1
        return used

    def _purchase(self, day: date, budget: int, created: datetime | None = None) -> int:
        idx = self.rng.randrange(len(SUPPLIERS))
        name, _orgnr, account, rate, lo, hi, _kind = SUPPLIERS[idx]
        supplier = self.suppliers[idx]
        net = self._amount(lo, hi)
        vat = round(net * rate / 100)
        si = SupplierInvoice(
            self._uuid(),
            self._next_given,
            supplier,
            str(self.rng.randint(10000, 999999)),
            day,
            day + timedelta(days=30),
            account,
            net,
            vat,
            str(self.rng.randint(10**9, 10**12)),
            created or self._created(day),
        )
        self._next_given += 1
        si.voucher = self._voucher(
            "D",
            day,
            f"Levfakt {name} ({si.given_number})",
            "supplierinvoice",
            [Row(2440, credit=si.total), Row(account, debit=net), Row(2641, debit=vat)],
            reference=str(si.given_number),
            source_uid=si.uid,
            created=si.created,
        )
        self.supplier_invoices.append(si)
        used = 1
        if budget > 1 and si.due <= self.last_day and created is None:
            si.payment = self._voucher(
                "E",
                si.due,
                f"Levbet {name} ({si.given_number})",
                "supplierpayment",
                [Row(2440, debit=si.total), Row(1930, credit=si.total)],
                reference=str(si.given_number),
                source_uid=si.uid,
            )
            used += 1
        return used

    def _receipt(self, day: date, created: datetime | None = None) -> int:
        merchant, account, rate, lo, hi = self.rng.choice(RECEIPT_MERCHANTS)
        gross = self._amount(lo, hi)
        vat = round(gross * rate / (100 + rate))
        self._voucher(
            "A",
            day,
            f"Kvitto {merchant}",
            "receipt",
            [Row(account, debit=gross - vat), Row(2641, debit=vat), Row(1930, credit=gross)],
            created=created,
        )
        return 1

    def _fee(self, day: date, created: datetime | None = None) -> int:
        amount = self.rng.choice([95_00, 125_00, 150_00, 250_00])
        self._voucher(
            "A",
            day,
            "Bankavgift",
            "fee",
            [Row(6570, debit=amount), Row(1930, credit=amount)],
            created=created,
        )
        return 1

    def _random_event(self, day: date, budget: int, created: datetime | None = None) -> int:
        pick = self.rng.random()
        if pick < 0.36:
            return self._sale(day, budget, created)
        if pick < 0.78:
            return self._purchase(day, budget, created)
        if pick < 0.95:
            return self._receipt(day, created)
        return self._fee(day, created)

    def _fixed_month(
        self, year: int, month: int, obligations: dict[tuple[int, int], tuple[int, int, int]]
    ) -> None:
        """Payroll (25th), VAT report (month end); tax payment and tax account debit for last month."""
        raise_factor = 1.03 ** (year - FISCAL_YEARS[0])
        gross = sum(round(s * raise_factor / 100) * 100 for s in self._salaries)
        tax = round(gross * 0.30 / 100) * 100
        soc = round(gross * 0.3142)
        self._voucher(
            "L",
            date(year, month, 25),
            f"Lön {MONTHS_SV[month - 1]} {year}",
            "payroll",
            [
                Row(7010, debit=gross),
                Row(7510, debit=soc),
                Row(2710, credit=tax),
                Row(2730, credit=soc),
                Row(1930, credit=gross - tax),
            ],
        )
        prev = (year, month - 1) if month > 1 else (year - 1, 12)
        if prev in obligations:
            p_tax, p_soc, p_vat = obligations[prev]
            total = p_tax + p_soc + p_vat + self._fskatt
            self._voucher(
                "A",
                date(year, month, 11),
                "Inbetalning skattekonto",
                "taxpayment",
                [Row(1630, debit=total), Row(1930, credit=total)],
            )
            self._voucher(
                "A",
                date(year, month, 12),
                f"Skattekonto {year}-{month:02d}",
                "taxdebit",
                [
                    Row(2710, debit=p_tax),
                    Row(2730, debit=p_soc),
                    Row(2650, debit=p_vat),
                    Row(2510, debit=self._fskatt),
                    Row(1630, credit=total),
                ],
            )
        last = (date(year, month % 12 + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
        out = inn = 0
        for v in self.vouchers:
            if v.date.year == year and v.date.month == month:
                for r in v.rows:
                    if r.account == 2611:
                        out += r.credit - r.debit
                    elif r.account == 2641:
                        inn += r.debit - r.credit
        if out or inn:
            self._voucher(
                "A",
                last,
                f"Momsredovisning {year}-{month:02d}",
                "vat",
                [Row(2611, debit=out), Row(2641, credit=inn), Row(2650, credit=out - inn)],
            )
        else:  # nothing to report; keep the voucher count exact with the month's bank fee
            self._fee(last)
        obligations[(year, month)] = (tax, soc, out - inn)

    def _generate(self, n_vouchers: int) -> None:
        months = [(y, m) for y in FISCAL_YEARS for m in range(1, 13)]
        fixed = n_vouchers >= 150
        fixed_count = (4 * len(months) - 2) if fixed else 0
        budget = max(0, n_vouchers - fixed_count)
        # Size the sales so the company earns a modest profit whatever the number of vouchers.
        payroll_year = sum(self._salaries) * 12 * 1.32 if fixed else 0
        expected_sales = max(1.0, budget / 1.75 * 0.36)
        expected_purchases = budget / 1.75 * 0.42 * 6_000_00
        revenue = 1.15 * (payroll_year * len(FISCAL_YEARS) + expected_purchases) + 1.25 * self._fskatt * 24
        self._sale_scale = max(0.05, revenue / expected_sales / 40_000_00)
        produced = 0
        while produced < budget:
            produced += self._random_event(self._random_day(), budget - produced)
        if fixed:
            obligations: dict[tuple[int, int], tuple[int, int, int]] = {}
            for year, month in months:
                self._fixed_month(year, month, obligations)

    def _number(self) -> None:
        # Invoice and supplier-invoice numbers follow the invoice dates.
        self.invoices.sort(key=lambda i: (i.date, i.created, i.uid))
        for n, inv in enumerate(self.invoices, start=1001):
            inv.number = n
            for v, label in ((inv.voucher, "Kundfaktura"), (inv.payment, "Kundbet")):
                if v:
                    v.text = f"{label} {inv.customer.name} ({n})"
                    v.reference = str(n)
        self.supplier_invoices.sort(key=lambda s: (s.date, s.created, s.uid))
        for n, si in enumerate(self.supplier_invoices, start=1):
            si.given_number = n
            for v, label in ((si.voucher, "Levfakt"), (si.payment, "Levbet")):
                if v:
                    v.text = f"{label} {si.supplier.name} ({n})"
                    v.reference = str(n)
        counters: dict[tuple[int, str], int] = {}
        for v in sorted(self.vouchers, key=lambda v: (v.date, v.created, v.uid)):
            counters[(v.year, v.series)] = counters.get((v.year, v.series), 0) + 1
            v.number = counters[(v.year, v.series)]
        self.vouchers.sort(key=lambda v: (v.year, v.series, v.number))

    # ------------------------------------------------------------------ files
    def _add_file(
        self, kind: str, name: str, lines: list[str], day: date, link_kind: str, link_uid: str | None
    ):
        folder = f"fndoc{day.year}{day.month:02d}" if link_kind != "inbox" else "inbox_v"
        doc = FileDoc(
            self._uuid(),
            self._uuid(),
            f"{name}.{filegen.EXTENSIONS[kind]}",
            kind,
            lines,
            day,
            folder,
            link_kind,
            link_uid,
            self._created(day),
        )
        self.files[doc.uid] = doc
        return doc

    def _supplier_file(self, si: SupplierInvoice, second: bool = False) -> FileDoc:
        kind = "pdf" if second else SUPPLIERS[int(si.supplier.number) - 1][6]
        if not second and kind == "pdf" and self.rng.random() < 0.15:
            kind = "png"
        title = "Följesedel" if second else "Faktura"
        lines = [
            f"{title} {si.invoice_number} {si.supplier.name} {kr(si.total)} kr",
            f"Leverantör: {si.supplier.name} (org.nr {si.supplier.orgnr})",
            f"Kund: {self.company.name} (org.nr {self.company.orgnr})",
            f"Fakturadatum {si.date.isoformat()}   Förfallodatum {si.due.isoformat()}",
            f"Belopp exkl. moms {kr(si.net)} kr   Moms {kr(si.vat)} kr",
            f"Att betala {kr(si.total)} kr   OCR {si.ocr}",
        ]
        slug = si.supplier.name.split()[0].lower()
        doc = self._add_file(
            kind, f"{title.lower()}_{si.invoice_number}_{slug}", lines, si.date, "supplierinvoice", si.uid
        )
        si.file_ids.append(doc.uid)
        return doc

    def _voucher_file(self, v: Voucher) -> FileDoc:
        total = sum(r.debit for r in v.rows)
        if v.kind == "receipt":
            kind = self.rng.choice(["jpeg", "jpeg", "png", "pdf"]) if not v.file_ids else "pdf"
            name = f"kvitto_{v.date.isoformat()}"
        else:
            kind = "pdf"
            name = f"underlag_{v.series}{v.number}_{v.date.isoformat()}"
        lines = [
            f"{v.text} {kr(total)} kr",
            f"{self.company.name} (org.nr {self.company.orgnr})",
            f"Datum {v.date.isoformat()}",
            f"Verifikation {v.series}{v.number}",
        ]
        doc = self._add_file(kind, name, lines, v.date, "voucher", v.uid)
        v.file_ids.append(doc.uid)
        return doc

    def _attach_files(self, n_files: int) -> None:
        receipts = [v for v in self.vouchers if v.kind == "receipt"]
        others = [v for v in self.vouchers if v.kind in ("payroll", "fee", "vat", "taxdebit")]
        targets: list[object] = [*self.supplier_invoices, *receipts, *others]
        targets.sort(key=lambda t: t.date)  # type: ignore[attr-defined]
        made = 0
        rounds = 0
        while made < n_files and targets:
            for t in targets:
                if made >= n_files:
                    break
                if isinstance(t, SupplierInvoice):
                    self._supplier_file(t, second=rounds > 0)
                else:
                    self._voucher_file(t)  # type: ignore[arg-type]
                made += 1
            rounds += 1
        for i in range(2):  # unconnected files waiting in the inbox
            day = self.last_day - timedelta(days=3 + i)
            self._add_file("pdf", f"inkommande_{i + 1}", [f"Ej bokförd faktura {i + 1}"], day, "inbox", None)

    def _not_after(self, limit: datetime) -> None:
        """Records dated in the future (the current fiscal year runs to 31 Dec) were registered 'before now'."""
        for item in [*self.vouchers, *self.invoices, *self.supplier_invoices, *self.files.values()]:
            if item.created > limit:
                item.created = limit - timedelta(seconds=self.rng.randint(0, 3600))

    def _index(self) -> None:
        self.by_key = {v.key: v for v in self.vouchers}
        self.by_uid = {v.uid: v for v in self.vouchers}
        self.invoice_by_number = {i.number: i for i in self.invoices}
        self.invoice_by_uid = {i.uid: i for i in self.invoices}
        self.si_by_given = {s.given_number: s for s in self.supplier_invoices}
        self.si_by_uid = {s.uid: s for s in self.supplier_invoices}
        self.file_by_archive_id = {f.archive_file_id: f for f in self.files.values()}

    # ------------------------------------------------------------------ queries
    def year(self, year: int) -> FiscalYear | None:
        return next((y for y in self.years if y.year == year), None)

    def year_by_fortnox_id(self, fid: int) -> FiscalYear | None:
        return next((y for y in self.years if y.fortnox_id == fid), None)

    def year_by_uid(self, uid: str) -> FiscalYear | None:
        return next((y for y in self.years if y.uid == uid.lower()), None)

    def year_for_date(self, day: date) -> FiscalYear | None:
        return next((y for y in self.years if y.start <= day <= y.end), None)

    def vouchers_in(self, year: int) -> list[Voucher]:
        return [v for v in self.vouchers if v.year == year]

    def balances(self, year: int) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
        """(opening balances, closing balances of balance accounts, result accounts) for a year."""
        ib = dict(self.opening)
        for y in self.years:
            movements: dict[int, int] = {}
            for v in self.vouchers_in(y.year):
                for r in v.rows:
                    movements[r.account] = movements.get(r.account, 0) + r.debit - r.credit
            ub = dict(ib)
            res: dict[int, int] = {}
            for acc, amount in movements.items():
                if acc < 3000:
                    ub[acc] = ub.get(acc, 0) + amount
                else:
                    res[acc] = amount
            if y.year == year:
                return ib, ub, res
            ib = dict(ub)
            ib[2099] = ib.get(2099, 0) + sum(res.values())
        raise KeyError(year)

    def accounts_used(self) -> list[int]:
        used = {r.account for v in self.vouchers for r in v.rows} | set(self.opening) | {2099}
        return sorted(used)

    # ------------------------------------------------------------------ live changes
    def add_activity(self, count: int, now: datetime) -> list[Voucher]:
        """Book ``count`` new vouchers dated today (clamped into the fiscal years), created ``now``."""
        day = min(max(now.astimezone(STOCKHOLM).date(), self.first_day), self.last_day)
        before = len(self.vouchers)
        produced = 0
        while produced < count:
            produced += self._random_event(day, count - produced, created=now)
        new = self.vouchers[before:]
        for v in new:
            series_max = max(
                (o.number for o in self.vouchers if o.year == v.year and o.series == v.series), default=0
            )
            v.number = series_max + 1
            if v.kind == "receipt":
                self._voucher_file(v).created = now
        for si in self.supplier_invoices:
            if si.voucher in new and not si.file_ids:
                self._supplier_file(si).created = now
        self.vouchers.sort(key=lambda v: (v.year, v.series, v.number))
        self._index()
        return new
