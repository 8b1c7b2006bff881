"""Bulk loading of vouchers and rows: COPY on PostgreSQL, bulk_create elsewhere (SQLite).

Vouchers arrive one at a time from the streaming SIE reader and are written in batches,
so memory stays bounded by one batch whatever the file size. Both loaders run inside the
caller's transaction; neither commits.

PostgreSQL: voucher ids are reserved from the table's sequence first (the rows need
them), then each batch is two COPY ... FROM STDIN in text format (CopyText), built with the
per-value conversions cached (a ledger repeats the same amounts, dates and object lists
over and over). The common row (a voucher without #RTRANS/#BTRANS, every value already
cached) is formatted by an optional C accelerator (_copyrows.c, built by `make install`),
byte for byte as the Python loop would; without it, or with LEDGERPORT_SIE_PURE=1 (the
switch of the SIE reader's accelerator too), everything is Python.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db import connection as default_connection
from django.utils.translation import gettext as _

from ledgerport.sie import Row, Voucher
from ledgerport.sie.reader import pure_python_requested

from . import bas, period_sums
from .errors import BrokenFile
from .models import Account, RowKind
from .models import Voucher as VoucherModel
from .models import VoucherRow as RowModel

if TYPE_CHECKING:
    from .reimport import Pool

MAX_QUANTITY = Decimal(10) ** 14  # NUMERIC(20, 6)
NULL = "\\N"
TRANS, ADDED, REMOVED = RowKind.TRANS.value, RowKind.ADDED.value, RowKind.REMOVED.value


def merged_rows(voucher: Voucher) -> Iterator[tuple[str, Row]]:
    """The voucher's rows in file order: history (#RTRANS/#BTRANS) before the row it preceded."""
    changes = voucher.changes
    index = 0
    for position, row in enumerate(voucher.rows):
        while index < len(changes) and changes[index].position <= position:
            change = changes[index]
            yield (ADDED if change.kind == "added" else REMOVED), change.row
            index += 1
        yield TRANS, row
    for change in changes[index:]:
        yield (ADDED if change.kind == "added" else REMOVED), change.row


def check_amount(value: Decimal, line: int) -> str:
    """The amount as COPY text; refuses more than two decimals or more than NUMERIC(18, 2) holds."""
    text = str(value)  # amounts come from digits and a point only, so never in exponent form
    dot = text.find(".")
    whole = dot if dot >= 0 else len(text)
    if "E" in text or (dot >= 0 and len(text) - dot > 3):
        raise BrokenFile(line, _("the amount %(amount)s has more than two decimals") % {"amount": value})
    if whole - text.startswith("-") > 16:
        raise BrokenFile(line, _("the amount %(amount)s is too large") % {"amount": value})
    return text


def check_quantity(value: Decimal, line: int) -> Decimal:
    if abs(value) >= MAX_QUANTITY:
        raise BrokenFile(line, _("the quantity %(quantity)s is too large") % {"quantity": value})
    return round(value, 6)


class AccountIds:
    """Account number -> id per fiscal year; an account no #KONTO declared is created on first use.

    `create` is swapped by the COPY loader while its COPY is open (no other statement may
    run on the connection then): it reserves the id and inserts the account afterwards.
    """

    def __init__(self, warn: Callable[[int, str], None]) -> None:
        self.by_year: dict[int, dict[str, int]] = {}
        self.warn = warn
        self.create: Callable[[int, str], int] = self.create_now

    def load(self, fiscal_year_id: int) -> dict[str, int]:
        ids = dict(Account.objects.filter(fiscal_year_id=fiscal_year_id).values_list("number", "id"))
        self.by_year[fiscal_year_id] = ids
        return ids

    @staticmethod
    def create_now(fiscal_year_id: int, number: str) -> int:
        account = Account.objects.create(
            fiscal_year_id=fiscal_year_id, number=number, type=bas.default_type(number)
        )
        return int(account.pk)

    def get(self, fiscal_year_id: int, number: str, line: int) -> int:
        ids = self.by_year[fiscal_year_id]
        found = ids.get(number)
        if found is None:
            if len(number) > 20:
                raise BrokenFile(line, _("the account number %(number)s is too long") % {"number": number})
            found = ids[number] = self.create(fiscal_year_id, number)
            self.warn(line, _("Account %(number)s is used but not declared (#KONTO)") % {"number": number})
        return found


