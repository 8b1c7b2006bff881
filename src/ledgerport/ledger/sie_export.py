"""A fiscal year out again as a SIE 4 file (the ledger and the previous year's balances).

Streams from the database (vouchers and rows in chunks) into a spooled temporary file,
so a large ledger does not have to fit in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from itertools import groupby
from typing import IO

from django.utils import timezone

from ledgerport import sie

from . import selectors
from .models import Balance, BalanceKind, Dimension, FiscalYear, LedgerObject, RowKind, Voucher, VoucherRow

SPOOL = 8 * 1024 * 1024


def _spooled() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL)


def _balances(year: FiscalYear, index: int) -> list[sie.Balance]:
    """Stored #IB/#OIB/#OUB/#PSALDO/#PBUDGET; #UB/#RES from the ledger when it has vouchers."""
    figures = selectors.year_figures(year)
    stored = (
        Balance.objects.filter(fiscal_year=year)
        .select_related("account")
        .order_by("kind", "account__number", "id")
    )
    out = []
    computed = figures.from_vouchers
    for balance in stored:
        if computed and balance.kind in (BalanceKind.CLOSING, BalanceKind.RESULT):
            continue
        out.append(
            sie.Balance(
                balance.kind,  # type: ignore[arg-type]
                index,
                balance.account.number,
                selectors.money(balance.amount),
                balance.quantity,
                tuple((str(d), str(o)) for d, o in balance.object_refs),
                str(balance.period) if balance.period else None,
            )
        )
    if computed:
        for number in sorted(figures.numbers()):
            closing = figures.closing(number)
            if not closing:
                continue
            kind = (
                "UB"
                if figures.is_balance_sheet(number)
                or (figures.is_balance_sheet(number) is None and number[:1] in "12")
                else "RES"
            )
            out.append(sie.Balance(kind, index, number, closing))  # type: ignore[arg-type]
    return out


def _vouchers(year: FiscalYear) -> Iterator[sie.Voucher]:
    rows = (
        VoucherRow.objects.filter(fiscal_year=year)
        .order_by("voucher_id", "position")
        .values_list(
            "voucher_id",
            "kind",
            "account__number",
            "object_refs",
            "amount",
            "transaction_date",
            "text",
            "quantity",
            "signature",
        )
        .iterator(chunk_size=10000)
    )
    by_voucher = groupby(rows, key=lambda r: r[0])
    pending = next(by_voucher, None)
    for voucher in Voucher.objects.filter(fiscal_year=year).order_by("id").iterator(chunk_size=5000):
        out = sie.Voucher(
            voucher.series, voucher.number, voucher.date, voucher.text, voucher.registered, voucher.signature
        )
        if pending is not None and pending[0] == voucher.pk:
            for _vid, kind, account, refs, amount, day, text, quantity, sign in pending[1]:
                row = sie.Row(
                    account,
                    tuple((str(d), str(o)) for d, o in refs or ()),
                    selectors.money(amount),
                    day,
                    text,
                    quantity.normalize() if quantity is not None else None,
                    sign,
                )
                if kind == RowKind.TRANS:
                    out.rows.append(row)
                else:
                    change = "added" if kind == RowKind.ADDED else "removed"
                    out.changes.append(sie.RowChange(change, row, len(out.rows)))  # type: ignore[arg-type]
            pending = next(by_voucher, None)
        yield out


def sie4(fiscal_year: FiscalYear) -> IO[bytes]:
    """The year (and the previous year's balances) as a SIE 4E file."""
    company = fiscal_year.company
    previous = selectors.previous_year(fiscal_year)
    if previous is not None and not previous.source:
        previous = None
    header = sie.SieHeader(
        flag=0,
        program=sie.Program("Ledgerport", "1"),
        generated=timezone.localdate(),
        declared_type="4",
        orgnr=company.orgnr_display,
        company_name=company.name,
        currency="SEK",
    )
    header.fiscal_years[0] = sie.FiscalYear(0, fiscal_year.start, fiscal_year.end)
    if previous is not None:
        header.fiscal_years[-1] = sie.FiscalYear(-1, previous.start, previous.end)
    for account in fiscal_year.accounts.order_by("number"):
        header.accounts[account.number] = sie.Account(
            account.number, account.name, account.type, account.unit or None, list(account.sru)
        )
    for dimension in (
        Dimension.objects.filter(fiscal_year=fiscal_year).select_related("parent").order_by("number")
    ):
        header.dimensions[dimension.number] = sie.Dimension(
            dimension.number, dimension.name, dimension.parent.number if dimension.parent else None
        )
    for obj in LedgerObject.objects.filter(fiscal_year=fiscal_year).select_related("dimension"):
        header.objects[(obj.dimension.number, obj.number)] = sie.SieObject(
            obj.dimension.number, obj.number, obj.name
        )
    header.balances = _balances(fiscal_year, 0) + (_balances(previous, -1) if previous is not None else [])
    for balance in header.balances:
        if balance.account not in header.accounts:  # a previous year's account no longer in the chart
            header.accounts[balance.account] = sie.Account(balance.account, "")
    stream = _spooled()
    writer = sie.SieWriter(stream)
    writer.write_header(header, has_vouchers=fiscal_year.has_vouchers)
    for voucher in _vouchers(fiscal_year):
        writer.write_voucher(voucher)
    writer.finish()
    stream.seek(0)
    return stream
