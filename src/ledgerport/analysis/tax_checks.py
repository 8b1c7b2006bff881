"""The tax checks over plain inputs: the tax account against the books (no Django, no queries).

Signs. Every amount here is in the ledger's sign as account 1630 sees it, debit positive: a
payment into the tax account is positive, a tax debited on it negative, a balance below zero a
debt. The tax agency's sign for the tax account (negative = debt) is the same, so its rows and
balances are taken as they are. Amounts the books keep elsewhere are turned to 1630's side:
a liability booked on 2710/2730/2731/2650 is a credit (negative), and so is what an employer
declaration declares (the authority's positive total is negated, in `tax_account_check`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
TOLERANCE_DAYS = 7  # a payment reaches the tax account 1–3 banking days after it left; a long weekend more

# Kostnadsränta for a late payment: basränta + 15 percentage points (research §2.3), from each date on.
COST_INTEREST = ((date(2024, 12, 1), Decimal("17.5")),)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augusti", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
KINDS = {"arbetsgivaravgift": "arbetsgivaravgift", "avdragen skatt": "avdragen_skatt", "moms": "moms"}
PERIOD_TEXT = re.compile(r"^\s*(arbetsgivaravgift|avdragen skatt|moms)\s+([a-zåäö]+)\.?\s+(\d{4})\s*$", re.I)
# VAT of a quarter or a fiscal year: "Moms jan 2026 - mar 2026", "Moms januari-mars 2026",
# "Moms maj 2025 - apr 2026"; a calendar year also "Moms 2025".
VAT_RANGE_TEXT = re.compile(
    r"^\s*moms\s+([a-zåäö]+)\.?(?:\s+(\d{4}))?\s*[-–]\s*([a-zåäö]+)\.?\s+(\d{4})\s*$", re.I
)
VAT_YEAR_TEXT = re.compile(r"^\s*moms\s+(\d{4})\s*$", re.I)


def vat_period_of(text: str) -> tuple[date, date] | None:
    """(first month, last month), each as its first day, of a tax-account VAT text: a month
    ("Moms mars 2026"), a range ("Moms jan 2026 - mar 2026", "Moms januari-mars 2026") or a
    calendar year ("Moms 2025"); None for any other text."""
    if found := VAT_YEAR_TEXT.match(text):
        year = int(found[1])
        return date(year, 1, 1), date(year, 12, 1)
    if found := VAT_RANGE_TEXT.match(text):
        first, last = MONTHS.get(found[1].lower()), MONTHS.get(found[3].lower())
        if first is None or last is None:
            return None
        last_year = int(found[4])
        first_year = int(found[2]) if found[2] else last_year - (first > last)
        start, end = date(first_year, first, 1), date(last_year, last, 1)
        return (start, end) if start <= end else None
    found = PERIOD_TEXT.match(text)
    month = MONTHS.get(found[2].lower()) if found and found[1].lower() == "moms" else None
    if found is None or month is None:
        return None
    return date(int(found[3]), month, 1), date(int(found[3]), month, 1)


def period_of(text: str) -> tuple[str, date] | None:
    """("arbetsgivaravgift" | "avdragen_skatt" | "moms", first of the month) for a tax-account text
    such as "Arbetsgivaravgift mars 2026" or "Moms okt 2025"; VAT of a quarter or a year by its
    first month ("Moms jan 2026 - mar 2026"); None for any other text."""
    found = PERIOD_TEXT.match(text)
    if not found:
        vat = vat_period_of(text) if text.strip().lower().startswith("moms") else None
        return None if vat is None else ("moms", vat[0])
    month = MONTHS.get(found[2].lower())
    if month is None:
        return None
    return KINDS[found[1].lower()], date(int(found[3]), month, 1)


def month_span(first: date, last: date) -> list[date]:
    """The first day of each month from first's to last's, inclusive."""
    out = []
    month = first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def vat_periods(start: date, end: date, vat_period: str) -> list[tuple[date, date]]:
    """The VAT periods of the fiscal year start..end as (first month, last month): each month
    ("monthly"); each calendar quarter lying wholly in the year ("quarterly"; one straddling a
    broken year's start is left out); the fiscal year itself ("annual")."""
    months = month_span(start, end)
    if vat_period == "annual":
        return [(months[0], months[-1])]
    if vat_period == "monthly":
        return [(m, m) for m in months]
    inside = set(months)
    quarters = []
    for m in months:
        if m.month % 3 == 1:
            last = m.replace(month=m.month + 2)
            if last in inside:
                quarters.append((m, last))
    return quarters


# ------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class TaxRow:
    """A booked tax-account transaction."""

    booked: date
    text: str
    amount: Decimal


@dataclass(frozen=True)
class LedgerRow:
    """A row on account 1630. `pieces`: the voucher's other rows turned to 1630's side (their
    amounts negated; they add up to `amount`), given when the voucher has this one 1630 row, so a
    debit booked as one row against several tax-account transactions can be matched part by part."""

    date: date
    voucher: str
    amount: Decimal
    pieces: tuple[Decimal, ...] = ()


# ------------------------------------------------------------------------------ matching


@dataclass(frozen=True)
class LedgerItem:
    date: date
    voucher: str
    amount: Decimal


@dataclass(frozen=True)
class Match:
    tax: tuple[TaxRow, ...]
    ledger: LedgerItem


@dataclass
class Reconciliation:
    matches: list[Match] = field(default_factory=list)
    unmatched_tax: list[TaxRow] = field(default_factory=list)
    unmatched_ledger: list[LedgerItem] = field(default_factory=list)


def _pair(
    items: Sequence[LedgerItem], rows: Sequence[TaxRow], free: set[int], tolerance: int
) -> dict[int, int]:
    """One-to-one: same amount, dates within `tolerance` days, the closest dates first."""
    by_amount: dict[Decimal, list[int]] = defaultdict(list)
    for j in sorted(free):
        by_amount[rows[j].amount].append(j)
    candidates = []
    for i, item in enumerate(items):
        for j in by_amount.get(item.amount, ()):
            gap = abs((rows[j].booked - item.date).days)
            if gap <= tolerance:
                candidates.append((gap, item.date, rows[j].booked, i, j))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _gap, _d1, _d2, i, j in sorted(candidates):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def match_rows(
    tax_rows: Sequence[TaxRow], ledger_rows: Sequence[LedgerRow], *, tolerance_days: int = TOLERANCE_DAYS
) -> Reconciliation:
    """Each tax-account transaction matched to a 1630 row: one to one by amount and date; then the
    parts of a 1630 row (its voucher's other rows) one to one; then one 1630 row (or part) against
    a day's tax-account transactions together. What is left is unmatched on either side."""
    result = Reconciliation()
    free = set(range(len(tax_rows)))
    whole = [LedgerItem(r.date, r.voucher, r.amount) for r in ledger_rows]
    pairs = _pair(whole, tax_rows, free, tolerance_days)
    for i, j in pairs.items():
        result.matches.append(Match((tax_rows[j],), whole[i]))
        free.discard(j)

    # Parts of the rows left: accepted for a row when at least one of its parts matches.
    left: list[LedgerItem] = []
    parts: list[LedgerItem] = []
    owner: list[int] = []
    for i, row in enumerate(ledger_rows):
        if i in pairs:
            continue
        if len(row.pieces) > 1:
            for piece in row.pieces:
                parts.append(LedgerItem(row.date, row.voucher, piece))
                owner.append(i)
        else:
            left.append(whole[i])
    part_pairs = _pair(parts, tax_rows, free, tolerance_days)
    split = {owner[k] for k in part_pairs}
    for k, part in enumerate(parts):
        if owner[k] not in split:
            continue
        if k in part_pairs:
            result.matches.append(Match((tax_rows[part_pairs[k]],), part))
            free.discard(part_pairs[k])
        else:
            left.append(part)
    left.extend(whole[i] for i in sorted({o for o in owner if o not in split}))

    # One 1630 row against a day's transactions together.
    days: dict[date, list[int]] = defaultdict(list)
    for j in sorted(free):
        days[tax_rows[j].booked].append(j)
    unmatched = []
    for item in sorted(left, key=lambda x: (x.date, x.voucher)):
        group = next(
            (
                js
                for day, js in sorted(days.items(), key=lambda kv: abs((kv[0] - item.date).days))
                if len(js) > 1
                and abs((day - item.date).days) <= tolerance_days
                and sum((tax_rows[j].amount for j in js), ZERO) == item.amount
            ),
            None,
        )
        if group is None:
            unmatched.append(item)
            continue
        result.matches.append(Match(tuple(tax_rows[j] for j in group), item))
        del days[tax_rows[group[0]].booked]
        free.difference_update(group)
    result.unmatched_ledger = unmatched
    result.unmatched_tax = [tax_rows[j] for j in sorted(free)]
    result.matches.sort(key=lambda m: (m.ledger.date, m.ledger.voucher))
    return result


# ------------------------------------------------------------------------------ balances


@dataclass(frozen=True)
class MonthBalance:
    month: date  # first of the month
    on: date  # the month's end, or the last day the data covers
    tax_account: Decimal
    ledger: Decimal

    @property
    def difference(self) -> Decimal:
        return self.tax_account - self.ledger


def _balance_on(opening: Decimal, dated: Iterable[tuple[date, Decimal]], on: date) -> Decimal:
    return opening + sum((amount for day, amount in dated if day <= on), ZERO)


def month_balances(
    months: Sequence[date],
    *,
    tax_opening: Decimal,
    tax_rows: Sequence[TaxRow],
    ledger_opening: Decimal,
    ledger_rows: Sequence[LedgerRow],
    until: date,
) -> list[MonthBalance]:
    """Both running balances at each month's end (at `until` in its month; later months left out)."""
    taxed = [(r.booked, r.amount) for r in tax_rows]
    booked = [(r.date, r.amount) for r in ledger_rows]
    result = []
    for month in months:
        if month > until:
            break
        end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        on = min(end, until)
        result.append(
            MonthBalance(
                month, on, _balance_on(tax_opening, taxed, on), _balance_on(ledger_opening, booked, on)
            )
        )
    return result


# ------------------------------------------------------------------------------ paid on time


@dataclass(frozen=True)
class LatePayment:
    due_date: date
    amount_due: Decimal  # the debt the due date left unpaid (negative)
    paid_date: date | None  # when the account was back where it stood before; None: not yet
    interest: Decimal | None  # estimated kostnadsränta (negative); None when no rate is known


def cost_interest_rate(on: date) -> Decimal | None:
    """Percent a year charged on a late payment on `on`, or None before the first known rate."""
    rate = None
    for start, percent in COST_INTEREST:
        if start <= on:
            rate = percent
    return rate


def estimated_interest(debt: Decimal, start: date, end: date) -> Decimal | None:
    """Kostnadsränta on `debt` (negative) for the days start..end-1, at each day's rate."""
    total = ZERO
    day = start
    while day < end:
        rate = cost_interest_rate(day)
        if rate is None:
            return None
        total += debt * rate / 100 / 365
        day += timedelta(days=1)
    return total.quantize(CENT)


def late_payments(
    due_dates: Sequence[date], *, opening: Decimal, rows: Sequence[TaxRow], until: date
) -> list[LatePayment]:
    """The due dates (up to `until`) on which the tax account fell (further) into debt.

    The balance at the end of a due date is compared with the lowest since the previous due
    date: when it is below both that and zero, what the day's debits left unpaid is a late
    payment. A debt carried from before (an unpaid interest charge, say) is so not counted
    again at each due date. `rows` run at least to `until`, so a payment after the year's end
    is seen.
    """
    dated = sorted((r.booked, r.amount) for r in rows)
    days = sorted({d for d, _a in dated})
    result = []
    previous: date | None = None
    for due in sorted(due_dates):
        if due > until:
            break
        since = previous or due - timedelta(days=31)
        previous = due
        lowest = min(
            [_balance_on(opening, dated, since)]
            + [_balance_on(opening, dated, d) for d in days if since < d < due]
        )
        floor = min(ZERO, lowest)
        balance = _balance_on(opening, dated, due)
        if balance >= floor:
            continue
        paid = next((d for d in days if due < d <= until and _balance_on(opening, dated, d) >= floor), None)
        debt = balance - floor
        result.append(LatePayment(due, debt, paid, estimated_interest(debt, due, paid or until)))
    return result


@dataclass(frozen=True)
class DueDateBalance:
    due_date: date
    balance: Decimal  # the tax account at the end of the due date (negative: a debt)
    late: bool  # a late payment was found on it


def due_date_balances(
    due_dates: Sequence[date], *, opening: Decimal, rows: Sequence[TaxRow], late: Iterable[LatePayment]
) -> list[DueDateBalance]:
    """The tax account's balance at the end of each due date, and whether it was one paid late."""
    dated = [(r.booked, r.amount) for r in rows]
    missed = {p.due_date for p in late}
    return [DueDateBalance(d, _balance_on(opening, dated, d), d in missed) for d in sorted(due_dates)]


# ------------------------------------------------------------------------------ declarations and VAT


@dataclass(frozen=True)
class PeriodDifference:
    period: date
    kind: str  # arbetsgivaravgift | avdragen_skatt | moms
    declared: Decimal | None  # the employer declaration (VAT: None, the declaration is not fetched)
    tax_account: Decimal
    booked: Decimal
    last_month: date | None = None  # a VAT quarter's or year's last month (None: one month)


def period_differences(
    periods: Iterable[tuple[date, str]],
    *,
    declared: dict[tuple[date, str], Decimal | None] | None,
    tax_account: dict[tuple[date, str], Decimal],
    booked: dict[tuple[date, str], Decimal],
) -> list[PeriodDifference]:
    """Per (period, kind): the declared amount, the tax account's debits and what the books hold;
    the ones that do not all agree (a missing figure counts as zero). `declared` None, or None for a
    key: not compared (not known)."""
    result = []
    for key in sorted(periods):
        on_account = tax_account.get(key, ZERO)
        in_books = booked.get(key, ZERO)
        said = None if declared is None else declared.get(key, ZERO)
        if on_account == in_books and (said is None or said == on_account):
            continue
        result.append(PeriodDifference(key[0], key[1], said, on_account, in_books))
    return result


def tax_account_by_period(rows: Iterable[TaxRow]) -> dict[tuple[date, str], Decimal]:
    """The tax account's debits per (period, kind), from their texts."""
    sums: dict[tuple[date, str], Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        found = period_of(row.text)
        if found is not None:
            sums[(found[1], found[0])] += row.amount
    return dict(sums)
