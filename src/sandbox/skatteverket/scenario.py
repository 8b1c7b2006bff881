"""What Skatteverket knows about each demo company: its tax account and employer declarations.

The interface between the simulator's API (which serves these facts) and the scenario (which
derives them from the same company's sandbox ledger, with deliberate discrepancies for the tax
checks to find). Amounts are in Skatteverket's sign: negative = a debt to Skatteverket.

How the sandbox ledger books taxes (`sandbox.core.ledger`): payroll of month M on the 25th
(K2710 deducted tax, K2730 employer contributions); on the 11th of M+1 "Inbetalning
skattekonto" D1630/K1930 of everything due; on the 12th of M+1 the tax-account debit
D2710/D2730/D2650/D2510 K1630 (M's payroll taxes, M's VAT, M+1's F-skatt). The tax account
here mirrors that, row by row and to the öre (the real account is in whole kronor; rounding
would put a difference into every month):

- a payment is booked as "Inbetalning bokförd <yymmdd>" on the ledger's payment day, or the
  next banking day when that is none;
- the debits are booked on the ledger's debit day: "Avdragen skatt <månad> <år>",
  "Arbetsgivaravgift <månad> <år>", "Moms <månad> <år>", "Debiterad preliminärskatt";
- employer declarations: one per payroll month, signed on the 5th of the month after.

Simplifications: no intäktsränta is credited, and kostnadsränta only for the seeded late
payment (the ledger books no interest, so any other interest row would be a further, unseeded
difference); VAT is debited the month after its period, as the ledger pays it (small companies
really have until the 12th of the second month).

Deliberate discrepancies, only for companies with payroll, all in the autumn of the earlier
fiscal year (within the history a sync reads back):
1. one employer-declaration month declared with lower employer contributions than booked
   (the tax account debits what was declared, so from then on it holds a small surplus);
2. one later payment arriving at Skatteverket two banking days after its due date (the
   ledger's payment day is unchanged, within the checks' matching tolerance);
3. the cost interest of that late payment, booked at the next monthly reconciliation and not in
   the ledger. The surplus of (1) is larger than it, so the account never owes more afterwards.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

import holidays

from sandbox.core.clock import STOCKHOLM
from sandbox.core.ledger import MONTHS_SV, Ledger, Voucher
from sandbox.demo import COMPANIES, FISCAL_YEARS, company_by_ref

COST_INTEREST_RATE = Decimal("0.175")  # basränta 2.5 % + 15 pp, from 1 Dec 2024 (research §2.3)
SIGNATORY = "191212121212"  # Skatteverket's own test personnummer
ORE = Decimal("0.01")


@dataclass(frozen=True)
class TaxAccountTransaction:
    ident: str  # transaktionsidentitet, stable across fetches
    booked: date  # transaktionsdatum
    interest_date: date  # ranteberakningsdatum
    text: str  # transaktionstext, e.g. "Arbetsgivaravgift mars 2026"
    amount: Decimal  # beloppSkatteverket; negative = debit (debt)
    due: date | None = None  # forfallodatum, upcoming rows only


@dataclass(frozen=True)
class EmployerDeclaration:
    period: str  # YYYYMM
    employer_contributions: Decimal  # SummaArbAvgSlf (fältkod 487), positive
    deducted_tax: Decimal  # SummaSkatteavdr (fältkod 497), positive
    individual_count: int  # antalIu
    signed_by: str  # 12-digit personnummer of the signatory
    signed_at: datetime  # aware
    receipt_id: str  # uuidKvittens


@dataclass(frozen=True)
class Scenario:
    orgnr: str  # 10 digits
    ocr: str  # 16 + orgnr + Luhn digit
    booked: tuple[TaxAccountTransaction, ...] = ()  # tidigareTransaktioner, oldest first
    upcoming: tuple[TaxAccountTransaction, ...] = ()  # kommandeTransaktioner
    declarations: tuple[EmployerDeclaration, ...] = ()
    # What the scenario changed on purpose, for the tests that expect the checks to find exactly these.
    discrepancies: tuple[str, ...] = field(default=())

    def balance(self, on: date | None = None) -> Decimal:
        """saldoSkatteverket: the booked transactions up to and including `on`."""
        return sum((t.amount for t in self.booked if on is None or t.booked <= on), Decimal(0))


# ---------------------------------------------------------------------------- calendar


@cache
def _non_banking_days(year: int) -> frozenset[date]:
    # Public holidays plus midsommarafton, julafton and nyårsafton (de facto closed; the
    # statute on time limits, 1930:173, treats them as holidays).
    days = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(days)


def banking_day_from(day: date) -> date:
    """`day`, or the next banking day when it is a weekend or holiday."""
    while day.weekday() >= 5 or day in _non_banking_days(day.year):
        day += timedelta(days=1)
    return day


def _due(day: date) -> date:
    """The due date of the debits the ledger books on `day`: the 12th, 17th in January and August."""
    return banking_day_from(day.replace(day=17 if day.month in (1, 8) else 12))


def _reconciliation(month_after: date) -> date:
    """Skatteverket's monthly reconciliation (avstämning): here, the first Saturday of the month."""
    first = month_after.replace(day=1)
    return first + timedelta(days=(5 - first.weekday()) % 7)