class BaseLoader:
    """Collects (fiscal year, voucher) pairs and writes them in batches."""

    batch_vouchers = 4000

    def __init__(
        self, *, source: str, accounts: AccountIds, on_flush: Callable[[], None] | None = None
    ) -> None:
        self.source = source
        self.accounts = accounts
        self.on_flush = on_flush
        self.pending: list[tuple[int, Voucher]] = []
        self.pending_rows = 0
        self.vouchers = 0
        self.rows = 0  # #TRANS rows of the vouchers added (history rows not counted)
        # Re-import (reimport.py): per fiscal year, the stored vouchers' fingerprints; a voucher
        # whose fingerprint is taken from its year's pool is unchanged and not written.
        self.pools: dict[int, Pool] = {}
        self.unchanged_vouchers = 0
        self.unchanged_rows = 0
        # The #TRANS rows written, summed while writing: no second pass over them (on
        # PostgreSQL a GROUP BY of the million rows just copied, seconds of the server's
        # time after the COPY, against a second of Python's while the server copies).
        self.totals = period_sums.Totals()

    def add(self, fiscal_year_id: int, voucher: Voucher) -> None:
        self.pending.append((fiscal_year_id, voucher))
        self.pending_rows += len(voucher.rows)  # #TRANS rows (history rows are rare)
        if len(self.pending) >= self.batch_vouchers or self.pending_rows >= 20 * self.batch_vouchers:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.write(self.pending)
            self.vouchers += len(self.pending)
            self.rows += self.pending_rows
            self.pending = []
            self.pending_rows = 0
        if self.on_flush is not None:
            self.on_flush()

    def finish(self) -> None:
        self.flush()

    def abort(self, error: BaseException) -> None:
        """Called when the import fails before finish(); the transaction is rolled back after."""

    def __enter__(self) -> BaseLoader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: Any) -> None:
        if error is not None:
            self.abort(error)

    def write(self, batch: list[tuple[int, Voucher]]) -> None:
        raise NotImplementedError

    def write_sums(self, fiscal_year_ids: Collection[int]) -> None:
        """After finish(): the loaded years' PeriodSums, in the caller's transaction."""
        period_sums.write(fiscal_year_ids, self.totals)

    def new_totals(self, fiscal_year_id: int) -> period_sums.Totals:
        """The sums of the rows written into the year."""
        return self.totals.of_year(fiscal_year_id)

    def add_unchanged(self, vouchers: int, rows: int) -> None:
        """Vouchers of the file the reader matched to stored ones without parsing them."""
        self.vouchers += vouchers
        self.rows += rows
        self.unchanged_vouchers += vouchers
        self.unchanged_rows += rows

    @property
    def rows_written(self) -> int:
        return self.rows - self.unchanged_rows

    def _changed(self, batch: list[tuple[int, Voucher]], fingerprints: Sequence[int]) -> list[int]:
        """The indexes of the batch's vouchers to write: all but those their year's pool has."""
        pools = self.pools
        years = {fiscal_year_id for fiscal_year_id, _voucher in batch}
        pool = pools.get(next(iter(years))) if len(years) == 1 else None
        if pool is not None and not pool.more:
            # The usual resync: one year, no voucher stored twice; a dict pop per voucher.
            pop = pool.ids.pop
            keep = [index for index, fingerprint in enumerate(fingerprints) if pop(fingerprint, None) is None]
        else:
            keep = [
                index
                for index, ((fiscal_year_id, _voucher), fingerprint) in enumerate(
                    zip(batch, fingerprints, strict=True)
                )
                if (found := pools.get(fiscal_year_id)) is None or not found.take(fingerprint)
            ]
        if len(keep) < len(batch):
            all_rows = self.pending_rows if batch is self.pending else sum(len(v.rows) for _y, v in batch)
            self.unchanged_vouchers += len(batch) - len(keep)
            self.unchanged_rows += all_rows - sum(len(batch[index][1].rows) for index in keep)
        return keep


