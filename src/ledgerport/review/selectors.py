"""The review queue: a fiscal year's vouchers that have documents, filtered, in date order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum

from ledgerport.documents.models import VoucherDocument
from ledgerport.ledger.models import FiscalYear, RowKind, Voucher, VoucherRow
from ledgerport.tenancy.models import Company
from ledgerport.web.params import decimal_param

from .models import VoucherReview


@dataclass(frozen=True)
class Filters:
    account: str = ""
    series: str = ""
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    supplier: str = ""

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        return cls(
            account=(query.get("account") or "").strip(),
            series=(query.get("series") or "").strip(),
            min_amount=decimal_param(query, "min_amount"),
            max_amount=decimal_param(query, "max_amount"),
            supplier=(query.get("supplier") or "").strip(),
        )

    def as_query(self) -> dict[str, str]:
        values = {
            "account": self.account,
            "series": self.series,
            "min_amount": "" if self.min_amount is None else str(self.min_amount),
            "max_amount": "" if self.max_amount is None else str(self.max_amount),
            "supplier": self.supplier,
        }
        return {key: value for key, value in values.items() if value}


def review_years(*, company: Company) -> QuerySet[FiscalYear]:
    """The company's fiscal years that have documents to review, newest first."""
    return (
        FiscalYear.objects.filter(company=company, document_links__isnull=False).distinct().order_by("-start")
    )


def review_latest_year(*, company: Company) -> FiscalYear | None:
    return review_years(company=company).first()


def review_window(queue: QuerySet[Voucher], index: int) -> tuple[Voucher | None, Voucher | None]:
    """The voucher at `index` in the queue and the one after it (prefetched for the next swipe)."""
    window = list(queue[index : index + 2])
    return (window[0] if window else None), (window[1] if len(window) > 1 else None)


def review_rows(voucher: Voucher) -> QuerySet[VoucherRow]:
    """The card's rows: the voucher's transactions in file order, with their accounts."""
    return voucher.rows.filter(kind=RowKind.TRANS).select_related("account").order_by("position")


def review_queue(fiscal_year: FiscalYear, filters: Filters) -> QuerySet[Voucher]:
    """Vouchers with at least one document; `amount` is the voucher's total debit."""
    has_document = VoucherDocument.objects.filter(
        fiscal_year=fiscal_year, series=OuterRef("series"), number=OuterRef("number")
    )
    debit = (
        VoucherRow.objects.filter(voucher=OuterRef("pk"), kind=RowKind.TRANS, amount__gt=0)
        .values("voucher")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    vouchers = (
        Voucher.objects.filter(fiscal_year=fiscal_year)
        .filter(Exists(has_document))
        .annotate(amount=Subquery(debit))
        .order_by("date", "series", "number", "id")
    )
    if filters.series:
        vouchers = vouchers.filter(series=filters.series)
    if filters.account:
        vouchers = vouchers.filter(
            Exists(VoucherRow.objects.filter(voucher=OuterRef("pk"), account__number=filters.account))
        )
    if filters.min_amount is not None:
        vouchers = vouchers.filter(amount__gte=filters.min_amount)
    if filters.max_amount is not None:
        vouchers = vouchers.filter(amount__lte=filters.max_amount)
    if filters.supplier:
        vouchers = vouchers.filter(Q(text__icontains=filters.supplier))
    return vouchers


def reviews_by_key(fiscal_year: FiscalYear, user: Any) -> dict[tuple[str, str], VoucherReview]:
    return {(r.series, r.number): r for r in VoucherReview.objects.filter(fiscal_year=fiscal_year, user=user)}


def review_progress(queue: QuerySet[Voucher], fiscal_year: FiscalYear, user: Any) -> tuple[int, int]:
    """(reviewed or flagged by this user, total) within the filtered queue."""
    done = queue.filter(
        Exists(
            VoucherReview.objects.filter(
                fiscal_year=fiscal_year, user=user, series=OuterRef("series"), number=OuterRef("number")
            )
        )
    ).count()
    return done, queue.count()
