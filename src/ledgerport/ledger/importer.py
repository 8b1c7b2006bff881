"""A SIE file (any byte stream) becomes the company's ledger for its fiscal years, atomically.

The file is read once, streaming: the header (everything before the first #VER) decides
which years are loaded, then vouchers go to the bulk loader batch by batch, then the
balances (which may follow the vouchers in a file) are written. Everything happens in one
transaction, so a refusal or an error at any point leaves the database as it was.

Years: #RAR 0 is the file's own year and is always loaded (replacing an existing ledger
only when confirmed). Earlier years (#RAR -1 ...) usually carry only balances; they fill a
year that has no ledger of its own and leave a year that has one untouched.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport.sie import SieError, SieHeader, SieReader
from ledgerport.tenancy.models import Company

from . import bas, reimport, sie_messages, staging
from .errors import BrokenFile, Conflict, ImportRefused, NotSie, ReplaceNeeded
from .import_plan import ImportResult, YearPlan
from .loaders import AccountIds, check_amount, loader_for
from .models import (
    Account,
    AccountType,
    Balance,
    Dimension,
    FiscalYear,
    LedgerImport,
    LedgerObject,
    PeriodSum,
    Source,
    VatCode,
    Voucher,
    VoucherRow,
)

MAX_WARNINGS_KEPT = 200
# A year this large changes the tables' statistics enough to matter for the planner: refresh
# them at once rather than whenever autovacuum gets to it.
ANALYZE_AFTER_ROWS = 50_000
MAX_ISSUES_KEPT = 500
Progress = Callable[[int, int, int], None]  # bytes read, vouchers, rows


class _Tap:
    """Counts and hashes the bytes the reader pulls, for progress and provenance.

    The SHA-256 runs in a thread of its own, chunk after chunk, while the reader parses:
    hashlib lets go of the GIL over a large buffer, so on a second core it costs no time
    (a resync that parses little would otherwise spend a tenth of its time here)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.bytes = 0
        self._sha256 = hashlib.sha256()
        self._hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sie-sha256")

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.bytes += len(data)
        self._hashing.submit(self._sha256.update, data)  # in order: one worker
        return data

    def hexdigest(self) -> str:
        """The SHA-256 of the bytes read so far (waits for the hashing)."""
        self.close()
        return self._sha256.hexdigest()

    def close(self) -> None:
        """Waits for the hashing and ends the thread; reading after it is an error."""
        self._hashing.shutdown(wait=True)


def broken(error: SieError) -> BrokenFile:
    """The reader's error as the user reads it, in their language (sie_messages.py)."""
    generic = _("the file cannot be read as SIE")
    detail = sie_messages.describe(error.code, error.params, generic)
    if error.code == "not-sie":
        return NotSie(detail)
    return BrokenFile(error.line, detail)


def voucher_issues(
    reader: SieReader, duplicates: dict[int, list[dict[str, Any]]]
) -> dict[int, dict[str, Any]]:
    """Per year index: the unbalanced vouchers (the reader's) and duplicate numbers, with lines."""
    unbalanced = [
        {"line": p.line, "voucher": p.params.get("voucher", ""), "sum": p.params.get("sum", "")}
        for p in reader.result().problems
        if p.code == "unbalanced"
    ]
    issues: dict[int, dict[str, Any]] = {}
    if unbalanced:
        issues.setdefault(0, {})["unbalanced"] = unbalanced[:MAX_ISSUES_KEPT]
        issues[0]["unbalanced_count"] = reader.stats.unbalanced
    for index, found in duplicates.items():
        issues.setdefault(index, {})["duplicates"] = found
        issues[index]["duplicate_count"] = len(found) + found[-1].get("more", 0)
    return issues


def orgnr_matches(company: Company, number: str) -> bool:
    digits = "".join(ch for ch in number if ch.isdigit())
    if company.country == "SE" and len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]  # the 16-prefixed form some programs write
    return digits == company.orgnr


