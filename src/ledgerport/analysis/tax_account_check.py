"""The tax checks of one company and fiscal year: reads the tax account and the books, runs `tax_checks`.

A thin adapter: `taxes.selectors` for the tax account and the employer declarations, the
ledger's selectors for account 1630 and the tax liabilities; every computation is in
`tax_checks` and every due date in `deadlines`. Signs as in `tax_checks` (1630's, debit positive).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ledgerport.ledger.models import FiscalYear
from ledgerport.ledger.selectors import periods_of, voucher_lines_touching, year_figures
from ledgerport.taxes import selectors as taxes
from ledgerport.tenancy.models import Company

from . import deadlines
from .tax_checks import (
    ZERO,
    DueDateBalance,
    LatePayment,
    LedgerItem,
    LedgerRow,
    MonthBalance,
    PeriodDifference,
    Reconciliation,
    TaxRow,
    due_date_balances,
    late_payments,
    match_rows,
    month_balances,
    month_span,
    period_differences,
    tax_account_by_period,
    vat_periods,
)
from .tax_profile import Profile, effective_profile

TAX_ACCOUNT = "1630"
# The accounts a period's payroll taxes and VAT are booked on, per kind.
BOOKED_ON = {
    "avdragen_skatt": ("2710",),
    "arbetsgivaravgift": ("2730", "2731"),
    "moms": ("2650",),
}
EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True)
class TaxAccountAnalysis:
    fiscal_year: FiscalYear
    until: date  # the last day compared: the year's end, or the day the tax account was fetched
    has_tax_account: bool
    months: list[MonthBalance]
    reconciliation: Reconciliation
    late_payments: list[LatePayment]
    agi_differences: list[PeriodDifference]
    vat_differences: list[PeriodDifference]
    profile: Profile | None = None  # the VAT period and size the due dates assumed
    # The due-date calendar of the year (from the tax account's first row, up to the data's day)
    # with the balance at the end of each.
    due_dates: list[DueDateBalance] = field(default_factory=list)

    @property
    def unmatched_tax(self) -> list[TaxRow]:
        return self.reconciliation.unmatched_tax

    @property
    def unmatched_ledger(self) -> list[LedgerItem]:
        return self.reconciliation.unmatched_ledger

    @property
    def findings(self) -> int:
        """How many things need a look (the traffic light is green at zero)."""
        return (
            len(self.unmatched_tax)
            + len(self.unmatched_ledger)
            + len(self.late_payments)
            + len(self.agi_differences)
            + len(self.vat_differences)
        )


def _ledger_rows(
    fiscal_year: FiscalYear, until: date
) -> tuple[list[LedgerRow], dict[tuple[date, str], Decimal]]:
    """1630's rows (with their vouchers' other rows as parts), and per (month, account) what the
    vouchers touching 1630 moved on the other accounts (the tax account's clearing, left out of
    what a period booked)."""
    by_voucher: dict[int, list] = {}
    for line in voucher_lines_touching(fiscal_year, TAX_ACCOUNT):
        by_voucher.setdefault(line.voucher_id, []).append(line)
    rows: list[LedgerRow] = []
    clearing: dict[tuple[date, str], Decimal] = {}
    for lines in by_voucher.values():
        own = [line for line in lines if line.account == TAX_ACCOUNT]
        others = [line for line in lines if line.account != TAX_ACCOUNT]
        for line in others:
            key = (line.date.replace(day=1), line.account)
            clearing[key] = clearing.get(key, ZERO) + line.amount
        if lines[0].date > until:
            continue
        pieces = tuple(-line.amount for line in others) if len(own) == 1 else ()
        rows.extend(LedgerRow(line.date, line.voucher, line.amount, pieces) for line in own)
    return rows, clearing


def _tax_rows(company: Company, until: date) -> tuple[list[TaxRow], Decimal, date | None]:
    """The booked tax-account rows up to `until`; the balance before the first of them; the date of
    the latest fetch (None: never fetched).

    The authority serves a limited history (about 555 days), so the balance before the first
    stored row is the fetched balance less every stored row, not zero.
    """
    rows = [
        TaxRow(t.booked, t.text, t.amount)
        for t in taxes.tax_account_transactions(company, start=EARLIEST, end=until)
        if not t.upcoming
    ]
    snapshot = taxes.tax_account_snapshot(company)
    if snapshot is None:
        return rows, ZERO, None
    fetched = timezone.localdate(snapshot.fetched_at)
    before = snapshot.balance - sum((r.amount for r in rows if r.booked <= fetched), ZERO)
    return rows, before, fetched


def tax_account_analysis(
    company: Company, fiscal_year: FiscalYear, *, today: date | None = None
) -> TaxAccountAnalysis:
    """The tax account against the books for one fiscal year, up to what the tax account knows."""
    today = today or timezone.localdate()
    tax_rows, before, fetched = _tax_rows(company, today)
    until = min(fiscal_year.end, fetched or today, today)
    profile = effective_profile(company, (r.text for r in tax_rows))
    if fetched is None and not tax_rows:  # nothing fetched yet: nothing to compare
        return TaxAccountAnalysis(fiscal_year, until, False, [], Reconciliation(), [], [], [], profile)
    figures = year_figures(fiscal_year)
    ledger_rows, clearing = _ledger_rows(fiscal_year, until)
    # The tax account answers a limited history (a sync reads some 460 days back): nothing
    # before its first stored row is compared.
    covered = min((r.booked for r in tax_rows), default=fiscal_year.start)

    in_year = [r for r in tax_rows if fiscal_year.start <= r.booked <= until]
    tax_opening = before + sum((r.amount for r in tax_rows if r.booked < fiscal_year.start), ZERO)
    months = [date(p // 100, p % 100, 1) for p in periods_of(fiscal_year)]
    balances = [
        b
        for b in month_balances(
            months,
            tax_opening=tax_opening,
            tax_rows=in_year,
            ledger_opening=figures.opening.get(TAX_ACCOUNT, ZERO),
            ledger_rows=ledger_rows,
            until=until,
        )
        if b.on >= covered
    ]
    reconciliation = match_rows(in_year, ledger_rows)
    reconciliation.unmatched_ledger = [r for r in reconciliation.unmatched_ledger if r.date >= covered]

    years = range(fiscal_year.start.year, until.year + 1)
    due_dates = [
        d.date
        for year in years
        for d in deadlines.tax_account_due_dates(year)
        if fiscal_year.start <= d.date <= fiscal_year.end and d.date >= covered
    ]
    late = late_payments(
        due_dates, opening=before, rows=tax_rows, until=today if fetched is None else fetched
    )
    reached = today if fetched is None else fetched
    calendar = due_date_balances(
        [d for d in due_dates if d <= reached], opening=before, rows=tax_rows, late=late
    )

    # Per period: what the books hold (the month's movement on the kind's accounts, the tax
    # account's clearing left out), what the tax account debited, what was declared.
    booked: dict[tuple[date, str], Decimal] = {}
    for kind, accounts in BOOKED_ON.items():
        for month in months:
            period = int(f"{month:%Y%m}")
            amount = sum(
                (figures.movement(a, [period]) - clearing.get((month, a), ZERO) for a in accounts), ZERO
            )
            if amount:
                booked[(month, kind)] = amount
    on_account = tax_account_by_period(tax_rows)
    declared: dict[tuple[date, str], Decimal | None] = {}
    for d in taxes.employer_declarations(company, start=fiscal_year.start, end=fiscal_year.end):
        declared[(d.period, "arbetsgivaravgift")] = -d.employer_contributions
        declared[(d.period, "avdragen_skatt")] = -d.deducted_tax
    # Declarations are fetched for the months the sync reaches: an earlier one is unknown, not zero.
    declared_from = min((period for period, _kind in declared), default=None)
    known = fetched or today

    def month_after(period: date) -> date:
        return (period.replace(day=28) + timedelta(days=4)).replace(day=1)

    def payroll_due(period: date, kind: str) -> bool:
        """Due by the day the data reaches, and debited within the tax account's history."""
        if (period, kind) in on_account:
            return True
        return covered <= deadlines.employer_payment_due(period, large=profile.large) <= known

    keys = {
        key
        for key in (*booked, *on_account, *declared)
        if key[1] != "moms" and fiscal_year.start <= key[0] <= fiscal_year.end and payroll_due(*key)
    }
    for key in keys:
        # Not fetched (before the sync's first month), or not yet due to be declared (a large
        # company declares on the 26th what it paid on the 12th): not compared.
        if (
            declared_from is None
            or key[0] < declared_from
            or deadlines.employer_declaration_due(key[0], large=profile.large) > known
        ):
            declared[key] = None

    # VAT per the company's VAT period: the months' bookings on 2650 summed over each period,
    # against the tax account's "Moms <period>" debit, once the period is due.
    vat_keys = []
    for first, last in vat_periods(fiscal_year.start, fiscal_year.end, profile.vat_period):
        key = (first, "moms")
        booked[key] = sum((booked.pop((m, "moms"), ZERO) for m in month_span(first, last)), ZERO)
        if profile.vat_period == "annual":
            due = deadlines.vat_due_annual(
                fiscal_year.end, with_income_return=profile.annual_vat_with_income_return
            )
        else:
            due = deadlines.vat_due(first, month_after(last) - timedelta(days=1), large=profile.large)
        if key in on_account or (booked[key] and covered <= due <= known):
            vat_keys.append(key)
    agi = period_differences(keys, declared=declared, tax_account=on_account, booked=booked)
    last_months = dict(vat_periods(fiscal_year.start, fiscal_year.end, profile.vat_period))
    vat = [
        replace(d, last_month=last_months[d.period]) if last_months.get(d.period, d.period) != d.period else d
        for d in period_differences(vat_keys, declared=None, tax_account=on_account, booked=booked)
    ]
    return TaxAccountAnalysis(
        fiscal_year=fiscal_year,
        until=until,
        has_tax_account=fetched is not None or bool(tax_rows),
        months=balances,
        reconciliation=reconciliation,
        late_payments=late,
        agi_differences=agi,
        vat_differences=vat,
        profile=profile,
        due_dates=calendar,
    )


def as_json(analysis: TaxAccountAnalysis) -> dict[str, list[dict[str, str | None]]]:
    """The shape `ledgerport analysis taxaccount --json` prints: amounts as decimal strings."""

    def money(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:.2f}"

    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "months": [
            {
                "month": f"{m.month:%Y-%m}",
                "tax_account_balance": money(m.tax_account),
                "ledger_1630_balance": money(m.ledger),
                "difference": money(m.difference),
            }
            for m in analysis.months
        ],
        "unmatched_tax_account": [
            {"date": day(r.booked), "text": r.text, "amount": money(r.amount)} for r in analysis.unmatched_tax
        ],
        "unmatched_ledger": [
            {"date": day(r.date), "voucher": r.voucher, "amount": money(r.amount)}
            for r in analysis.unmatched_ledger
        ],
        "late_payments": [
            {"due_date": day(p.due_date), "amount_due": money(p.amount_due), "paid_date": day(p.paid_date)}
            for p in analysis.late_payments
        ],
        "agi_differences": [
            {
                "period": f"{d.period:%Y-%m}",
                "kind": d.kind,
                "declared": money(d.declared),
                "tax_account": money(d.tax_account),
                "booked": money(d.booked),
            }
            for d in analysis.agi_differences
        ],
    }