class OrmLoader(BaseLoader):
    """Portable: bulk_create (SQLite returns the new ids, which the rows need)."""

    # Small batches: on SQLite each is a commit holding the only write lock (well under a
    # second), which logins and other writers wait for.
    batch_vouchers = 250
    # SQLite's busy handler retries a waiting writer at most every 100 ms and is not a queue:
    # an importer that takes the lock again at once would starve it. So after every
    # `yield_after` seconds holding the lock, the importer pauses a little longer than that.
    yield_after, pause = 0.5, 0.12
    held = 0.0

    def write(self, batch: list[tuple[int, Voucher]]) -> None:
        # A savepoint inside the import's transaction; on SQLite's staged import (staging.py)
        # the batch's own short commit, so the write lock is held only that long.
        began = time.monotonic()
        with transaction.atomic():
            self._write(batch)
        if not default_connection.in_atomic_block:  # committed
            self.held += time.monotonic() - began
            if self.held >= self.yield_after:
                time.sleep(self.pause)
                self.held = 0.0

    def _write(self, batch: list[tuple[int, Voucher]]) -> None:
        fingerprints = python_fingerprint_batch(batch, self.source)
        if self.pools:
            keep = self._changed(batch, fingerprints)
            batch = [batch[index] for index in keep]
            fingerprints = [fingerprints[index] for index in keep]
        vouchers = [
            VoucherModel(
                fiscal_year_id=fiscal_year_id,
                series=voucher.series,
                number=voucher.number,
                date=voucher.date,
                text=voucher.text,
                registered=voucher.registered,
                signature=voucher.sign,
                source=self.source,
                source_line=voucher.line or None,
                fingerprint=fingerprint,
                raw_fingerprint=voucher.raw or None,
            )
            for (fiscal_year_id, voucher), fingerprint in zip(batch, fingerprints, strict=True)
        ]
        VoucherModel.objects.bulk_create(vouchers)
        rows = []
        add_sum = self.totals.add
        for stored, (fiscal_year_id, voucher) in zip(vouchers, batch, strict=True):
            assert voucher.date is not None
            period = voucher.date.year * 100 + voucher.date.month
            for position, (kind, row) in enumerate(merged_rows(voucher)):
                check_amount(row.amount, voucher.line)
                account_id = self.accounts.get(fiscal_year_id, row.account, voucher.line)
                if kind == TRANS:
                    add_sum(fiscal_year_id, account_id, period, row.amount, row.objects)
                rows.append(
                    RowModel(
                        fiscal_year_id=fiscal_year_id,
                        voucher_id=stored.pk,
                        account_id=account_id,
                        kind=kind,
                        position=position,
                        amount=row.amount,
                        quantity=None if row.quantity is None else check_quantity(row.quantity, voucher.line),
                        transaction_date=row.date,
                        period=period,
                        text=row.text,
                        signature=row.sign,
                        object_refs=[list(pair) for pair in row.objects] or None,
                    )
                )
        RowModel.objects.bulk_create(rows, batch_size=2000)


def copy_text(value: str) -> str:
    """A value for COPY's text format: backslash, TAB, CR and LF escaped; NUL dropped."""
    if value.isprintable() and "\\" not in value:
        return value
    return (
        value.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\x00", "")
    )


VOUCHER_COLUMNS = "id, fiscal_year_id, series, number, date, text, registered, signature, source, source_line"
ROW_COLUMNS = (
    "fiscal_year_id, voucher_id, account_id, kind, position, amount, quantity, transaction_date, "
    "period, text, signature, object_refs"
)

# ledgerport.ledger._copyrows.batch_rows (see _copyrows.pyi)
BatchRows = Callable[
    [
        bytearray,
        list[tuple[int, Voucher]],
        list[int],
        int,
        dict[int, dict[str, int]],
        dict[date | None, str],
        dict[tuple[tuple[str, str], ...], str],
        dict[Decimal, str],
    ],
    int,
]


def _load_batch_rows() -> BatchRows | None:
    """The optional C row formatter (_copyrows.c); LEDGERPORT_SIE_PURE=1 turns it off."""
    if pure_python_requested():
        return None
    try:
        from ._copyrows import batch_rows
    except ImportError:
        return None
    return batch_rows


BATCH_ROWS = _load_batch_rows()

FingerprintBatch = Callable[[list[tuple[int, Voucher]], str], list[int]]


def _signed(digest: bytes) -> int:
    return int.from_bytes(digest, "big", signed=True)  # a BIGINT