def check_orgnr(company: Company, header: SieHeader) -> list[str]:
    """Refuse a file of another company; a file without an org number only warns."""
    if not (header.orgnr or "").strip():
        return [
            _("The file has no organisation number; check that it belongs to %(company)s.")
            % {"company": company.name}
        ]
    if not orgnr_matches(company, header.orgnr or ""):
        raise ImportRefused(
            _(
                "The file belongs to organisation number %(file)s (%(name)s), not to %(company)s "
                "(%(orgnr)s). Nothing was imported."
            )
            % {
                "file": header.orgnr,
                "name": header.company_name or "?",
                "company": company.name,
                "orgnr": company.orgnr_display,
            }
        )
    return []


def plan_years(
    company: Company,
    header: SieHeader,
    *,
    replace: bool,
    replace_sources: Collection[str],
    note_kept_years: bool = True,
) -> tuple[list[YearPlan], list[str]]:
    """Which of the file's years are loaded; raises when the current year may not be replaced.

    `note_kept_years=False` leaves out the note on an earlier year kept as it was: a sync,
    which fetches each year by itself, expects that.
    """
    current = header.fiscal_years.get(0)
    if current is None or current.start is None or current.end is None:
        raise ImportRefused(
            _("The file has no current fiscal year (#RAR 0 with dates), so it cannot be loaded as a ledger.")
        )
    plans: list[YearPlan] = []
    notes: list[str] = []
    conflicts: list[Conflict] = []
    for year in sorted(header.fiscal_years.values(), key=lambda y: -y.index):
        if year.start is None or year.end is None:
            continue
        overlapping = list(
            FiscalYear.objects.filter(company=company, start__lte=year.end, end__gte=year.start).order_by(
                "start"
            )
        )
        exact = next((fy for fy in overlapping if fy.start == year.start and fy.end == year.end), None)
        label = {"start": year.start, "end": year.end}
        if overlapping and exact is None:
            others = ", ".join(str(fy) for fy in overlapping)
            if year.index == 0:
                raise ImportRefused(
                    _(
                        "The fiscal year %(start)s – %(end)s in the file overlaps the existing fiscal year %(others)s."
                    )
                    % {**label, "others": others}
                )
            notes.append(
                _("The fiscal year %(start)s – %(end)s in the file overlaps %(others)s and was not imported.")
                % {**label, "others": others}
            )
            plans.append(YearPlan(year.index, year.start, year.end, None, load=False))
            continue
        has_ledger = exact is not None and exact.source is not None and exact.full_ledger
        if year.index == 0:
            if has_ledger and not replace and exact.source not in replace_sources:  # type: ignore[union-attr]
                conflicts.append(Conflict(year.start, year.end, exact.get_source_display()))  # type: ignore[union-attr]
            plans.append(YearPlan(0, year.start, year.end, exact, load=True))
        elif has_ledger:
            if note_kept_years:
                notes.append(
                    _(
                        "The fiscal year %(start)s – %(end)s already has its own ledger and was left unchanged."
                    )
                    % label
                )
            plans.append(YearPlan(year.index, year.start, year.end, exact, load=False))
        else:
            plans.append(YearPlan(year.index, year.start, year.end, exact, load=True))
    if conflicts:
        raise ReplaceNeeded(conflicts)
    return plans, notes


def lock_years(company: Company, header: SieHeader) -> None:
    """One import of a company's fiscal year at a time, whoever starts it (upload, CLI, sync).

    PostgreSQL: a transaction-scoped advisory lock per (company, year start), taken in a
    fixed order (no deadlock); a second import waits here until the first has committed or
    rolled back. SQLite: the transaction itself holds the database's only write lock
    (transaction_mode IMMEDIATE), so imports are serial already.
    """
    if connection.vendor != "postgresql":
        return
    starts = sorted({year.start for year in header.fiscal_years.values() if year.start is not None})
    with connection.cursor() as cursor:
        for start in starts:
            key = int.from_bytes(
                hashlib.blake2b(f"ledger-import:{company.pk}:{start}".encode(), digest_size=8).digest(),
                "big",
                signed=True,
            )
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def read_plan(
    *, company: Company, stream: BinaryIO, replace: bool = False, replace_sources: Collection[str] = ()
) -> tuple[SieHeader, list[YearPlan]]:
    """Only the header: the checks an upload can answer at once (org number, years, replace?)."""
    reader = SieReader(stream, strict=True)
    try:
        header = reader.read_header()
    except SieError as exc:
        raise broken(exc) from exc
    check_orgnr(company, header)
    plans, _notes = plan_years(company, header, replace=replace, replace_sources=replace_sources)
    return header, plans


