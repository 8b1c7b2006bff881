"""A Norwegian SAF-T Financial file becomes the company's ledger for its fiscal year, atomically.

The counterpart of `importer.import_sie`, into the same tables, with the same guarantees: the
file is validated against its XSD first (a pass of its own, streaming), then read once more,
streaming, and written in one transaction; any refusal or error leaves the database as it was.
The years are planned, locked and replaced exactly as a SIE file's (`plan_years`,
`lock_years`: a SIE and a SAF-T import of the same year wait for each other, and a year that
has a ledger is replaced only when confirmed).

Mapping: a Journal is a voucher series (JournalID), a Transaction a voucher (TransactionID,
TransactionDate, Description, SystemEntryDate), a Line a row (debit positive, credit negative,
its own VAT code in `VoucherRow.vat_code`, Analysis as objects of dimensions from the
AnalysisTypeTable). The TaxTable becomes the year's VatCodes (own code -> standard code),
stated opening balances IB, stated closing balances UB (balance sheet) or RES (result).

The fiscal year: an existing year of the company that holds the file's selection; else the
twelve months from the company's first month (`fiscal_year_start_month`, January for most
Norwegian companies) that hold it (a file of some months fills its year); else the selection
itself (a first or changed year of up to 18 months).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection
from typing import Any, BinaryIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport import saft, sie
from ledgerport.tenancy.models import Company

from . import bas, period_sums, saft_messages
from .errors import BrokenFile
from .import_plan import ImportResult, YearPlan
from .importer import check_orgnr, clear, lock_years, plan_years
from .loaders import check_amount
from .models import (
    Account,
    AccountType,
    Balance,
    BalanceKind,
    Dimension,
    FiscalYear,
    LedgerImport,
    LedgerObject,
    RowKind,
    Source,
    VatCode,
    Voucher,
    VoucherRow,
)

BATCH = 2000  # transactions per batch written
VOUCHER_FIELDS = (
    "fiscal_year_id", "series", "number", "date", "text", "registered", "signature", "source", "source_line",
)  # fmt: skip
ROW_FIELDS = (
    "fiscal_year_id", "voucher_id", "account_id", "kind", "position", "amount", "quantity", "transaction_date",
    "period", "text", "signature", "object_refs", "vat_code",
)  # fmt: skip
MAX_WARNINGS_KEPT = 200
MAX_SPAN_DAYS = 18 * 31  # a first or changed fiscal year may run up to 18 months
Progress = Callable[[int, int, int], None]  # bytes read, vouchers, rows

# næringsspesifikasjon's categories (1.30) -> the ledger's account types.
_TYPES = {
    "balanseverdiForAnleggsmiddel": AccountType.ASSET,
    "balanseverdiForOmloepsmiddel": AccountType.ASSET,
    "egenkapital": AccountType.LIABILITY,
    "langsiktigGjeld": AccountType.LIABILITY,
    "kortsiktigGjeld": AccountType.LIABILITY,
    "salgsinntekt": AccountType.INCOME,
    "annenDriftsinntekt": AccountType.INCOME,
    "finansinntekt": AccountType.INCOME,
    "varekostnad": AccountType.COST,
    "loennskostnad": AccountType.COST,
    "annenDriftskostnad": AccountType.COST,
    "finanskostnad": AccountType.COST,
    "skattekostnad": AccountType.COST,
}


class BrokenSaft(BrokenFile):
    """A SAF-T file refused at a line and element; the message names both."""

    def __init__(self, line: int, element: str, detail: str) -> None:
        super().__init__(line, detail)
        self.element = element
        self.message = saft_messages.message(line, element, "", {}, detail)
        self.args = (self.message,)


def refused(error: saft.SaftError) -> BrokenSaft:
    """The library's error in the user's language."""
    return BrokenSaft(
        error.line, error.element, saft_messages.describe(error.code, error.params, error.message)
    )


def account_type(account: saft.Account | None, number: str) -> str:
    if account is not None and account.grouping_category in _TYPES:
        return _TYPES[account.grouping_category]
    return bas.default_type(number)  # NS 4102 has BAS's classes: 1 assets, 2 equity/debt, 3 income


def year_of(company: Company, header: saft.Header, checked: saft.Checked) -> tuple[dt.date, dt.date]:
    """The fiscal year the file is loaded into (see the module's note)."""
    start = header.period_start or checked.first_date
    end = header.period_end or checked.last_date
    if start is None or end is None:
        raise BrokenSaft(
            header.line,
            "SelectionCriteria",
            _("the file states no period (SelectionCriteria) and has no transactions to date it by"),
        )
    holding = FiscalYear.objects.filter(company=company, start__lte=start, end__gte=end).first()
    if holding is not None:
        return holding.start, holding.end
    month = company.fiscal_year_start_month or 1
    first_year = start.year if start.month >= month else start.year - 1
    year_start = dt.date(first_year, month, 1)
    next_start = dt.date(first_year + 1, month, 1) if month > 1 else dt.date(first_year + 1, 1, 1)
    if end < next_start:
        return year_start, next_start - dt.timedelta(days=1)
    if (end - start).days > MAX_SPAN_DAYS:
        raise BrokenSaft(
            header.line,
            "SelectionCriteria",
            _("the file covers %(start)s – %(end)s, more than one fiscal year; export one year at a time")
            % {"start": start, "end": end},
        )
    return start, end  # a first or changed fiscal year, longer than twelve months


def _sie_header(header: saft.Header, start: dt.date, end: dt.date) -> sie.SieHeader:
    """What the shared planning reads of a file: its org number, name and current year."""
    return sie.SieHeader(
        orgnr=header.orgnr, company_name=header.name, fiscal_years={0: sie.FiscalYear(0, start, end)}
    )


def looks_like_saft(head: bytes) -> bool:
    """The first bytes of an upload: XML whose root is an AuditFile (SIE is text, or SIE 5's <Sie>)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<") and b"AuditFile" in head


def _rewind(stream: BinaryIO) -> None:
    stream.seek(0)


def _sha256(stream: BinaryIO) -> str:
    _rewind(stream)
    digest = hashlib.sha256()
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    _rewind(stream)
    return digest.hexdigest()


def read_saft_plan(
    *, company: Company, stream: BinaryIO, replace: bool = False, replace_sources: Collection[str] = ()
) -> tuple[saft.Header, list[YearPlan]]:
    """The checks an upload can answer at once: a SAF-T file at all, org number, year, replace?"""
    try:
        saft.sniff(stream)
        reader = saft.SaftReader(stream)
        header = reader.read_header()
        checked = saft.Checked(declared=header.version, schema="")
        if header.period_start is None or header.period_end is None:
            checked = saft.check(stream)  # the dates of its transactions: a full pass
    except saft.SaftError as exc:
        raise refused(exc) from exc
    start, end = year_of(company, header, checked)
    sie_header = _sie_header(header, start, end)
    check_orgnr(company, sie_header)
    plans, _notes = plan_years(company, sie_header, replace=replace, replace_sources=replace_sources)
    return header, plans


class _Writer:
    """Vouchers and rows in batches (bulk_create: both databases return the new ids)."""

    def __init__(self, fiscal_year: FiscalYear, accounts: dict[str, int], source: str, warn: Any) -> None:
        self.fiscal_year = fiscal_year
        self.accounts = accounts
        self.source = source
        self.warn = warn
        self.pending: list[saft.Transaction] = []
        self.dates: list[dt.date] = []
        self.vouchers = 0
        self.rows = 0
        self.totals = period_sums.Totals()

    def account(self, number: str, line: int) -> int:
        found = self.accounts.get(number)
        if found is None:
            if len(number) > 20:
                raise BrokenSaft(
                    line, "AccountID", _("the account number %(number)s is too long") % {"number": number}
                )
            created = Account.objects.create(
                fiscal_year=self.fiscal_year, number=number, type=bas.default_type(number)
            )
            found = self.accounts[number] = int(created.pk)
            self.warn(
                line,
                _("Account %(number)s is used but not listed in GeneralLedgerAccounts") % {"number": number},
            )
        return found

    def add(self, entry: saft.Transaction, day: dt.date) -> None:
        self.pending.append(entry)
        self.dates.append(day)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        fiscal_year_id = self.fiscal_year.pk
        entries = list(zip(self.pending, self.dates, strict=True))
        vouchers = [
            (
                fiscal_year_id,
                entry.journal[:20],
                entry.id[:40],
                day,
                entry.description,
                entry.entry_date,
                "",
                self.source,
                entry.line or None,
            )
            for entry, day in entries
        ]
        ids = self._write_vouchers(vouchers)
        rows = []
        add_sum = self.totals.add
        for voucher_id, (entry, day) in zip(ids, entries, strict=True):
            period = day.year * 100 + day.month
            for position, line in enumerate(entry.lines):
                check_amount(line.amount, line.line)
                account_id = self.account(line.account, line.line)
                refs = tuple((kind[:20], number[:40]) for kind, number in line.analysis if kind and number)
                add_sum(fiscal_year_id, account_id, period, line.amount, refs)
                value_date = line.value_date if line.value_date not in (None, day) else None
                rows.append(
                    (fiscal_year_id, voucher_id, account_id, RowKind.TRANS.value, position, line.amount, None,
                     value_date, period, line.description, "", [list(pair) for pair in refs] or None,
                     line.tax_code[:20])
                )  # fmt: skip
        self._write_rows(rows)
        self.vouchers += len(vouchers)
        self.rows += len(rows)
        self.pending, self.dates = [], []

    @staticmethod
    def _write_vouchers(vouchers: list[tuple[Any, ...]]) -> list[int]:
        """The vouchers stored; their ids in order. PostgreSQL: ids from the sequence, then COPY
        (the ORM's bulk insert costs four times the parsing)."""
        if connection.vendor != "postgresql":
            created = Voucher.objects.bulk_create(
                Voucher(**dict(zip(VOUCHER_FIELDS, v, strict=True))) for v in vouchers
            )
            return [int(voucher.pk) for voucher in created]
        table = Voucher._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(vouchers)],
            )
            ids = [int(found[0]) for found in cursor.fetchall()]
            with cursor.copy(f"COPY {table} (id, {', '.join(VOUCHER_FIELDS)}) FROM STDIN") as copy:
                for voucher_id, voucher in zip(ids, vouchers, strict=True):
                    copy.write_row((voucher_id, *voucher))
        return ids

    @staticmethod
    def _write_rows(rows: list[tuple[Any, ...]]) -> None:
        if connection.vendor != "postgresql":
            VoucherRow.objects.bulk_create(
                (VoucherRow(**dict(zip(ROW_FIELDS, row, strict=True))) for row in rows), batch_size=2000
            )
            return
        columns = ", ".join(ROW_FIELDS)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {VoucherRow._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                refs = row[11]
                copy.write_row((*row[:11], None if refs is None else json.dumps(refs), row[12]))


def _write_chart(fiscal_year: FiscalYear, reader: saft.SaftReader) -> dict[str, int]:
    accounts = []
    for number, account in reader.accounts.items():
        if len(number) > 20:
            raise BrokenSaft(
                account.line, "AccountID", _("the account number %(number)s is too long") % {"number": number}
            )
        accounts.append(
            Account(
                fiscal_year=fiscal_year,
                number=number,
                name=account.description[:200],
                type=account_type(account, number),
            )
        )
    Account.objects.bulk_create(accounts, batch_size=1000)
    VatCode.objects.bulk_create(
        VatCode(
            fiscal_year=fiscal_year,
            code=code.code[:20],
            description=code.description[:200],
            standard_code=code.standard_code[:20],
            percentage=code.percentage,
            base_rates=[str(rate) for rate in code.base_rates],
        )
        for code in reader.tax_codes.values()
    )
    dimensions: dict[str, Dimension] = {}
    for entry in reader.analysis.values():
        if entry.type and entry.type[:20] not in dimensions:
            dimensions[entry.type[:20]] = Dimension(
                fiscal_year=fiscal_year, number=entry.type[:20], name=entry.type_description[:200]
            )
    Dimension.objects.bulk_create(dimensions.values())
    LedgerObject.objects.bulk_create(
        LedgerObject(
            fiscal_year=fiscal_year,
            dimension=dimensions[entry.type[:20]],
            number=entry.id[:40],
            name=entry.description[:200],
        )
        for entry in reader.analysis.values()
        if entry.type and entry.id
    )
    return dict(Account.objects.filter(fiscal_year=fiscal_year).values_list("number", "id"))


def _write_balances(fiscal_year: FiscalYear, reader: saft.SaftReader, writer: _Writer) -> None:
    """The balances the file states (none are made up: the ledger computes the rest)."""
    balances = []
    for number, account in reader.accounts.items():
        account_id = writer.accounts[number]
        kind = account_type(account, number)
        if account.opening is not None and account.opening != 0:
            check_amount(account.opening, account.line)
            balances.append(
                Balance(
                    fiscal_year=fiscal_year,
                    kind=BalanceKind.OPENING,
                    account_id=account_id,
                    amount=account.opening,
                )
            )
        if account.closing is not None:
            check_amount(account.closing, account.line)
            closing = (
                BalanceKind.CLOSING
                if kind in (AccountType.ASSET, AccountType.LIABILITY)
                else BalanceKind.RESULT
            )
            balances.append(
                Balance(fiscal_year=fiscal_year, kind=closing, account_id=account_id, amount=account.closing)
            )
    Balance.objects.bulk_create(balances, batch_size=2000)


def _problem(line: int, element: str, code: str, message: str, params: dict[str, str]) -> dict[str, Any]:
    return {"line": line, "message": saft_messages.message(0, element, code, params, message)}


def import_saft(
    *,
    company: Company,
    stream: BinaryIO,
    source: str = Source.SAFT,
    file_name: str = "",
    replace: bool = False,
    replace_sources: Collection[str] = (),
    ledger_import: LedgerImport | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Load a SAF-T Financial stream (seekable) as the company's ledger. Raises ImportRefused."""
    warnings: list[dict[str, Any]] = []

    def warn(line: int, message: str) -> None:
        warnings.append({"line": line, "message": message})

    try:
        checked = saft.check(stream)
        warnings += [_problem(*found) for found in checked.warnings]
        sha256 = _sha256(stream)
        reader = saft.SaftReader(stream, strict=True)
        header = reader.read_header()
        reader.read_master()
        start, end = year_of(company, header, checked)
        sie_header = _sie_header(header, start, end)
        for note in check_orgnr(company, sie_header):
            warn(0, note)
        with transaction.atomic():
            # Planned under the lock: a concurrent import of the year has committed by now.
            lock_years(company, sie_header)
            plans, notes = plan_years(company, sie_header, replace=replace, replace_sources=replace_sources)
            for note in notes:
                warn(0, note)
            plan = plans[0]
            fiscal_year = plan.existing
            if fiscal_year is None:
                fiscal_year = FiscalYear.objects.create(company=company, start=start, end=end)
            else:
                clear(fiscal_year)
            writer = _Writer(fiscal_year, _write_chart(fiscal_year, reader), source, warn)
            numbers: dict[tuple[str, str], int] = {}
            duplicates: list[dict[str, Any]] = []
            for entry in reader.transactions():
                day = entry.date
                if not start <= day <= end:
                    if entry.posting_date is not None and start <= entry.posting_date <= end:
                        day = entry.posting_date  # dated by its document, posted in the year
                    else:
                        raise BrokenSaft(
                            entry.line,
                            "TransactionDate",
                            _(
                                "the transaction %(voucher)s is dated %(date)s, outside the fiscal year %(start)s – %(end)s"
                            )
                            % {
                                "voucher": f"{entry.journal}/{entry.id}",
                                "date": entry.date,
                                "start": start,
                                "end": end,
                            },
                        )
                first = numbers.setdefault((entry.journal, entry.id), entry.line)
                if first != entry.line and len(duplicates) < 500:
                    duplicates.append(
                        {"line": entry.line, "voucher": f"{entry.journal} {entry.id}", "first_line": first}
                    )
                writer.add(entry, day)
                if progress is not None and len(writer.pending) == 1:
                    progress(stream.tell() if hasattr(stream, "tell") else 0, writer.vouchers, writer.rows)
            writer.flush()
            period_sums.write([fiscal_year.pk], writer.totals)
            _write_balances(fiscal_year, reader, writer)
            warnings += [
                _problem(p.line, p.element, p.code, p.message, p.params)
                for p in reader.problems
                if p.severity == "warning"
            ]
            kept = warnings[:MAX_WARNINGS_KEPT]
            issues: dict[str, Any] = {}
            if duplicates:
                issues = {"duplicates": duplicates, "duplicate_count": len(duplicates)}
            fiscal_year.source = source
            fiscal_year.full_ledger = True
            fiscal_year.imported_at = timezone.now()
            fiscal_year.ledger_import = ledger_import
            fiscal_year.file_name = file_name[:255]
            fiscal_year.file_sha256 = sha256
            fiscal_year.warnings = kept
            fiscal_year.voucher_issues = issues
            fiscal_year.voucher_count = writer.vouchers
            fiscal_year.row_count = writer.rows
            fiscal_year.save()
    except saft.SaftError as exc:
        raise refused(exc) from exc
    return ImportResult(
        years=[fiscal_year],
        vouchers=writer.vouchers,
        rows=writer.rows,
        warnings=kept,
        warning_count=len(warnings),
        voucher_issues=issues,
        sha256=sha256,
        rows_written=writer.rows,
    )