def python_fingerprint(voucher: Voucher, source: str) -> int:
    """A voucher's fingerprint without C: its content and source, whatever the database ids and
    the #VER line. Another hash than C's (so the two never match: a change of path rewrites)."""
    content = (
        source,
        voucher.series,
        voucher.number,
        voucher.date,
        voucher.text,
        voucher.registered,
        voucher.sign,
        voucher.rows,
        [(change.kind, change.position, change.row) for change in voucher.changes],
    )
    return _signed(hashlib.blake2b(repr(content).encode(), digest_size=8).digest())


def python_fingerprint_batch(batch: list[tuple[int, Voucher]], source: str) -> list[int]:
    """_copyrows.fingerprint_batch without C."""
    return [python_fingerprint(voucher, source) for _year, voucher in batch]


def _load_fingerprint_batch() -> FingerprintBatch:
    if pure_python_requested():
        return python_fingerprint_batch
    try:
        from ._copyrows import fingerprint_batch
    except ImportError:
        return python_fingerprint_batch
    return fingerprint_batch


# Taken from the parsed vouchers before any COPY text is made: a re-import formats only
# the vouchers whose fingerprint its pool does not have.
FINGERPRINT_BATCH = _load_fingerprint_batch()


class CopyText:
    """The COPY text of batches of vouchers and their rows, and the per-value caches.

    All of CopyLoader.write but the database, so that the C and the Python row paths can be
    compared without one. `batch_rows` is the C formatter (None: pure Python).
    """

    cache_limit = 100_000

    def __init__(self, accounts: AccountIds, source: str, batch_rows: BatchRows | None = BATCH_ROWS) -> None:
        self.accounts = accounts
        self.source = source
        self.batch_rows = batch_rows
        self.amounts: dict[Decimal, str] = {}
        self.quantities: dict[Decimal, str] = {}
        self.dates: dict[date | None, str] = {None: NULL}
        self.objects: dict[tuple[tuple[str, str], ...], str] = {(): NULL}

    def _amount(self, value: Decimal, line: int) -> str:
        if len(self.amounts) >= self.cache_limit:
            self.amounts.clear()
        text = self.amounts[value] = check_amount(value, line)
        return text

    def _quantity(self, value: Decimal | None, line: int) -> str:
        if value is None:
            return NULL
        found = self.quantities.get(value)
        if found is None:
            if len(self.quantities) >= self.cache_limit:
                self.quantities.clear()
            found = self.quantities[value] = format(check_quantity(value, line), "f")
        return found

    def _date(self, value: date | None) -> str:
        found = self.dates.get(value)
        if found is None:
            assert value is not None
            found = self.dates[value] = value.isoformat()
        return found

    def _objects(self, value: tuple[tuple[str, str], ...]) -> str:
        found = self.objects.get(value)
        if found is None:
            if len(self.objects) >= self.cache_limit:
                self.objects.clear()
                self.objects[()] = NULL
            found = self.objects[value] = copy_text(
                json.dumps([list(pair) for pair in value], ensure_ascii=False)
            )
        return found

    def batch(
        self, ids: Sequence[int], batch: list[tuple[int, Voucher]], fingerprints: Sequence[int] | None = None
    ) -> tuple[bytearray, str]:
        """The rows (UTF-8, the connection's encoding) and the vouchers of a batch as COPY text;
        with `fingerprints`, each voucher line ends with its fingerprint and raw fingerprint."""
        vouchers: list[str] = []
        add_voucher = vouchers.append
        source = self.source
        ends = (
            ("\n" for _ in batch)
            if fingerprints is None
            else (f"\t{f}\t{v.raw or NULL}\n" for f, (_y, v) in zip(fingerprints, batch, strict=True))
        )
        for voucher_id, (fiscal_year_id, voucher), end in zip(ids, batch, ends, strict=True):
            day = voucher.date
            assert day is not None
            add_voucher(
                f"{voucher_id}\t{fiscal_year_id}\t{copy_text(voucher.series)}\t{copy_text(voucher.number)}\t"
                f"{self._date(day)}\t{copy_text(voucher.text)}\t{self._date(voucher.registered)}\t"
                f"{copy_text(voucher.sign)}\t{source}\t{voucher.line or NULL}{end}"
            )
        out = bytearray()
        rows: list[str] = []
        fast = self.batch_rows
        if fast is None:
            self._python_rows(rows.append, zip(ids, batch, strict=True))
        else:
            ids = list(ids)  # C indexes a list
            by_year = self.accounts.by_year
            caches = (self.dates, self.objects, self.quantities)
            index = 0
            # C formats the vouchers up to the first that needs Python (a cache miss, a refusal,
            # history rows ...); Python formats that one, filling the caches, and so on.
            while (index := fast(out, batch, ids, index, by_year, *caches)) < len(batch):
                self._python_rows(rows.append, [(ids[index], batch[index])])
                out += "".join(rows).encode()  # C appends straight to out: keep the file order
                rows.clear()
                index += 1
        if rows:
            out += "".join(rows).encode()
        return out, "".join(vouchers)

    def _python_rows(
        self, add_row: Callable[[str], None], vouchers: Iterable[tuple[int, tuple[int, Voucher]]]
    ) -> None:
        """The rows of (voucher id, (fiscal year id, voucher)) pairs, the Python way."""
        account_ids = self.accounts
        dates, objects = self.dates, self.objects
        for voucher_id, (fiscal_year_id, voucher) in vouchers:
            day = voucher.date
            assert day is not None
            line = voucher.line
            accounts = account_ids.by_year[fiscal_year_id]
            prefix = f"{fiscal_year_id}\t{voucher_id}\t"
            middle = f"\t{day.year * 100 + day.month}\t"
            if voucher.changes:  # rare: correction history, in file order
                for position, (kind, row) in enumerate(merged_rows(voucher)):
                    add_row(self._row(prefix, middle, kind, position, row, accounts, fiscal_year_id, line))
                continue
            # The common case, inlined: a few dict look-ups and one f-string per row.
            for position, (account, refs, amount, row_date, text, quantity, sign) in enumerate(voucher.rows):
                account_id = accounts.get(account) or account_ids.get(fiscal_year_id, account, line)
                # Amounts are mostly distinct, so no cache: str() and a cheap shape check
                # (up to 16 characters there cannot be more integer digits than 16).
                amount_text = str(amount)
                dot = amount_text.find(".")
                if len(amount_text) > 16 or "E" in amount_text or (dot >= 0 and len(amount_text) - dot > 3):
                    amount_text = check_amount(amount, line)  # refuses, or accepts a long amount
                date_text = dates.get(row_date) or self._date(row_date)
                refs_text = objects.get(refs) or self._objects(refs)
                add_row(
                    f"{prefix}{account_id}\tT\t{position}\t{amount_text}\t"
                    f"{NULL if quantity is None else self._quantity(quantity, line)}\t{date_text}"
                    f"{middle}{copy_text(text) if text else ''}\t{copy_text(sign) if sign else ''}\t{refs_text}\n"
                )

    def _row(
        self,
        prefix: str,
        middle: str,
        kind: str,
        position: int,
        row: Row,
        accounts: dict[str, int],
        fiscal_year_id: int,
        line: int,
    ) -> str:
        account, refs, amount, row_date, text, quantity, sign = row
        account_id = accounts.get(account) or self.accounts.get(fiscal_year_id, account, line)
        return (
            f"{prefix}{account_id}\t{kind}\t{position}\t{self.amounts.get(amount) or self._amount(amount, line)}\t"
            f"{self._quantity(quantity, line)}\t{self._date(row_date)}{middle}{copy_text(text)}\t"
            f"{copy_text(sign)}\t{self.objects.get(refs) or self._objects(refs)}\n"
        )


