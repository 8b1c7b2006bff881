"""One page of an account's rows, found by keyset (the row it follows or precedes), never OFFSET.

Rows are in (month, voucher date, voucher, position) order: the same order as by date, and
the month leads so PostgreSQL reads the (fiscal year, account, month) index in order and
sorts only within the months a page touches. A page's address names a row (`?after=` the
last row of the page before, `?before=` the first of the page after), so reading page 30
costs what reading page 1 does. The running balance starts from what precedes the page: the
months before it from the per-month sums (PeriodSum), then the rows of its first month before
it; pages stay aligned on multiples of the page size from the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from .models import Account, PeriodSum, RowKind, VoucherRow
from .selectors import account_opening, money

PAGE_SIZE = 500


@dataclass(frozen=True)
class RowKey:
    """Where a row sits in the account's order: its voucher's date, the voucher, its position."""

    date: date
    voucher_id: int
    position: int

    @property
    def period(self) -> int:
        return self.date.year * 100 + self.date.month

    def token(self) -> str:
        return f"{self.date.isoformat()}.{self.voucher_id}.{self.position}"

    @classmethod
    def parse(cls, token: str | None) -> RowKey | None:
        """The key of `?after=`/`?before=`; None for anything malformed (then: the first page)."""
        if not token:
            return None
        try:
            day, voucher_id, position = token.split(".")
            return cls(date.fromisoformat(day), int(voucher_id), int(position))
        except ValueError:
            return None

    @classmethod
    def of(cls, row: VoucherRow | PageRow) -> RowKey:
        return cls(row.voucher.date, row.voucher_id, row.position)

    def before_q(self) -> Q:
        """Rows strictly before this key."""
        return Q(period__lt=self.period) | Q(period=self.period) & (
            Q(voucher__date__lt=self.date)
            | Q(voucher__date=self.date)
            & (Q(voucher_id__lt=self.voucher_id) | Q(voucher_id=self.voucher_id, position__lt=self.position))
        )

    def after_q(self) -> Q:
        """Rows strictly after this key."""
        return Q(period__gt=self.period) | Q(period=self.period) & (
            Q(voucher__date__gt=self.date)
            | Q(voucher__date=self.date)
            & (Q(voucher_id__gt=self.voucher_id) | Q(voucher_id=self.voucher_id, position__gt=self.position))
        )


@dataclass(frozen=True, slots=True)
class PageVoucher:
    """What a page shows of a row's voucher."""

    id: int
    series: str
    number: str
    date: date
    text: str

    def __str__(self) -> str:  # as Voucher's
        return f"{self.series} {self.number}".strip() or str(self.id)


@dataclass(frozen=True, slots=True)
class PageRow:
    """One row of a page, read as plain values: 500 model instances (row and voucher each)
    cost more CPU than the query and the markup together."""

    voucher_id: int
    position: int
    amount: Decimal
    text: str
    voucher: PageVoucher


ORDER = ("period", "voucher__date", "voucher_id", "position")
SHOWN = (
    "voucher_id",
    "position",
    "amount",
    "text",
    "voucher__series",
    "voucher__number",
    "voucher__date",
    "voucher__text",
)


def _page_rows(rows: QuerySet[VoucherRow]) -> list[PageRow]:
    return [
        PageRow(
            voucher_id, position, amount, text, PageVoucher(voucher_id, series, number, day, voucher_text)
        )
        for voucher_id, position, amount, text, series, number, day, voucher_text in rows.values_list(*SHOWN)
    ]


REVERSED = tuple(f"-{field}" for field in ORDER)


@dataclass(frozen=True)
class AccountPage:
    rows: list[tuple[PageRow, Decimal]]  # each row with the balance after it
    opening: Decimal  # the year's opening balance
    closing: Decimal  # the year's closing balance
    number: int
    pages: int
    previous: str  # `?before=` token of the previous page, "" on the first
    next: str  # `?after=` token of the next page, "" on the last

    @property
    def is_first(self) -> bool:
        return not self.previous

    @property
    def is_last(self) -> bool:
        return not self.next


def _rows(account: Account) -> QuerySet[VoucherRow]:
    return VoucherRow.objects.filter(
        fiscal_year_id=account.fiscal_year_id, account_id=account.pk, kind=RowKind.TRANS
    )


def _month_totals(account: Account, period: int) -> tuple[int, Decimal, int, Decimal]:
    """(rows, movement) of the whole year and of the months before `period`, from the sums per
    account × month the import keeps (PeriodSum): twelve lines, not the account's rows."""
    earlier = Q(period__lt=period)
    movement = F("debit") + F("credit")
    totals = PeriodSum.objects.filter(
        fiscal_year_id=account.fiscal_year_id, account_id=account.pk, dimension="", object=""
    ).aggregate(
        count=Sum("row_count"),
        movement=Sum(movement),
        before_count=Sum("row_count", filter=earlier),
        before_sum=Sum(movement, filter=earlier),
    )
    return (
        totals["count"] or 0,
        money(totals["movement"]),
        totals["before_count"] or 0,
        money(totals["before_sum"]),
    )


def account_page(
    account: Account, *, after: str | None = None, before: str | None = None, size: int = PAGE_SIZE
) -> AccountPage:
    """The page after the row `after`, or before the row `before`, else the first page."""
    rows = _rows(account)
    if (key := RowKey.parse(before)) is not None:
        found = _page_rows(rows.filter(key.before_q()).order_by(*REVERSED)[:size])[::-1]
        if not found:  # nothing before (a stale address): the first page
            found = _page_rows(rows.order_by(*ORDER)[:size])
    elif (key := RowKey.parse(after)) is not None:
        found = _page_rows(rows.filter(key.after_q()).order_by(*ORDER)[:size])
        if not found:  # nothing after: the last page's rows end here, show the first page
            found = _page_rows(rows.order_by(*ORDER)[:size])
    else:
        found = _page_rows(rows.order_by(*ORDER)[:size])
    first = RowKey.of(found[0]) if found else None
    count, movement, before_count, before_sum = _month_totals(account, first.period if first else 0)
    if first is not None and key is not None:  # the rows of the page's first month before it
        earlier = (
            _rows(account)
            .filter(period=first.period)
            .filter(first.before_q())
            .aggregate(count=Count("position"), total=Sum("amount"))
        )
        before_count += earlier["count"] or 0
        before_sum += money(earlier["total"])
    opening = account_opening(account)
    balance = opening + before_sum
    with_balance = []
    for row in found:
        balance += row.amount
        with_balance.append((row, balance))
    total = count
    return AccountPage(
        rows=with_balance,
        opening=opening,
        closing=opening + movement,
        number=before_count // size + 1,
        pages=max(1, -(-total // size)),
        previous=RowKey.of(found[0]).token() if found and before_count else "",
        next=RowKey.of(found[-1]).token() if found and before_count + len(found) < total else "",
    )
