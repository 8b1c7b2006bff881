"""Re-importing a year that already has its ledger: write only the vouchers that changed.

A resync or a corrected file usually repeats the year with a few vouchers edited, added or
removed. Every voucher stores a fingerprint of its content (loaders.py); a re-import takes
the year's fingerprints as a pool, and the loader skips each voucher of the file whose
fingerprint is in the pool (taking it out), writes the others as new vouchers, and what is
left in the pool afterwards was removed or changed: those vouchers and their rows are
deleted. The sums get the difference (removed rows out, new rows in) instead of being
rebuilt. The accounts stay (rows and sums point at them) and are refreshed from the file's
chart; dimensions, objects and balances are small and simply rewritten.

The end state is the one a full replace gives, except for ids (unchanged vouchers keep
theirs, and so whatever points at them) and the #VER line numbers of unchanged vouchers
(the line in the file that last wrote them). Two fingerprints computed differently (the C
and the pure-Python path) never match, so a change of path costs a full rewrite, not data.

Most of a resync's vouchers are not even parsed: each voucher the C reader read whole and
clean also stores a hash of its text (raw fingerprint, sie.Voucher.raw), and the reader
skips a block whose hash maps to a content fingerprint still in the pool, taking it out
(SieReader.skip_known). The pool is the one record of claims, so a stored voucher is
matched once, by its text or by its content, whichever comes first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import psycopg
from django.db import connection

from . import period_sums
from .models import Balance, Dimension, FiscalYear, LedgerObject, RowKind, Voucher, VoucherRow

if TYPE_CHECKING:
    from .loaders import BaseLoader

CHUNK = 5000  # ids per IN list (SQLite allows 32,766 variables)


class Pool:
    """The fingerprints of a year's stored vouchers, each taken at most as often as it is stored."""

    def __init__(self, fingerprints: Sequence[int], ids: Sequence[int]) -> None:
        self.ids: dict[int, int] = dict(zip(fingerprints, ids, strict=True))
        # raw fingerprint -> content fingerprint, for the reader (SieReader.skip_known)
        self.known: dict[int, int] = {}
        self.more: dict[int, list[int]] = {}  # the same content stored more than once
        if len(self.ids) == len(ids):
            return  # the usual case, built in C
        self.ids = {}
        for fingerprint, voucher_id in zip(fingerprints, ids, strict=True):
            if fingerprint in self.ids:
                self.more.setdefault(fingerprint, []).append(voucher_id)
            else:
                self.ids[fingerprint] = voucher_id

    def take(self, fingerprint: int) -> bool:
        """True (and one fewer left) when a stored voucher has this content."""
        if self.ids.pop(fingerprint, None) is None:
            return False
        extra = self.more.get(fingerprint)
        if extra:
            self.ids[fingerprint] = extra.pop()
        return True

    def remaining(self) -> list[int]:
        return [*self.ids.values(), *(i for ids in self.more.values() for i in ids)]


def prepare(fiscal_year: FiscalYear, source: str) -> Pool | None:
    """The year's pool, its dimensions, objects and balances cleared; None: replace it in full
    (no vouchers yet, or some stored before fingerprints existed)."""
    fingerprints, ids, raws = _stored(fiscal_year, source)
    if not ids:
        return None
    pool = Pool(fingerprints, ids)
    if None in pool.ids:  # a dict look-up, not a walk over 250,000 pairs
        return None
    # A skipped voucher is never checked against the others for a repeated number, so none
    # is when the stored ones repeat one (the last import's issues say so: rare).
    if not fiscal_year.voucher_issues.get("duplicates"):
        pool.known = dict(zip(raws, fingerprints, strict=True))
        pool.known.pop(None, None)  # type: ignore[call-overload]
    if pool.more:  # the same content stored twice: matched by content only (Pool.take)
        pool.known = {raw: found for raw, found in pool.known.items() if found not in pool.more}
    for model in (Balance, LedgerObject, Dimension):
        queryset = model.objects.filter(fiscal_year=fiscal_year)
        queryset._raw_delete(queryset.db)
    return pool


