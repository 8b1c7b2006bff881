"""Reads for the ledger. Each takes a company already scoped by `company_view` (or the user).

Statements never read rows: `year_figures`, the general ledger and an account's balance read
the sums per (account, month) the import wrote (PeriodSum), a few thousand lines whatever the
ledger's size, and everything after that works on those few numbers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Sum, Window
from django.http import Http404

from ledgerport.tenancy.models import Company

from .models import (
    Account,
    Balance,
    BalanceKind,
    FiscalYear,
    LedgerImport,
    PeriodSum,
    RowKind,
    Voucher,
    VoucherRow,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")


def money(value: Decimal | None) -> Decimal:
    """A database sum as exact money (SQLite sums NUMERIC as floating point)."""
    return ZERO if value is None else Decimal(value).quantize(CENT)


def _one(queryset: QuerySet[Any], pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def fiscal_year_list(*, company: Company) -> QuerySet[FiscalYear]:
    return FiscalYear.objects.filter(company=company).order_by("-start")


def fiscal_year_list_loaded(*, company: Company) -> QuerySet[FiscalYear]:
    """The years that hold a ledger (uploaded or synced), newest first: the pages' year picker."""
    return fiscal_year_list(company=company).filter(source__isnull=False)


def ledger_import_years(ledger_import: LedgerImport) -> QuerySet[FiscalYear]:
    """The years an import loaded whole, newest first."""
    return FiscalYear.objects.filter(ledger_import=ledger_import, full_ledger=True).order_by("-start")


def account_get(*, company: Company, pk: int) -> Account:
    return _one(Account.objects.filter(fiscal_year__company=company).select_related("fiscal_year"), pk)


def voucher_get(*, company: Company, pk: int) -> Voucher:
    return _one(Voucher.objects.filter(fiscal_year__company=company).select_related("fiscal_year"), pk)


def voucher_by_key(*, company: Company, year: date, series: str, number: str) -> Voucher:
    """The voucher (fiscal year start, series, number); the first if a file repeated the number."""
    found = (
        Voucher.objects.filter(
            fiscal_year__company=company, fiscal_year__start=year, series=series, number=number
        )
        .select_related("fiscal_year")
        .order_by("id")
        .first()
    )
    if found is None:
        raise Http404
    return found


def voucher_rows(*, voucher: Voucher) -> QuerySet[VoucherRow]:
    return voucher.rows.select_related("account").order_by("position")


def ledger_import_get(*, company: Company, pk: int) -> LedgerImport:
    return _one(LedgerImport.objects.filter(company=company), pk)


def ledger_import_recent(*, company: Company, limit: int = 5) -> list[LedgerImport]:
    return list(LedgerImport.objects.filter(company=company).order_by("-created_at")[:limit])


def previous_year(fiscal_year: FiscalYear) -> FiscalYear | None:
    return (
        FiscalYear.objects.filter(company_id=fiscal_year.company_id, end__lt=fiscal_year.start)
        .order_by("-end")
        .first()
    )


def latest_year_with_ledger(*, company: Company) -> FiscalYear | None:
    return FiscalYear.objects.filter(company=company, source__isnull=False).order_by("-start").first()


def periods_of(fiscal_year: FiscalYear) -> list[int]:
    """The months of a fiscal year as YYYYMM, in order (broken and extended years too)."""
    periods = []
    year, month = fiscal_year.start.year, fiscal_year.start.month
    while (year, month) <= (fiscal_year.end.year, fiscal_year.end.month):
        periods.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods


@dataclass
class YearFigures:
    """A year's numbers per account (by number): opening, movement per month, declared closing.

    A year with vouchers is computed from them (opening + movements). A year known only
    from another year's file (balances only) uses its #UB/#RES, and #PSALDO per month.
    """

    fiscal_year: FiscalYear
    accounts: dict[str, Account]
    opening: dict[str, Decimal]
    movements: dict[str, dict[int, Decimal]]
    declared_closing: dict[str, Decimal]
    from_vouchers: bool
    periods: list[int] = field(default_factory=list)

    def numbers(self) -> set[str]:
        return set(self.opening) | set(self.movements) | set(self.declared_closing)

    def movement(self, number: str, periods: list[int] | None = None) -> Decimal:
        """Movement over `periods` (None: the whole year)."""
        if periods is None and not self.from_vouchers:
            # Known only from balances: a closing balance the file leaves out is zero.
            return self.declared_closing.get(number, ZERO) - self.opening.get(number, ZERO)
        by_period = self.movements.get(number)
        if not by_period:
            return ZERO
        if periods is None:
            return sum(by_period.values(), ZERO)
        return sum((by_period.get(p, ZERO) for p in periods), ZERO)

    def closing(self, number: str, through: int | None = None) -> Decimal:
        """Balance at the end of month `through` (None: the year's end)."""
        if through is None:
            return self.opening.get(number, ZERO) + self.movement(number)
        upto = [p for p in self.periods if p <= through]
        return self.opening.get(number, ZERO) + self.movement(number, upto)

    def account_name(self, number: str) -> str:
        account = self.accounts.get(number)
        return account.name if account else ""

    def is_balance_sheet(self, number: str) -> bool | None:
        account = self.accounts.get(number)
        return account.is_balance_sheet if account else None


