"""What the firm publishes to a client's archive each month: tax-payment summaries (Dokument ›
year › Tax Agency › the month the amount is due) and balance and income reports (› Rapporter ›
the month, the quarter's last for quarterly filers). One row per company and month each; the
filed PDF is the archive entry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.cases.models import Case
from ledgerport.documents.models import ArchiveEntry
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class SummarySource(models.TextChoices):
    SYNCED = "synced", _("Synced from the Tax Agency")
    FIRM = "firm", _("Entered by the firm")


class TaxPaymentSummary(TenantModel):
    """One month's payment to the tax account: `amount` positive = to pay, negative = to get back.
    `lines` is what the payment concerns: [{"text": …, "amount": "…"}] (amounts as strings, the
    debits positive)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="tax_payment_summaries")
    month = models.DateField(_("month"))  # the first day of the month the amount is due in
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    ocr = models.CharField(_("OCR number"), max_length=20)
    source = models.CharField(max_length=20, choices=SummarySource.choices)
    lines = models.JSONField(default=list)
    entry = models.ForeignKey(ArchiveEntry, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # 1 as first published; each correction files a new PDF (the old one stays, replaced).
    version = models.PositiveSmallIntegerField(default=1)
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["company", "month"], name="tax_payment_one_per_month")]

    def __str__(self) -> str:
        return f"{self.company} tax payment {self.month:%Y-%m}"


class ReportPublication(TenantModel):
    """A month's balance and income report as last published, by the SHA-256 of its PDF: the same
    ledger published again files nothing new."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="report_publications")
    month = models.DateField(_("month"))  # the first day of the reported month
    sha256 = models.CharField(max_length=64)
    entry = models.ForeignKey(ArchiveEntry, on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["company", "month"], name="report_one_per_month")]

    def __str__(self) -> str:
        return f"{self.company} report {self.month:%Y-%m}"