# The columns queries filter, join and group by: statistics of texts and JSON cost ANALYZE
# most of its time and no plan uses them.
ANALYZED = {
    VoucherRow: ("fiscal_year_id", "voucher_id", "account_id", "kind", "period"),
    Voucher: ("id", "fiscal_year_id", "date", "series", "number"),
    PeriodSum: ("fiscal_year_id", "account_id", "period", "dimension", "object"),
}


def analyze() -> None:
    """PostgreSQL: fresh planner statistics for the tables an import fills."""
    tables = ", ".join(
        f"{model._meta.db_table} ({', '.join(columns)})" for model, columns in ANALYZED.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def clear(fiscal_year: FiscalYear) -> None:
    """Delete a year's content with plain DELETEs (no per-object cascade collection)."""
    for model in (PeriodSum, VoucherRow, Voucher, Balance, LedgerObject, Dimension, Account, VatCode):
        queryset = model.objects.filter(fiscal_year=fiscal_year)
        queryset._raw_delete(queryset.db)


def _write_chart(fiscal_year: FiscalYear, header: SieHeader, *, keep_accounts: bool = False) -> None:
    """The header's accounts, dimensions and objects. `keep_accounts`: a re-import, whose
    stored accounts stay (rows point at them) and get the file's names and types."""
    stored = {a.number: a for a in Account.objects.filter(fiscal_year=fiscal_year)} if keep_accounts else {}
    accounts, refreshed = [], []
    for account in header.accounts.values():
        if len(account.number) > 20:
            raise BrokenFile(
                account.line, _("the account number %(number)s is too long") % {"number": account.number}
            )
        kind = account.type if account.type in AccountType.values else bas.default_type(account.number)
        fields = {
            "name": account.name[:200],
            "type": kind,
            "sru": list(account.sru),
            "unit": (account.unit or "")[:20],
        }
        found = stored.get(account.number)
        if found is None:
            accounts.append(Account(fiscal_year=fiscal_year, number=account.number, **fields))
        elif any(getattr(found, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(found, name, value)
            refreshed.append(found)
    Account.objects.bulk_create(accounts, batch_size=1000)
    Account.objects.bulk_update(refreshed, ["name", "type", "sru", "unit"], batch_size=1000)
    dimensions = {
        number: Dimension(fiscal_year=fiscal_year, number=number[:20], name=dim.name[:200])
        for number, dim in header.dimensions.items()
    }
    for dim_number, _number in header.objects:
        dimensions.setdefault(dim_number, Dimension(fiscal_year=fiscal_year, number=dim_number[:20]))
    Dimension.objects.bulk_create(dimensions.values())
    children = []
    for number, dim in header.dimensions.items():
        if dim.parent and dim.parent in dimensions:
            dimensions[number].parent = dimensions[dim.parent]
            children.append(dimensions[number])
    Dimension.objects.bulk_update(children, ["parent"])
    LedgerObject.objects.bulk_create(
        [
            LedgerObject(
                fiscal_year=fiscal_year,
                dimension=dimensions[obj.dimension],
                number=obj.number[:40],
                name=obj.name[:200],
            )
            for obj in header.objects.values()
        ],
        batch_size=1000,
    )


def _write_balances(header: SieHeader, by_index: dict[int, FiscalYear], accounts: AccountIds) -> None:
    balances = []
    for balance in header.balances:
        fiscal_year = by_index.get(balance.year)
        if fiscal_year is None:
            continue  # a year the file does not date, or one left unchanged
        check_amount(balance.amount, balance.line)
        period = int(balance.period) if balance.period else None
        balances.append(
            Balance(
                fiscal_year=fiscal_year,
                kind=balance.kind,
                account_id=accounts.get(fiscal_year.pk, balance.account, balance.line),
                object_refs=[list(pair) for pair in balance.objects],
                period=period,
                amount=balance.amount,
                quantity=None if balance.quantity is None else round(balance.quantity, 6),
            )
        )
    Balance.objects.bulk_create(balances, batch_size=2000)


def import_sie(
    *,
    company: Company,
    stream: BinaryIO,
    source: str = Source.SIE,
    file_name: str = "",
    replace: bool = False,
    replace_sources: Collection[str] = (),
    ledger_import: LedgerImport | None = None,
    progress: Progress | None = None,
    note_kept_years: bool = True,
) -> ImportResult:
    """Load a SIE stream as the company's ledger. Raises ImportRefused (nothing changed)."""
    tap = _Tap(stream)
    reader = SieReader(tap, strict=True)  # type: ignore[arg-type]
    warnings: list[tuple[int, str]] = []

    def warn(line: int, message: str) -> None:
        warnings.append((line, message))

    duplicates: dict[int, list[dict[str, Any]]] = {}  # year index -> duplicate voucher numbers
    result_issues: dict[str, Any] = {}

    def finish(plans: list[YearPlan]) -> tuple[list[dict[str, Any]], int]:
        """Inside the final transaction: the loaded years' provenance, counts and warnings."""
        problems = [
            sie_messages.stored(p.line, sie_messages.describe(p.code, p.params, p.message), p.code, p.params)
            for p in reader.result().problems
            if p.severity == "warning" and p.code != "unbalanced"  # listed in voucher_issues
        ]
        all_warnings = [*(sie_messages.stored(line, message) for line, message in warnings), *problems]
        kept = all_warnings[:MAX_WARNINGS_KEPT]
        issues = voucher_issues(reader, duplicates)
        now = timezone.now()
        for plan in plans:
            fiscal_year = plan.fiscal_year
            if fiscal_year is None:
                continue
            fiscal_year.source = source
            fiscal_year.full_ledger = plan.index == 0 or plan.vouchers > 0
            fiscal_year.imported_at = now
            fiscal_year.ledger_import = ledger_import
            fiscal_year.file_name = file_name[:255]
            fiscal_year.file_sha256 = tap.hexdigest()
            fiscal_year.warnings = kept if plan.index == 0 else []
            fiscal_year.voucher_issues = issues.get(plan.index, {})
            fiscal_year.voucher_count = plan.vouchers
            fiscal_year.row_count = plan.rows
            fiscal_year.save()
        result_issues.update(issues.get(0, {}))
        return kept, len(all_warnings)

    try:
        header = reader.read_header()
        warnings += [(0, note) for note in check_orgnr(company, header)]
        options: dict[str, Any] = {
            "replace": replace,
            "replace_sources": replace_sources,
            "note_kept_years": note_kept_years,
        }
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            result, (kept, count) = staging.import_staged(
                company,
                reader,
                header,
                tap,
                source,
                warn,
                progress,
                options,
                finish,
                duplicates,
                staging.Steps(plan_years, load, clear),
            )
        else:
            with transaction.atomic():
                # Planned under the lock: a concurrent import of the same years has committed
                # by now, so a year it created is seen (and replaced only if allowed).
                lock_years(company, header)
                plans, notes = plan_years(company, header, **options)
                warnings += [(0, note) for note in notes]
                result = load(company, reader, header, plans, tap, source, warn, progress, duplicates)
                kept, count = finish(plans)
    except SieError as exc:
        raise broken(exc) from exc
    finally:
        tap.close()
    if connection.vendor == "postgresql" and result.rows_written >= ANALYZE_AFTER_ROWS:
        analyze()
    result.warnings = kept
    result.warning_count = count
    result.voucher_issues = result_issues
    result.sha256 = tap.hexdigest()
    return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the vouchers stream through. The reader makes
    millions of small objects, and every collection they trigger walks the heap (Django's
    included): measured, half the parse time in a worker process. An import makes no cycles
    to collect; its objects die by reference count, a batch at a time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(
    company: Company,
    reader: SieReader,
    header: SieHeader,
    plans: list[YearPlan],
    tap: _Tap,
    source: str,
    warn: Callable[[int, str], None],
    progress: Progress | None,
    duplicates: dict[int, list[dict[str, Any]]],
    *,
    staged: bool = False,
) -> ImportResult:
    """Vouchers, rows, chart and balances of the planned years. `staged`: into new hidden
    copies of the years (see staging.py), each step committed by itself."""
    loaded = [plan for plan in plans if plan.load]
    pools: dict[int, reimport.Pool] = {}  # years re-imported voucher by voucher (reimport.py)
    for plan in loaded:
        fiscal_year = plan.existing
        pool = None
        if staged:
            fiscal_year = FiscalYear.objects.create(
                company=company, start=plan.start, end=plan.end, staging=True, imported_at=timezone.now()
            )
            plan.fiscal_year = fiscal_year  # at once, so a failure below finds it to discard
        elif fiscal_year is None:
            fiscal_year = FiscalYear.objects.create(company=company, start=plan.start, end=plan.end)
        elif (pool := reimport.prepare(fiscal_year, source)) is not None:
            pools[fiscal_year.pk] = pool
        else:
            clear(fiscal_year)
        plan.fiscal_year = fiscal_year
        with transaction.atomic():
            _write_chart(fiscal_year, header, keep_accounts=pool is not None)
    accounts = AccountIds(warn)
    for plan in loaded:
        accounts.load(plan.fiscal_year.pk)  # type: ignore[union-attr]
    ranges = [(plan.start, plan.end, plan, plan.fiscal_year.pk if plan.fiscal_year else 0) for plan in plans]
    last = ranges[0]
    skipped = 0
    numbers: dict[tuple[int, str, str], int] = {}  # (year, series, number) -> its first #VER line
    loader = loader_for(source=source, accounts=accounts)
    loader.pools = pools
    if progress is not None:
        loader.on_flush = lambda: progress(tap.bytes, loader.vouchers, loader.rows)
    # The per-voucher work is kept to a few look-ups: in a re-import it is most of what is
    # not parsing. One loaded year (the usual file) takes its counts from the loader's.
    count_per_plan = len(loaded) > 1
    first_day, last_day, plan, year_id = last
    add = loader.add
    seen = numbers.setdefault
    # A re-import of one year: the reader skips the blocks stored unchanged (reimport.py).
    # Their numbers are checked against the parsed vouchers' afterwards (_cross_duplicates),
    # which needs every parsed voucher's number, not only the first of each.
    parsed: list[tuple[int, str, str]] = []
    skipping = False
    pool = pools.get(loaded[0].fiscal_year.pk) if len(loaded) == 1 else None  # type: ignore[union-attr]
    if pool is not None and pool.known and reader.skip_known(pool.known, pool.ids):
        skipping = True

        def seen(key: tuple[int, str, str], line: int) -> int:
            parsed.append((line, key[1], key[2]))
            return numbers.setdefault(key, line)

    with loader, _collector_paused():
        for voucher in reader.vouchers():
            day = voucher.date
            assert day is not None  # strict reading refuses a voucher without a valid date
            if not first_day <= day <= last_day:
                found = next((r for r in ranges if r[0] <= day <= r[1]), None)
                if found is None:
                    raise BrokenFile(
                        voucher.line,
                        _("the voucher %(voucher)s is dated %(date)s, outside the file's fiscal years")
                        % {"voucher": f"{voucher.series} {voucher.number}".strip(), "date": day},
                    )
                first_day, last_day, plan, year_id = found
            if not plan.load:
                skipped += 1
                continue
            line = voucher.line
            if voucher.number and (first := seen((plan.index, voucher.series, voucher.number), line)) != line:
                _note_duplicate(
                    duplicates.setdefault(plan.index, []), line, voucher.series, voucher.number, first
                )
            if count_per_plan:
                plan.vouchers += 1
                plan.rows += len(voucher.rows)
            add(year_id, voucher)
        loader.finish()
    if skipping:
        loader.add_unchanged(len(reader.skipped), reader.skipped_rows)
        if reader.skipped and parsed:
            _cross_duplicates(loaded[0], parsed, reader.skipped, duplicates)
    if not count_per_plan and loaded:
        loaded[0].vouchers, loaded[0].rows = loader.vouchers, loader.rows
    if skipped:
        warn(0, _("%(count)s vouchers of years left unchanged were not imported.") % {"count": skipped})
    # The header is final only now: balances (and late #KONTO) may follow the vouchers.
    with transaction.atomic():  # a savepoint inside the import's transaction, a commit when staged
        loader.write_sums(
            [plan.fiscal_year.pk for plan in loaded if plan.fiscal_year and plan.fiscal_year.pk not in pools]
        )
        for plan in loaded:
            if plan.fiscal_year is not None and plan.fiscal_year.pk in pools:
                reimport.finish(plan.fiscal_year, pools[plan.fiscal_year.pk], loader)
        _write_late(header, loaded, accounts)
    return ImportResult(
        years=[plan.fiscal_year for plan in loaded if plan.fiscal_year is not None],
        vouchers=loader.vouchers,
        rows=loader.rows,
        rows_written=loader.rows_written,
    )


def _note_duplicate(issues: list[dict[str, Any]], line: int, series: str, number: str, first: int) -> None:
    if len(issues) < MAX_ISSUES_KEPT:
        issues.append({"line": line, "voucher": f"{series} {number}".strip(), "first_line": first})
    else:
        issues[-1]["more"] = issues[-1].get("more", 0) + 1


def _cross_duplicates(
    plan: YearPlan,
    parsed: list[tuple[int, str, str]],
    skipped: dict[int, int],
    duplicates: dict[int, list[dict[str, Any]]],
) -> None:
    """A re-import whose reader skipped stored vouchers: when a skipped one has the number of
    a parsed one, the year's duplicate numbers again, as the file lists them (the skipped
    ones repeat no number among themselves: reimport.prepare)."""
    assert plan.fiscal_year is not None
    found = [
        (skipped[voucher_id], series, number)
        for voucher_id, series, number in reimport.numbered(plan.fiscal_year, parsed)
        if voucher_id in skipped
    ]
    if not found:
        return
    issues: list[dict[str, Any]] = []
    firsts: dict[tuple[str, str], int] = {}
    for line, series, number in sorted([*parsed, *found]):
        if (first := firsts.setdefault((series, number), line)) != line:
            _note_duplicate(issues, line, series, number, first)
    duplicates[plan.index] = issues


def _write_late(header: SieHeader, loaded: list[YearPlan], accounts: AccountIds) -> None:
    for plan in loaded:
        known = set(accounts.by_year[plan.fiscal_year.pk])  # type: ignore[union-attr]
        late = [a for number, a in header.accounts.items() if number not in known]
        if late:
            Account.objects.bulk_create(
                Account(
                    fiscal_year=plan.fiscal_year,
                    number=a.number,
                    name=a.name[:200],
                    type=a.type if a.type in AccountType.values else bas.default_type(a.number),
                    sru=list(a.sru),
                )
                for a in late
            )
            accounts.load(plan.fiscal_year.pk)  # type: ignore[union-attr]
    by_index = {plan.index: plan.fiscal_year for plan in loaded if plan.fiscal_year is not None}
    _write_balances(header, by_index, accounts)