def _account_sums(fiscal_year_id: int) -> QuerySet[PeriodSum]:
    """The year's per account × month sums (the object lines left out): read instead of rows."""
    return PeriodSum.objects.filter(fiscal_year_id=fiscal_year_id, dimension="", object="")


def year_figures(fiscal_year: FiscalYear) -> YearFigures:
    """Four queries whatever the ledger's size: accounts, opening, movements, declared closing."""
    accounts = {a.number: a for a in Account.objects.filter(fiscal_year=fiscal_year)}
    number_of = {a.pk: a.number for a in accounts.values()}
    opening: dict[str, Decimal] = {}
    declared: dict[str, Decimal] = {}
    balances = (
        Balance.objects.filter(
            fiscal_year=fiscal_year,
            kind__in=[BalanceKind.OPENING, BalanceKind.CLOSING, BalanceKind.RESULT],
        )
        .values("kind", "account_id")
        .annotate(total=Sum("amount"))
    )
    for entry in balances:
        number = number_of[entry["account_id"]]
        target = opening if entry["kind"] == BalanceKind.OPENING else declared
        target[number] = target.get(number, ZERO) + money(entry["total"])
    movements: dict[str, dict[int, Decimal]] = defaultdict(dict)
    from_vouchers = fiscal_year.has_vouchers or not declared
    if from_vouchers:
        sums = (
            _account_sums(fiscal_year.pk)
            .annotate(total=F("debit") + F("credit"))
            .values("account_id", "period", "total")
            .order_by()
        )
    else:
        sums = (
            Balance.objects.filter(fiscal_year=fiscal_year, kind=BalanceKind.PERIOD, object_refs=[])
            .values("account_id", "period")
            .annotate(total=Sum("amount"))
            .order_by()
        )
    for entry in sums:
        movements[number_of[entry["account_id"]]][entry["period"]] = money(entry["total"])
    return YearFigures(
        fiscal_year=fiscal_year,
        accounts=accounts,
        opening=opening,
        movements=dict(movements),
        declared_closing=declared,
        from_vouchers=from_vouchers,
        periods=periods_of(fiscal_year),
    )


@dataclass(frozen=True)
class AccountSummary:
    account: Account
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit + self.credit


def general_ledger_accounts(fiscal_year: FiscalYear) -> list[AccountSummary]:
    """The accounts of the year with opening, debit, credit and closing (accounts in use only)."""
    sums = {
        entry["account_id"]: entry
        for entry in _account_sums(fiscal_year.pk)
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by()
    }
    opening = {
        entry["account_id"]: money(entry["total"])
        for entry in Balance.objects.filter(fiscal_year=fiscal_year, kind=BalanceKind.OPENING)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    summaries = []
    for account in Account.objects.filter(fiscal_year=fiscal_year).order_by("number"):
        if account.pk not in sums and account.pk not in opening:
            continue
        entry = sums.get(account.pk, {})
        summaries.append(
            AccountSummary(
                account=account,
                opening=opening.get(account.pk) or ZERO,
                debit=money(entry.get("debit")),
                credit=money(entry.get("credit")),
            )
        )
    return summaries


def account_opening(account: Account) -> Decimal:
    total = Balance.objects.filter(account=account, kind=BalanceKind.OPENING, object_refs=[]).aggregate(
        total=Sum("amount")
    )["total"]
    return money(total)


def account_movement(account: Account) -> Decimal:
    totals = (
        _account_sums(account.fiscal_year_id)
        .filter(account=account)
        .aggregate(debit=Sum("debit"), credit=Sum("credit"))
    )
    return money(totals["debit"]) + money(totals["credit"])


def account_rows(account: Account) -> QuerySet[VoucherRow]:
    """The account's rows in voucher order, each with the running sum (computed by the database)."""
    order = [F("voucher__date").asc(), F("voucher_id").asc(), F("position").asc()]
    return (
        VoucherRow.objects.filter(fiscal_year_id=account.fiscal_year_id, account=account, kind=RowKind.TRANS)
        .select_related("voucher")
        .annotate(running=Window(Sum("amount"), order_by=order))
        .order_by(*order)
    )


@dataclass(frozen=True)
class VoucherLine:
    voucher_id: int
    date: date
    voucher: str  # series + number, as the general ledger shows it
    account: str
    amount: Decimal


def voucher_lines_touching(fiscal_year: FiscalYear, number: str) -> list[VoucherLine]:
    """Every transaction row of the year's vouchers that have a row on account `number`, in
    voucher order (one query; the tax checks read account 1630's vouchers with their other rows)."""
    touching = VoucherRow.objects.filter(
        fiscal_year=fiscal_year, account__number=number, kind=RowKind.TRANS
    ).values("voucher_id")
    rows = (
        VoucherRow.objects.filter(fiscal_year=fiscal_year, voucher_id__in=touching, kind=RowKind.TRANS)
        .order_by("voucher__date", "voucher_id", "position")
        .values_list(
            "voucher_id", "voucher__date", "voucher__series", "voucher__number", "account__number", "amount"
        )
    )
    return [
        VoucherLine(voucher_id, day, f"{series}{voucher_number}", account, money(amount))
        for voucher_id, day, series, voucher_number, account, amount in rows
    ]