def numbered(fiscal_year: FiscalYear, parsed: Sequence[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """(id, series, number) of the year's stored vouchers numbered as one of `parsed`
    ((line, series, number) each)."""
    keys = sorted({(series, number) for _line, series, number in parsed if "\x00" not in series + number})
    if not keys:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # two array parameters, not one pair of placeholders each
            cursor.execute(
                "SELECT id, series, number FROM ledger_voucher WHERE fiscal_year_id = %s "
                "AND (series, number) IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
                [fiscal_year.pk, [k[0] for k in keys], [k[1] for k in keys]],
            )
            return cursor.fetchall()
    wanted = set(keys)
    found = []
    for chunk in _chunks(sorted({number for _series, number in keys})):
        for voucher_id, series, number in Voucher.objects.filter(
            fiscal_year=fiscal_year, number__in=chunk
        ).values_list("id", "series", "number"):
            if (series, number) in wanted:
                found.append((voucher_id, series, number))
    return found


def _stored(fiscal_year: FiscalYear, source: str) -> tuple[Sequence[Any], Sequence[int], Sequence[Any]]:
    """The year's vouchers' fingerprints, ids and raw fingerprints (those of the same source
    only: a skipped voucher keeps its own), as three columns. 250,000 vouchers for a large
    year: on PostgreSQL three arrays in binary, no row objects (half the CPU time of rows)."""
    params: list[Any] = [source, fiscal_year.pk]
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        # psycopg's own cursor (Django's binds client-side, which gives text only), in the
        # same transaction
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                "SELECT array_agg(fingerprint), array_agg(id), "
                "array_agg(CASE WHEN source = %s THEN raw_fingerprint END) "
                "FROM ledger_voucher WHERE fiscal_year_id = %s",
                params,
                binary=True,
            )
            found = cursor.fetchone()
        assert found is not None
        return found[0] or [], found[1] or [], found[2] or []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT fingerprint, id, CASE WHEN source = %s THEN raw_fingerprint END "
            "FROM ledger_voucher WHERE fiscal_year_id = %s",
            params,
        )
        rows = cursor.fetchall()
    if not rows:
        return [], [], []
    fingerprints, ids, raws = zip(*rows, strict=True)
    return fingerprints, ids, raws


def _chunks(ids: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _add_rows(totals: period_sums.Totals, fiscal_year_id: int, voucher_ids: Sequence[int], sign: int) -> None:
    if connection.vendor == "postgresql":  # grouped by the database, one array parameter
        period_sums.merge_rows_of(totals, fiscal_year_id, voucher_ids, sign)
        return
    for chunk in _chunks(voucher_ids):
        rows = VoucherRow.objects.filter(
            fiscal_year_id=fiscal_year_id, voucher_id__in=chunk, kind=RowKind.TRANS
        ).values_list("account_id", "period", "amount", "object_refs")
        for account_id, period, amount, refs in rows:
            totals.add(fiscal_year_id, account_id, period, amount, period_sums.refs_key(refs), sign)


def _delete(fiscal_year: FiscalYear, voucher_ids: Sequence[int]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # one array parameter each, not 5,000 placeholders
            ids: list[Any] = [fiscal_year.pk, list(voucher_ids)]
            cursor.execute(
                "DELETE FROM ledger_voucherrow WHERE fiscal_year_id = %s AND voucher_id = ANY(%s)", ids
            )
            cursor.execute("DELETE FROM ledger_voucher WHERE fiscal_year_id = %s AND id = ANY(%s)", ids)
        return
    for chunk in _chunks(voucher_ids):
        for model, field in ((VoucherRow, "voucher_id__in"), (Voucher, "id__in")):
            queryset = model.objects.filter(fiscal_year=fiscal_year, **{field: chunk})
            queryset._raw_delete(queryset.db)


def finish(fiscal_year: FiscalYear, pool: Pool, loader: BaseLoader) -> int:
    """After the loader: delete what the file no longer has and update the sums; returns how
    many vouchers were deleted."""
    removed = pool.remaining()
    year = fiscal_year.pk
    delta = loader.new_totals(year)  # the rows written, summed while writing
    if removed:
        _add_rows(delta, year, removed, -1)
        _delete(fiscal_year, removed)
    period_sums.apply(year, delta)
    return len(removed)