def ocr_number(orgnr: str) -> str:
    digits = "16" + orgnr
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return digits + str((10 - total % 10) % 10)


# ---------------------------------------------------------------------------- from the ledger


def _kr(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(ORE)


def _account_amount(v: Voucher, account: int) -> int:
    return sum(r.debit - r.credit for r in v.rows if r.account == account)


@dataclass
class _Month:
    """One tax-account month as the ledger books it: payment, debit, the payroll period before."""

    period: date  # first of the payroll/VAT month
    payment: Voucher
    debit: Voucher
    tax: int  # öre, positive
    contributions: int
    vat: int  # may be negative (refund)
    fskatt: int


def _months(ledger: Ledger) -> list[_Month]:
    payments = {(v.date.year, v.date.month): v for v in ledger.vouchers if v.kind == "taxpayment"}
    months = []
    for debit in sorted((v for v in ledger.vouchers if v.kind == "taxdebit"), key=lambda v: v.date):
        first = debit.date.replace(day=1)
        period = (first - timedelta(days=1)).replace(day=1)
        months.append(
            _Month(
                period=period,
                payment=payments[(debit.date.year, debit.date.month)],
                debit=debit,
                tax=_account_amount(debit, 2710),
                contributions=_account_amount(debit, 2730),
                vat=_account_amount(debit, 2650),
                fskatt=_account_amount(debit, 2510),
            )
        )
    return months


def _ident(orgnr: str, day: date, text: str) -> str:
    return hashlib.sha256(f"{orgnr}|{day.isoformat()}|{text}".encode()).hexdigest()[:20]


def _month_name(period: date) -> str:
    return f"{MONTHS_SV[period.month - 1]} {period.year}"


def _build(orgnr: str, ledger: Ledger, seed: int, today: date) -> Scenario:
    months = _months(ledger)
    ocr = ocr_number(orgnr)
    if not months:
        return Scenario(orgnr=orgnr, ocr=ocr)
    rng = random.Random(f"{seed}:{orgnr}:skatteverket")

    # The discrepancies, late in the earlier year so that a sync reaching back 915 days (or the
    # earlier 460) from any day of the later year sees them: an AGI month debited in October, then a late payment in
    # November (December when 11/12 November are not banking days), due on the 12th itself.
    first_year = FISCAL_YEARS[0]

    def on_time_possible(m: _Month) -> bool:
        return (
            banking_day_from(m.debit.date) == m.debit.date
            and banking_day_from(m.payment.date) == m.payment.date
        )

    autumn = [m for m in months if m.debit.date.year == first_year]
    agi = next((m for m in autumn if m.debit.date.month == 10), None)
    late = next((m for m in autumn if m.debit.date.month in (11, 12) and on_time_possible(m)), None)
    shortfall = 0  # öre the AGI month declares less than booked
    if agi is not None:
        shortfall = round(agi.contributions * rng.uniform(0.05, 0.12) / 100) * 100
        if late is not None:  # more than a week's interest on the whole late payment, whatever it is
            bound = _account_amount(late.payment, 1630) * float(COST_INTEREST_RATE) * 7 / 365
            shortfall = max(shortfall, round(bound / 100) * 100 + 100_00)

    rows: list[tuple[date, date, str, Decimal, date]] = []  # booked, interest date, text, amount, due

    def add(booked: date, text: str, amount: Decimal, interest: date | None = None) -> None:
        rows.append((booked, interest or booked, text, amount, _due(booked)))

    declarations: list[EmployerDeclaration] = []
    discrepancies: list[str] = []
    arrival: date | None = None
    for m in months:
        paid = banking_day_from(m.payment.date)
        if m is late:
            arrival = banking_day_from(m.debit.date + timedelta(days=1))
            arrival = banking_day_from(arrival + timedelta(days=1))
            paid = arrival
        total = _account_amount(m.payment, 1630)
        add(paid, f"Inbetalning bokförd {paid:%y%m%d}", _kr(total))
        declared = m.contributions - (shortfall if m is agi else 0)
        name = _month_name(m.period)
        add(m.debit.date, f"Avdragen skatt {name}", -_kr(m.tax))
        add(m.debit.date, f"Arbetsgivaravgift {name}", -_kr(declared))
        if m.vat:
            add(m.debit.date, f"Moms {name}", -_kr(m.vat))
        add(m.debit.date, "Debiterad preliminärskatt", -_kr(m.fskatt))
        signed = datetime.combine(m.debit.date.replace(day=5), time(9, 30), STOCKHOLM).astimezone(UTC)
        declarations.append(
            EmployerDeclaration(
                period=f"{m.period:%Y%m}",
                employer_contributions=_kr(declared),
                deducted_tax=_kr(m.tax),
                individual_count=ledger.company.employees,
                signed_by=SIGNATORY,
                signed_at=signed,
                receipt_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            )
        )
        if m is agi:
            discrepancies.append(
                f"agi_difference period={m.period:%Y-%m} kind=arbetsgivaravgift "
                f"declared={_kr(declared)} booked={_kr(m.contributions)}"
            )
    rows.sort(key=lambda r: (r[0], r[3] < 0))  # a day's payment before its debits

    if late is not None and arrival is not None:
        due = late.debit.date
        balance = sum((r[3] for r in rows if r[0] < due), Decimal(0))
        owed = Decimal(0)  # krona-days of debt from the due date until the payment arrived
        day = due
        while day < arrival:
            balance += sum((r[3] for r in rows if r[0] == day), Decimal(0))
            owed += max(Decimal(0), -balance)
            day += timedelta(days=1)
        interest = (owed * COST_INTEREST_RATE / 365).quantize(Decimal(1), ROUND_HALF_UP)
        late_amount = -(sum((r[3] for r in rows if r[0] <= due), Decimal(0)))
        booked = _reconciliation(due.replace(day=28) + timedelta(days=4))
        add(booked, "Kostnadsränta", -interest)
        rows.sort(key=lambda r: (r[0], r[3] < 0))
        discrepancies.append(f"late_payment due={due} paid={arrival} amount_due={late_amount.quantize(ORE)}")
        discrepancies.append(f"unbooked_interest date={booked} amount={(-interest).quantize(ORE)}")
        assert interest * 100 < shortfall, "the AGI surplus must cover the seeded interest"

    booked_rows = tuple(
        TaxAccountTransaction(_ident(orgnr, b, t), b, i, t, a) for b, i, t, a, _d in rows if b <= today
    )
    upcoming = tuple(
        TaxAccountTransaction(_ident(orgnr, b, t), b, i, t, a, due=d)
        for b, i, t, a, d in rows
        if b > today and (a < 0 and (t == "Debiterad preliminärskatt" or b.replace(day=5) <= today))
    )
    return Scenario(
        orgnr=orgnr,
        ocr=ocr,
        booked=booked_rows,
        upcoming=upcoming,
        declarations=tuple(d for d in declarations if d.signed_at.astimezone(STOCKHOLM).date() <= today),
        discrepancies=tuple(discrepancies),
    )


def _digits(orgnr: str) -> str:
    digits = orgnr.replace("-", "")
    return digits[2:] if len(digits) == 12 and digits.startswith("16") else digits


def scenario_for(
    orgnr: str, *, seed: int = 1, today: date | None = None, ledger: Ledger | None = None
) -> Scenario | None:
    """The company's tax account, or None when Skatteverket has none (felkod 3).

    `ledger` is the company's sandbox ledger when the caller holds it (the simulator passes the
    one the accounting providers serve, rescaled or not); without it the company's default-sized
    ledger for `seed` is built. Whatever the ledger's size, exactly the three discrepancies are seeded.
    """
    company = company_by_ref(_digits(orgnr))
    if company is None:
        return None
    if today is None:
        today = datetime.now(STOCKHOLM).date()
    if ledger is None:
        return _default(company.key, seed, today)
    return _build(company.orgnr.replace("-", ""), ledger, seed, today)


@lru_cache(maxsize=64)
def _default(key: str, seed: int, today: date) -> Scenario:
    # The simulator asks on every request; a scenario is immutable, a ledger takes ~50 ms to build.
    company = COMPANIES[key]
    ledger = Ledger(company, seed, company.vouchers, company.files)
    return _build(company.orgnr.replace("-", ""), ledger, seed, today)
