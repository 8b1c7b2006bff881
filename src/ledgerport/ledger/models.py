"""The ledger of a company, one fiscal year at a time, as SIE 4 describes it.

Everything below a fiscal year (accounts, dimensions, vouchers, rows, balances) belongs to
that year: replacing a year's ledger is "delete the year's content, load the new one" in
one transaction. Amounts are NUMERIC(18, 2) (SIE allows at most two decimals); dates are
dates; a row's month is stored as YYYYMM so statements group by (account, month) on an index.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, TypedDict

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import ScopedQuerySet, TenantModel

from . import sources


class Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: Digits = {"max_digits": 18, "decimal_places": 2}
QUANTITY: Digits = {"max_digits": 20, "decimal_places": 6}


class Source(models.TextChoices):
    """The sources the ledger itself knows; providers add theirs (`sources.register`)."""

    SIE = sources.SIE, _("SIE file")
    SAFT = sources.SAFT, _("SAF-T file")


class AccountType(models.TextChoices):
    ASSET = "T", _("Asset")
    LIABILITY = "S", _("Liability or equity")
    COST = "K", _("Cost")
    INCOME = "I", _("Income")


class LiveYears(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Every reader's view: a year being loaded on SQLite (`staging`) is nobody's business yet."""

    def get_queryset(self) -> ScopedQuerySet:
        return super().get_queryset().filter(staging=False)


class FiscalYear(TenantModel):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="fiscal_years")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    # Where the ledger came from; null while the year has none (distinct from every source).
    source = models.CharField(  # noqa: DJ001
        _("source"), max_length=20, choices=sources.choices, null=True, blank=True
    )
    # True when the year's own ledger was loaded, False when only the balances another
    # year's file carries (#IB/#UB -1) are known. Only a full ledger needs confirmation
    # before it is replaced.
    full_ledger = models.BooleanField(default=False)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    ledger_import = models.ForeignKey(
        "LedgerImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # Unbalanced vouchers and duplicate voucher numbers the file had, with their lines:
    # {"unbalanced": [{line, voucher, sum}], "duplicates": [{line, voucher, first_line}], *_count}
    voucher_issues = models.JSONField(default=dict, blank=True)
    voucher_count = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    # On SQLite an import loads into a hidden copy of the year in short committed batches
    # and swaps it in at the end (importer.py); `objects` never shows such a copy.
    staging = models.BooleanField(default=False)

    objects: ClassVar[LiveYears] = LiveYears()
    all_objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "start"],
                condition=models.Q(staging=False),
                name="ledger_fiscal_year_unique_start",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="ledger_fiscal_year_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    @property
    def has_vouchers(self) -> bool:
        return self.voucher_count > 0


class Account(TenantModel):
    scope_company_path: ClassVar[str] = "fiscal_year__company"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="accounts")
    number = models.CharField(_("account"), max_length=20)
    name = models.CharField(_("name"), max_length=200, blank=True)
    # The file's #KTYP, else the BAS class's type; decides balance sheet vs income statement.
    type = models.CharField(_("type"), max_length=1, choices=AccountType.choices)
    sru = models.JSONField(default=list, blank=True)
    unit = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="ledger_account_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @property
    def is_balance_sheet(self) -> bool:
        return self.type in (AccountType.ASSET, AccountType.LIABILITY)


