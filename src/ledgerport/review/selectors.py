"""The review queue: a fiscal year's vouchers that have documents, filtered, in date order.

A card is found by keyset, never by OFFSET: `?after=` names the voucher before it (the
address "next" and marking lead to), `?before=` the voucher after it ("previous"). A key is
the queue's order, (date, series, number, id), so reading the 4,000th card costs what the
first does; where the card stands and how many are done is one counting query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL

from ledgerport.documents.models import VoucherDocument
from ledgerport.ledger.models import FiscalYear, RowKind, Voucher, VoucherRow
from ledgerport.ledger.selectors import ledger_version
from ledgerport.tenancy.models import Company
from ledgerport.web.fragments import cached_value
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


@dataclass(frozen=True)
class CardKey:
    """A voucher's place in the queue: (date, series, number, id)."""

    date: date
    series: str
    number: str
    id: int

    def token(self) -> str:
        """`2024-03-05.A.17.4711`: each part percent-escaped, dots too, so the dots split it."""
        parts = [self.date.isoformat(), self.series, self.number, str(self.id)]
        return ".".join(quote(part, safe="").replace(".", "%2E") for part in parts)

    @classmethod
    def parse(cls, token: str | None) -> CardKey | None:
        """None for anything malformed (then: the first card)."""
        if not token:
            return None
        try:
            day, series, number, pk = (unquote(part) for part in token.split("."))
            return cls(date.fromisoformat(day), series, number, int(pk))
        except ValueError:
            return None

    @classmethod
    def of(cls, voucher: Voucher) -> CardKey:
        return cls(voucher.date, voucher.series, voucher.number, voucher.pk)

    def before_q(self) -> Q:
        """Vouchers strictly before this key in the queue's order."""
        return Q(date__lt=self.date) | Q(date=self.date) & (
            Q(series__lt=self.series)
            | Q(series=self.series) & (Q(number__lt=self.number) | Q(number=self.number, id__lt=self.id))
        )

    def after_q(self) -> Q:
        """Vouchers strictly after this key in the queue's order."""
        return Q(date__gt=self.date) | Q(date=self.date) & (
            Q(series__gt=self.series)
            | Q(series=self.series) & (Q(number__gt=self.number) | Q(number=self.number, id__gt=self.id))
        )


ORDER = ("date", "series", "number", "id")
REVERSED = tuple(f"-{field}" for field in ORDER)


def review_years(*, company: Company) -> QuerySet[FiscalYear]:
    """The company's fiscal years that have documents to review, newest first."""
    # EXISTS stops at a year's first link; a join with DISTINCT read every link of every year.
    has_links = VoucherDocument.objects.filter(fiscal_year=OuterRef("pk"))
    return FiscalYear.objects.filter(company=company).filter(Exists(has_links)).order_by("-start")


def review_latest_year(*, company: Company) -> FiscalYear | None:
    return review_years(company=company).first()


def review_rows(voucher: Voucher) -> QuerySet[VoucherRow]:
    """The card's rows: the voucher's transactions in file order, with their accounts."""
    return voucher.rows.filter(kind=RowKind.TRANS).select_related("account").order_by("position")


def review_queue(fiscal_year: FiscalYear, filters: Filters) -> QuerySet[Voucher]:
    """Vouchers with at least one document, in the queue's order."""
    has_document = VoucherDocument.objects.filter(
        fiscal_year=fiscal_year, series=OuterRef("series"), number=OuterRef("number")
    )
    return _filtered(fiscal_year, filters).filter(Exists(has_document))


