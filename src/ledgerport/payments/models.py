"""A payment file the firm uploaded for a company, with the summary read from it.

The file itself is stored once, as the case's file for approval (`Case` of kind
PAYMENT_FILE, subject `payment_file:<pk>`); the summary is kept as read so the page never
parses the file again. Approval is the client's word that they approved the file in their
bank: who and when are kept here, the case's status follows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.cases.models import Case
from ledgerport.documents.models import Document
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel


class PaymentFile(TenantModel):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="payment_files")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, null=True, related_name="payment_file")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    message_id = models.CharField(_("message id"), max_length=35)
    number_of_transactions = models.PositiveIntegerField(_("payments"))
    control_sum = models.DecimalField(_("total"), max_digits=20, decimal_places=2)
    # The batches and payments as read (amounts as decimal strings): see `summary_of`.
    summary = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["company", "-uploaded_at"], name="paymentfile_company_time")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def batches(self) -> list[dict[str, Any]]:
        """The stored summary with amounts as Decimal again."""
        return [
            {
                **batch,
                "total": Decimal(batch["total"]),
                "payments": [{**p, "amount": Decimal(p["amount"])} for p in batch["payments"]],
            }
            for batch in self.summary.get("batches", [])
        ]

    @property
    def currencies(self) -> list[str]:
        return list(self.summary.get("currencies", []))