class Dimension(TenantModel):
    """#DIM, or #UNDERDIM when `parent` is set (a sub-dimension)."""

    scope_company_path: ClassVar[str] = "fiscal_year__company"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="dimensions")
    number = models.CharField(max_length=20)
    name = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="ledger_dimension_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class LedgerObject(TenantModel):
    """#OBJEKT: a cost centre, project ... in a dimension. Numbers are opaque strings."""

    scope_company_path: ClassVar[str] = "fiscal_year__company"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="objects_declared")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="objects_declared")
    number = models.CharField(max_length=40)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["dimension__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "number"], name="ledger_object_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class Voucher(TenantModel):
    scope_company_path: ClassVar[str] = "fiscal_year__company"

    # Indexed by (fiscal_year, date) below.
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="vouchers", db_index=False
    )
    series = models.CharField(_("series"), max_length=20, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True)
    date = models.DateField(_("date"))
    text = models.TextField(_("text"), blank=True)
    registered = models.DateField(_("registered"), null=True, blank=True)
    signature = models.TextField(_("signature"), blank=True)
    # Provenance: where the voucher came from and, for a file, its #VER line.
    source = models.CharField(max_length=20, choices=sources.choices)
    source_line = models.PositiveIntegerField(null=True, blank=True)
    # A hash of the voucher's content (loaders.py), so that a re-import of the year writes
    # only the vouchers that changed (reimport.py). Null on vouchers imported before it existed.
    fingerprint = models.BigIntegerField(null=True, blank=True)
    # A hash of the #VER block's text as the C reader read it (sie.Voucher.raw; None: none), so a
    # re-import can leave an unchanged block unparsed (reimport.py).
    raw_fingerprint = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["fiscal_year", "date"], name="ledger_voucher_year_date"),
            # A voucher by its natural key: its page, marking it in the review, and the review
            # queue, which starts from the year's document links and looks each voucher up here.
            models.Index(fields=["fiscal_year", "series", "number"], name="ledger_voucher_year_key"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.number}".strip() or str(self.pk)


class RowKind(models.TextChoices):
    """#TRANS rows are the voucher's final state; #RTRANS/#BTRANS are its correction history."""

    TRANS = "T", _("Row")
    ADDED = "R", _("Added row")
    REMOVED = "B", _("Removed row")


class VoucherRow(TenantModel):
    scope_company_path: ClassVar[str] = "fiscal_year__company"

    # A row is its voucher's row number `position`: that pair is the key (one index for the
    # key and the voucher's rows; a surrogate id would cost a second index on every import).
    pk = models.CompositePrimaryKey("voucher_id", "position")
    # fiscal_year and period are copies of the voucher's, so statements need no join.
    # A real foreign key to the voucher (deferred on PostgreSQL: the COPY writes rows before
    # their vouchers), whose own key is its year's, so no row can outlive either. The copies
    # of the year and the account are not constrained: each check costs about 3 µs a row
    # (a third of the import), and a row's year and account are its voucher's year's.
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="rows", db_index=False)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="rows", db_index=False, db_constraint=False
    )
    kind = models.CharField(max_length=1, choices=RowKind.choices, default=RowKind.TRANS)
    position = models.PositiveIntegerField(default=0)  # order within the voucher, history included
    amount = models.DecimalField(_("amount"), **MONEY)
    quantity = models.DecimalField(_("quantity"), **QUANTITY, null=True, blank=True)
    transaction_date = models.DateField(null=True, blank=True)  # #TRANS transdat; None = voucher date
    period = models.PositiveIntegerField()  # YYYYMM of the voucher date
    text = models.TextField(blank=True)
    signature = models.TextField(blank=True)
    # [[dimension, object], ...], null when none (most rows); not "objects", the manager's name.
    object_refs = models.JSONField(null=True, blank=True)
    # The row's own VAT code as the source states it (SAF-T TaxInformation/TaxCode; its
    # standard code is the year's VatCode). A database default, so the COPY loader, which
    # names its columns, needs no change.
    vat_code = models.CharField(_("VAT code"), max_length=20, blank=True, default="", db_default="")

    class Meta:
        ordering = ["voucher_id", "position"]
        indexes = [
            models.Index(fields=["fiscal_year", "account", "period"], name="ledger_row_year_account_month"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"


class PeriodSum(TenantModel):
    """The #TRANS rows of a year summed per account × month, and per account × month × object.

    Written by the import in its own transaction (period_sums.py), so statements and account
    pages read a few thousand of these instead of every row. `dimension` and `object` are
    empty on the account's own line; a row carrying objects also adds to one line per object
    it names. Debit and credit are kept apart (the general ledger shows both).
    """

    scope_company_path: ClassVar[str] = "fiscal_year__company"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.PositiveIntegerField()  # YYYYMM
    dimension = models.CharField(max_length=20, blank=True)
    object = models.CharField(max_length=40, blank=True)
    debit = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    credit = models.DecimalField(max_digits=20, decimal_places=2, default=0)  # negative or zero
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "account", "period", "dimension", "object"],
                name="ledger_period_sum_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.period} {self.debit} {self.credit}"

    @property
    def amount(self) -> Decimal:
        return self.debit + self.credit


class VatCode(TenantModel):
    """A year's own VAT code and what it means (SAF-T TaxTable): the standard code
    (Skatteetaten's StandardTaxCode, the mva-melding's mvaKode), rate and deductible shares."""

    scope_company_path: ClassVar[str] = "fiscal_year__company"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="vat_codes")
    code = models.CharField(_("VAT code"), max_length=20)
    description = models.CharField(max_length=200, blank=True)
    standard_code = models.CharField(max_length=20, blank=True)
    percentage = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    base_rates = models.JSONField(default=list, blank=True)  # ["100", "70"]: deductible shares, %

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="ledger_vat_code_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}".strip()