def _filtered(fiscal_year: FiscalYear, filters: Filters) -> QuerySet[Voucher]:
    """The year's vouchers the filters let through, in the queue's order (documents or not);
    the debit total is computed only when an amount filter asks for it."""
    vouchers = Voucher.objects.filter(fiscal_year=fiscal_year).order_by(*ORDER)
    if filters.min_amount is not None or filters.max_amount is not None:
        debit = (
            VoucherRow.objects.filter(voucher=OuterRef("pk"), kind=RowKind.TRANS, amount__gt=0)
            .values("voucher")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        with_amount = vouchers.annotate(amount=Subquery(debit))
        if filters.min_amount is not None:
            with_amount = with_amount.filter(amount__gte=filters.min_amount)
        if filters.max_amount is not None:
            with_amount = with_amount.filter(amount__lte=filters.max_amount)
        vouchers = with_amount
    if filters.series:
        vouchers = vouchers.filter(series=filters.series)
    if filters.account:
        vouchers = vouchers.filter(
            Exists(VoucherRow.objects.filter(voucher=OuterRef("pk"), account__number=filters.account))
        )
    if filters.supplier:
        vouchers = vouchers.filter(Q(text__icontains=filters.supplier))
    return vouchers


def review_of(fiscal_year: FiscalYear, user: Any, voucher: Voucher) -> VoucherReview | None:
    """This user's verdict on the voucher (by its natural key, so it survives a re-import)."""
    return VoucherReview.objects.filter(
        fiscal_year=fiscal_year, user=user, series=voucher.series, number=voucher.number
    ).first()


def _queue_keys(fiscal_year: FiscalYear, filters: Filters) -> tuple[list[int], list[str]]:
    """The queue's vouchers in its order: their ids, and their series and number joined by a
    NUL (a verdict's key; no stored text holds a NUL).

    Counting them is the card's costliest query (thousands of index lookups), and every swipe
    asks it, so the list is cached per version of what it is made of: the year's vouchers
    (its import stamp) and its document links, which are only ever added or deleted (so their
    number and highest id change with every change), and the filters."""
    links = VoucherDocument.objects.filter(fiscal_year=fiscal_year).aggregate(
        count=Count("id"), last=Max("id")
    )
    version = (fiscal_year.pk, ledger_version(fiscal_year), links["count"], links["last"], repr(filters))

    def compute() -> tuple[list[int], list[str]]:
        rows = _queue_rows(fiscal_year, filters)
        return [pk for pk, _, _ in rows], [f"{series}\x00{number}" for _, series, number in rows]

    return cached_value("review-queue", version, compute)


def _queue_rows(fiscal_year: FiscalYear, filters: Filters) -> list[tuple[int, str, str]]:
    """(id, series, number) of the queue's vouchers in its order, from the database."""
    if connection.vendor != "postgresql":
        return list(review_queue(fiscal_year, filters).values_list("id", "series", "number"))
    inner, inner_params = _one_key(fiscal_year, filters)
    sql = f"""
        SELECT v.id, v.series, v.number
        FROM (SELECT DISTINCT series, number FROM {VoucherDocument._meta.db_table} WHERE fiscal_year_id = %s) d
        CROSS JOIN LATERAL ({inner}) v
        ORDER BY v.date, v.series, v.number, v.id
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [fiscal_year.pk, *inner_params])
        return [(pk, series, number) for pk, series, number in cursor.fetchall()]


def _counts(fiscal_year: FiscalYear, filters: Filters, user: Any, voucher: Voucher | None) -> dict[str, int]:
    """How many vouchers the queue has, how many come before `voucher`, how many this user
    marked: from the cached queue (_queue_keys) and this user's verdicts."""
    ids, keys = _queue_keys(fiscal_year, filters)
    before = 0
    if voucher is not None:
        try:
            before = ids.index(voucher.pk)
        except ValueError:  # the queue changed between reading the card and its version
            return _counts_queried(fiscal_year, filters, user, CardKey.of(voucher))
    marked = {
        f"{series}\x00{number}"
        for series, number in VoucherReview.objects.filter(fiscal_year=fiscal_year, user=user).values_list(
            "series", "number"
        )
    }
    done = sum(1 for key in keys if key in marked) if marked else 0
    return {"total": len(ids), "before": before, "done": done}


def _counts_queried(
    fiscal_year: FiscalYear, filters: Filters, user: Any, key: CardKey | None
) -> dict[str, int]:
    """The same counts, by one query."""
    if connection.vendor == "postgresql":
        return _counts_from_links(fiscal_year, filters, user, key)
    queue = review_queue(fiscal_year, filters)
    reviewed = VoucherReview.objects.filter(
        fiscal_year=fiscal_year, user=user, series=OuterRef("series"), number=OuterRef("number")
    )
    earlier = key.before_q() if key is not None else Q(pk__in=[])
    counts = queue.order_by().aggregate(
        total=Count("pk"), before=Count("pk", filter=earlier), done=Count("pk", filter=Exists(reviewed))
    )
    return {name: value or 0 for name, value in counts.items()}


def _one_key(fiscal_year: FiscalYear, filters: Filters) -> tuple[str, tuple[Any, ...]]:
    """The queue's vouchers with the series and number of link `d` (for a LATERAL join)."""
    # The queue's own EXISTS stays in: without it PostgreSQL flattens the LATERAL into a plain
    # join, misjudges how many keys match and goes back to scanning the year's vouchers.
    one_key = (
        review_queue(fiscal_year, filters)
        .order_by()
        .filter(series=RawSQL("d.series", ()), number=RawSQL("d.number", ()))
    )
    return one_key.values("id", "date", "series", "number").query.sql_with_params()


def _counts_from_links(
    fiscal_year: FiscalYear, filters: Filters, user: Any, key: CardKey | None
) -> dict[str, int]:
    """The same counts, driven from the year's document links (a few thousand) into the
    vouchers' (year, series, number) index with LATERAL. As a semi-join the planner often
    chose to scan all the year's vouchers instead (4x slower at 250,000 vouchers)."""
    inner, inner_params = _one_key(fiscal_year, filters)
    before, before_params = "FALSE", list[object]()
    if key is not None:
        before = "(v.date, v.series, v.number, v.id) < (%s, %s, %s, %s)"
        before_params = [key.date, key.series, key.number, key.id]
    sql = f"""
        SELECT COUNT(*), COUNT(*) FILTER (WHERE {before}),
               COUNT(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM {VoucherReview._meta.db_table} r
                   WHERE r.fiscal_year_id = %s AND r.user_id = %s AND r.series = v.series AND r.number = v.number))
        FROM (SELECT DISTINCT series, number FROM {VoucherDocument._meta.db_table} WHERE fiscal_year_id = %s) d
        CROSS JOIN LATERAL ({inner}) v
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        params: list[Any] = [*before_params, fiscal_year.pk, user.pk, fiscal_year.pk, *inner_params]
        cursor.execute(sql, params)
        total, earlier, done = cursor.fetchone()
    return {"total": total, "before": earlier, "done": done}


@dataclass(frozen=True)
class Card:
    voucher: Voucher | None
    following: Voucher | None  # the next card's voucher (its document is prefetched)
    position: int  # 1-based; 0 when the queue is empty
    total: int
    done: int  # reviewed or flagged by this user, within the filtered queue
    previous: str  # `?before=` token for "previous", "" on the first card
    next: str  # `?after=` token for "next", "" on the last


def review_card(
    fiscal_year: FiscalYear,
    filters: Filters,
    user: Any,
    *,
    after: str | None = None,
    before: str | None = None,
    at: str | None = None,
) -> Card:
    """The card after the voucher `after`, before `before` or at `at` (else the first), and
    where it stands. Past either end (a stale address, the last card marked) it stays on the
    nearest card.
    """
    queue = review_queue(fiscal_year, filters)
    window: list[Voucher] = []
    if (key := CardKey.parse(at)) is not None:
        window = list(queue.filter(~key.before_q())[:2])
        if not window:
            window = list(queue.order_by(*REVERSED)[:1])
    elif (key := CardKey.parse(before)) is not None:
        window = list(queue.filter(key.before_q()).order_by(*REVERSED)[:1])
        if not window:  # nothing before it: the first card
            window = list(queue[:2])
    elif (key := CardKey.parse(after)) is not None:
        window = list(queue.filter(key.after_q())[:2])
        if not window:  # nothing after it: the last card
            window = list(queue.order_by(*REVERSED)[:1])
    else:
        window = list(queue[:2])
    voucher = window[0] if window else None
    following = window[1] if len(window) > 1 else None
    if voucher is not None and following is None:
        following = queue.filter(CardKey.of(voucher).after_q()).first()
    counts = _counts(fiscal_year, filters, user, voucher)
    total = counts["total"]
    position = counts["before"] + 1 if voucher is not None else 0
    return Card(
        voucher=voucher,
        following=following,
        position=position,
        total=total,
        done=counts["done"],
        previous=CardKey.of(voucher).token() if voucher is not None and position > 1 else "",
        next=CardKey.of(voucher).token() if voucher is not None and following is not None else "",
    )
