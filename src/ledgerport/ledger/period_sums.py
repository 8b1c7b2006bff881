"""The per account × month (× object) sums of a year's #TRANS rows (models.PeriodSum).

They are written wherever rows are, in the same transaction: both loaders sum the rows in
Python while they write them (on PostgreSQL while the server copies the batch just sent;
a GROUP BY of the copied rows afterwards cost the server seconds), and a re-import adds the
difference (`apply`). `rebuild` recomputes a year from its rows (tests' hand-made ledgers,
the backfill), on PostgreSQL grouped by the database.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

from django.db import connection

from .models import PeriodSum, RowKind

ZERO = Decimal(0)
Key = tuple[int, int, int, Any]  # fiscal year, account, period, object refs (hashable)

# One scan of the rows: grouped by (year, account, month, object list) first, then the
# account lines and one line per object named, from those few groups.
_PG_INSERT = """
WITH grouped AS MATERIALIZED (
    SELECT fiscal_year_id, account_id, period, object_refs,
           COALESCE(SUM(amount) FILTER (WHERE amount > 0), 0) AS debit,
           COALESCE(SUM(amount) FILTER (WHERE amount < 0), 0) AS credit,
           COUNT(*) AS row_count
    FROM ledger_voucherrow
    WHERE fiscal_year_id = ANY(%(years)s) AND kind = 'T' {extra}
    GROUP BY fiscal_year_id, account_id, period, object_refs
)
INSERT INTO ledger_periodsum (fiscal_year_id, account_id, period, dimension, object, debit, credit, row_count)
SELECT fiscal_year_id, account_id, period, '', '', SUM(debit), SUM(credit), SUM(row_count)
FROM grouped GROUP BY fiscal_year_id, account_id, period
UNION ALL
SELECT fiscal_year_id, account_id, period, LEFT(ref->>0, 20), LEFT(ref->>1, 40),
       SUM(debit), SUM(credit), SUM(row_count)
FROM grouped CROSS JOIN LATERAL jsonb_array_elements(object_refs) AS ref
WHERE object_refs IS NOT NULL
GROUP BY 1, 2, 3, 4, 5
"""


# `rebuild`'s way: the database groups (in parallel, read-only), Python expands the few
# hundred groups into lines and inserts them. Measured on 1M rows: 0.8 s for the INSERT …
# SELECT above (never parallel, as it writes; and JIT-compiled, the estimates being far
# too high: 300 ms of compiling) against about 0.25 s for this.
_PG_GROUPS = """
SELECT fiscal_year_id, account_id, period, object_refs,
       COALESCE(SUM(amount) FILTER (WHERE amount > 0), 0),
       COALESCE(SUM(amount) FILTER (WHERE amount < 0), 0),
       COUNT(*)
FROM ledger_voucherrow
WHERE fiscal_year_id = ANY(%(years)s) AND kind = 'T'
GROUP BY fiscal_year_id, account_id, period, object_refs
"""


# The sums of some vouchers' rows (a re-import's written or removed ones), by array parameter.
_PG_GROUPS_OF = """
SELECT account_id, period, object_refs,
       COALESCE(SUM(amount) FILTER (WHERE amount > 0), 0),
       COALESCE(SUM(amount) FILTER (WHERE amount < 0), 0),
       COUNT(*)