class BalanceKind(models.TextChoices):
    OPENING = "IB", _("Opening balance")
    CLOSING = "UB", _("Closing balance")
    RESULT = "RES", _("Result")
    OBJECT_OPENING = "OIB", _("Opening balance per object")
    OBJECT_CLOSING = "OUB", _("Closing balance per object")
    PERIOD = "PSALDO", _("Period balance")
    BUDGET = "PBUDGET", _("Period budget")


class Balance(TenantModel):
    """#IB #UB #RES per account, #OIB #OUB per object, #PSALDO #PBUDGET per month (YYYYMM)."""

    scope_company_path: ClassVar[str] = "fiscal_year__company"

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="balances", db_index=False
    )
    kind = models.CharField(max_length=7, choices=BalanceKind.choices)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="balances", db_index=False)
    object_refs = models.JSONField(default=list, blank=True)
    period = models.PositiveIntegerField(null=True, blank=True)
    amount = models.DecimalField(**MONEY)
    quantity = models.DecimalField(**QUANTITY, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["fiscal_year", "kind", "account"], name="ledger_balance_year_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.account_id} {self.amount}"


class ImportStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "confirm", _("Awaiting confirmation")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    SUCCEEDED = "succeeded", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def _import_path(instance: LedgerImport, filename: str) -> str:
    return f"ledger/imports/{instance.company_id}/{timezone.now():%Y/%m}/{filename}"


class LedgerImport(TenantModel):
    """One upload of a SIE file and its import job: progress counters, outcome, the stored file."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="ledger_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    source = models.CharField(max_length=20, choices=sources.choices, default=Source.SIE)
    file = models.FileField(upload_to=_import_path, max_length=500)
    file_name = models.CharField(max_length=255)
    file_size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    replace = models.BooleanField(default=False)  # the user confirmed replacing a year's ledger
    question = models.TextField(blank=True)  # what the user is asked before replacing
    bytes_done = models.BigIntegerField(default=0)
    vouchers_done = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    voucher_issues = models.JSONField(default=dict, blank=True)  # as on FiscalYear, of the file's year
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched every few seconds while a worker runs the job: a RUNNING job whose heartbeat
    # stopped lost its worker (killed, or the broker never redelivers) and is failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    retryable = models.BooleanField(default=False)  # failed for a reason a new try may not meet

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED, ImportStatus.CANCELLED)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.SUCCEEDED:
            return 100
        if not self.file_size:
            return 0
        return min(99, int(100 * self.bytes_done / self.file_size))