class CopyLoader(BaseLoader):
    """PostgreSQL: one COPY of the rows stays open for the whole import, so the server stores
    rows while Python parses the next ones (two processes, two cores). Voucher and account
    ids come from their sequences through a second connection (sequences are outside
    transactions, so that is safe); the vouchers are spooled to a temporary file and copied
    when the rows are done. The text itself comes from CopyText.
    """

    batch_vouchers = 5000
    id_block = 20000

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.connection = default_connection
        self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        self.text = CopyText(self.accounts, self.source)
        self.free_ids: list[int] | range = range(0)
        self.late_accounts: list[Account] = []
        with self.side.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')",
                [VoucherModel._meta.db_table, Account._meta.db_table],
            )
            self.voucher_sequence, self.account_sequence = cursor.fetchone()
        self.vouchers_spool: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in _close()
            max_size=16 << 20, mode="w+b"
        )
        self.accounts.create = self._reserve_account
        self.cursor = self.connection.cursor()
        self._copy_context = self.cursor.copy(f"COPY {RowModel._meta.db_table} ({ROW_COLUMNS}) FROM STDIN")
        self.copy = self._copy_context.__enter__()

    def _ids(self, sequence: str, count: int) -> list[int] | range:
        """`count` fresh ids; a range when nobody else drew from the sequence meanwhile (usual)."""
        with self.side.cursor() as cursor:
            cursor.execute(
                "SELECT min(v), max(v) FROM (SELECT nextval(%s) AS v FROM generate_series(1, %s)) AS ids",
                [sequence, count],
            )
            low, high = cursor.fetchone()
            if high - low + 1 == count:
                return range(low, high + 1)
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]

    def _reserve_account(self, fiscal_year_id: int, number: str) -> int:
        (account_id,) = self._ids(self.account_sequence, 1)
        self.late_accounts.append(
            Account(
                id=account_id, fiscal_year_id=fiscal_year_id, number=number, type=bas.default_type(number)
            )
        )
        return account_id

    def write(self, batch: list[tuple[int, Voucher]]) -> None:
        fingerprints = FINGERPRINT_BATCH(batch, self.source)
        if self.pools:  # a re-import formats and writes only what changed
            keep = self._changed(batch, fingerprints)
            if len(keep) < len(batch):
                batch = [batch[index] for index in keep]
                fingerprints = [fingerprints[index] for index in keep]
            if not batch:
                return
        if len(self.free_ids) < len(batch):
            self.free_ids = [
                *self.free_ids,
                *self._ids(self.voucher_sequence, max(self.id_block, len(batch))),
            ]
        ids, self.free_ids = self.free_ids[: len(batch)], self.free_ids[len(batch) :]
        rows, vouchers = self.text.batch(ids, batch, fingerprints)
        self.copy.write(rows)  # bytes-like: psycopg sends it as it is (the connection is UTF8)
        self.vouchers_spool.write(vouchers.encode())
        self._sum(batch)  # while the server stores the rows just sent

    def _sum(self, batch: list[tuple[int, Voucher]]) -> None:
        """Totals.add inlined: a million rows pass here (the accounts exist: batch() made them)."""
        groups = self.totals.groups
        by_year = self.accounts.by_year
        for fiscal_year_id, voucher in batch:
            day = voucher.date
            assert day is not None
            period = day.year * 100 + day.month
            accounts = by_year[fiscal_year_id]
            for account, refs, amount, _date, _text, _quantity, _sign in voucher.rows:
                key = (fiscal_year_id, accounts[account], period, refs)
                found = groups.get(key)
                if found is None:
                    found = groups[key] = [period_sums.ZERO, period_sums.ZERO, 0]
                if amount > 0:
                    found[0] += amount
                else:
                    found[1] += amount
                found[2] += 1

    def finish(self) -> None:
        self.flush()
        self._copy_context.__exit__(None, None, None)
        self.accounts.create = self.accounts.create_now
        Account.objects.bulk_create(self.late_accounts)
        self.vouchers_spool.seek(0)
        columns = f"{VOUCHER_COLUMNS}, fingerprint, raw_fingerprint"  # CopyText.batch added them
        with self.cursor.copy(f"COPY {VoucherModel._meta.db_table} ({columns}) FROM STDIN") as copy:
            while chunk := self.vouchers_spool.read(1 << 20):
                copy.write(chunk)
        self._close()

    def abort(self, error: BaseException) -> None:
        # Ends the COPY with an error (CopyFail), so the connection can roll back.
        with contextlib.suppress(Exception):  # the import's own error is the one that matters
            self._copy_context.__exit__(type(error), error, error.__traceback__)
        self._close()

    def _close(self) -> None:
        self.vouchers_spool.close()
        self.cursor.close()
        self.side.close()


def loader_for(
    *, source: str, accounts: AccountIds, on_flush: Callable[[], None] | None = None
) -> BaseLoader:
    """COPY on PostgreSQL, bulk_create elsewhere. Use as a context manager (ends a COPY on error)."""
    if default_connection.vendor == "postgresql":
        return CopyLoader(source=source, accounts=accounts, on_flush=on_flush)
    return OrmLoader(source=source, accounts=accounts, on_flush=on_flush)