FROM ledger_voucherrow
WHERE fiscal_year_id = %s AND voucher_id = ANY(%s) AND kind = 'T'
GROUP BY account_id, period, object_refs
"""

# A difference added to the stored lines in one statement: the lines it has are updated,
# the others inserted (not INSERT … ON CONFLICT: the CHECK on row_count is tested on the
# proposed row, before the conflict, and a removal's count is negative); the lines left
# without rows are deleted after.
_PG_APPLY = """
WITH delta (account_id, period, dimension, object, debit, credit, row_count) AS (
    SELECT * FROM unnest(
        %(accounts)s::bigint[], %(periods)s::integer[], %(dimensions)s::text[], %(objects)s::text[],
        %(debits)s::numeric[], %(credits)s::numeric[], %(counts)s::integer[]
    )
), updated AS (
    UPDATE ledger_periodsum AS stored SET
        debit = stored.debit + delta.debit,
        credit = stored.credit + delta.credit,
        row_count = stored.row_count + delta.row_count
    FROM delta
    WHERE stored.fiscal_year_id = %(year)s AND stored.account_id = delta.account_id
      AND stored.period = delta.period AND stored.dimension = delta.dimension
      AND stored.object = delta.object
    RETURNING stored.account_id, stored.period, stored.dimension, stored.object
)
INSERT INTO ledger_periodsum (fiscal_year_id, account_id, period, dimension, object, debit, credit, row_count)
SELECT %(year)s, delta.* FROM delta
WHERE NOT EXISTS (
    SELECT 1 FROM updated WHERE updated.account_id = delta.account_id AND updated.period = delta.period
        AND updated.dimension = delta.dimension AND updated.object = delta.object
)
"""


def insert_from_rows_sql(extra: str = "") -> str:
    """PostgreSQL: the statement summing the rows of `%(years)s` (an id list) into empty sums."""
    return _PG_INSERT.format(extra=extra)


class Totals:
    """Sums built in Python, row by row (SQLite's loader, `rebuild` off PostgreSQL)."""

    def __init__(self) -> None:
        self.groups: dict[Key, list[Any]] = {}

    def add(
        self, fiscal_year_id: int, account_id: int, period: int, amount: Decimal, refs: Any, sign: int = 1
    ) -> None:
        """A row in (sign 1), or out (sign -1: a re-import removed it)."""
        key = (fiscal_year_id, account_id, period, refs)
        found = self.groups.get(key)
        if found is None:
            found = self.groups[key] = [ZERO, ZERO, 0]
        if amount > 0:
            found[0] += sign * amount
        else:
            found[1] += sign * amount
        found[2] += sign

    def merge(self, key: Key, debit: Decimal, credit: Decimal, count: int) -> None:
        """A group summed elsewhere (the database)."""
        found = self.groups.setdefault(key, [ZERO, ZERO, 0])
        found[0] += debit
        found[1] += credit
        found[2] += count

    def merge_signed(self, key: Key, debit: Decimal, credit: Decimal, count: int, sign: int) -> None:
        self.merge(key, sign * debit, sign * credit, sign * count)

    def of_year(self, fiscal_year_id: int) -> Totals:
        part = Totals()
        part.groups = {key: value for key, value in self.groups.items() if key[0] == fiscal_year_id}
        return part

    def lines(self) -> dict[tuple[int, int, int, str, str], list[Any]]:
        """(year, account, period, dimension, object) -> [debit, credit, count]; ('', '') the account's."""
        out: dict[tuple[int, int, int, str, str], list[Any]] = {}
        for (year, account, period, refs), (debit, credit, count) in self.groups.items():
            for dimension, obj in (("", ""),) if not refs else (("", ""), *refs):
                line = out.setdefault(
                    (year, account, period, str(dimension)[:20], str(obj)[:40]), [ZERO, ZERO, 0]
                )
                line[0] += debit
                line[1] += credit
                line[2] += count
        return out

    def models(self, fiscal_year_ids: Collection[int]) -> list[PeriodSum]:
        years = set(fiscal_year_ids)
        return [
            PeriodSum(
                fiscal_year_id=year,
                account_id=account,
                period=period,
                dimension=dimension,
                object=obj,
                debit=debit,
                credit=credit,
                row_count=count,
            )
            for (year, account, period, dimension, obj), (debit, credit, count) in self.lines().items()
            if year in years
        ]


def refs_key(refs: Iterable[Iterable[str]] | None) -> tuple[tuple[str, str], ...]:
    """A row's object refs (JSON lists or tuples) as a hashable key."""
    return tuple((str(d), str(o)) for d, o in refs or ())


def write(fiscal_year_ids: Collection[int], totals: Totals | None = None) -> None:
    """Write the years' sums (none may exist yet): from `totals`, else from the stored rows."""
    if totals is not None:
        PeriodSum.objects.bulk_create(totals.models(fiscal_year_ids), batch_size=2000)
    elif connection.vendor == "postgresql":
        totals = Totals()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(_PG_GROUPS, {"years": list(fiscal_year_ids)})
            groups = cursor.fetchall()
            cursor.execute("RESET jit")
        for year, account, period, refs, debit, credit, count in groups:
            if isinstance(refs, str):  # Django has psycopg hand jsonb over as text
                refs = json.loads(refs)
            totals.merge((year, account, period, refs_key(refs)), debit, credit, count)
        PeriodSum.objects.bulk_create(totals.models(fiscal_year_ids), batch_size=2000)
    else:
        totals = Totals()
        from .models import VoucherRow

        rows = VoucherRow.objects.filter(fiscal_year_id__in=fiscal_year_ids, kind=RowKind.TRANS).values_list(
            "fiscal_year_id", "account_id", "period", "amount", "object_refs"
        )
        for year, account, period, amount, refs in rows.iterator(chunk_size=5000):
            totals.add(year, account, period, amount, refs_key(refs))
        PeriodSum.objects.bulk_create(totals.models(fiscal_year_ids), batch_size=2000)


def rebuild(fiscal_year_id: int) -> None:
    """Recompute a year's sums from its rows (for ledgers written row by row, not imported)."""
    PeriodSum.objects.filter(fiscal_year_id=fiscal_year_id).delete()
    write([fiscal_year_id])


def merge_rows_of(totals: Totals, fiscal_year_id: int, voucher_ids: Collection[int], sign: int) -> None:
    """PostgreSQL: the stored #TRANS rows of these vouchers into `totals` (sign -1: out)."""
    with connection.cursor() as cursor:
        cursor.execute(_PG_GROUPS_OF, [fiscal_year_id, list(voucher_ids)])
        groups = cursor.fetchall()
    for account, period, refs, debit, credit, count in groups:
        if isinstance(refs, str):  # Django has psycopg hand jsonb over as text
            refs = json.loads(refs)
        totals.merge_signed((fiscal_year_id, account, period, refs_key(refs)), debit, credit, count, sign)


def apply(fiscal_year_id: int, delta: Totals) -> None:
    """Add a difference (rows in and out) to a year's stored sums; a line left with no rows goes."""
    lines = {
        key[1:]: value
        for key, value in delta.lines().items()
        if key[0] == fiscal_year_id and any(value)  # nothing in and out: nothing to do
    }
    if not lines:
        return
    if connection.vendor == "postgresql":
        columns: list[list[Any]] = [[], [], [], [], [], [], []]
        for line in lines.items():
            for column, value in zip(columns, (*line[0], *line[1]), strict=True):
                column.append(value)
        names = ("accounts", "periods", "dimensions", "objects", "debits", "credits", "counts")
        with connection.cursor() as cursor:
            cursor.execute(_PG_APPLY, {"year": fiscal_year_id, **dict(zip(names, columns, strict=True))})
            cursor.execute(
                "DELETE FROM ledger_periodsum WHERE fiscal_year_id = %s AND row_count = 0 AND account_id = ANY(%s)",
                [fiscal_year_id, sorted(set(columns[0]))],
            )
        return
    _apply_orm(fiscal_year_id, lines)


def _apply_orm(fiscal_year_id: int, lines: dict[tuple[int, int, str, str], list[Any]]) -> None:
    stored = {
        (account, period, dimension, obj): (pk, debit, credit, count)
        for pk, account, period, dimension, obj, debit, credit, count in PeriodSum.objects.filter(
            fiscal_year_id=fiscal_year_id, account_id__in={key[0] for key in lines}
        ).values_list("pk", "account_id", "period", "dimension", "object", "debit", "credit", "row_count")
    }
    gone: list[int] = []  # stored lines replaced by their new value, or emptied
    created: list[PeriodSum] = []
    for (account, period, dimension, obj), (debit, credit, count) in lines.items():
        if not (debit or credit or count):
            continue
        found = stored.get((account, period, dimension, obj))
        if found is not None:
            gone.append(found[0])
            debit, credit, count = found[1] + debit, found[2] + credit, found[3] + count
            if not count:
                continue
        created.append(
            PeriodSum(
                fiscal_year_id=fiscal_year_id,
                account_id=account,
                period=period,
                dimension=dimension,
                object=obj,
                debit=debit,
                credit=credit,
                row_count=count,
            )
        )
    # Delete and insert rather than bulk_update: its CASE per object costs ~0.5 ms a line.
    for start in range(0, len(gone), 5000):
        PeriodSum.objects.filter(pk__in=gone[start : start + 5000])._raw_delete(PeriodSum.objects.db)
    PeriodSum.objects.bulk_create(created, batch_size=1000)
