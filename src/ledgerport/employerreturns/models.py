"""A Norwegian company's a-melding for one month: the payroll summary (kept in the documented
CSV layout, which holds every field the pages edit), the delivery as sent, and the feedback.

One row per company and month. A draft is edited and sent; once the authority has answered,
editing opens a new draft that replaces the received return (erstatterMeldingsId) — the earlier
deliveries are kept in `history`.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel


class ReturnState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for feedback")
    ACCEPTED = "accepted", _("Received by the authority")
    REJECTED = "rejected", _("Rejected by the authority")


class EmployerReturn(TenantModel):
    scope_company_path: ClassVar[str] = "company"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="employer_returns")
    month = models.CharField(_("month"), max_length=7)  # kalendermaaned, YYYY-MM
    state = models.CharField(max_length=12, choices=ReturnState.choices, default=ReturnState.DRAFT)
    # The summary in the CSV layout of docs/a-melding-csv.md ("" until lines are added).
    summary_csv = models.TextField(blank=True)
    # The delivery being sent: fixed (with its key) when first sent, so that sending it again
    # after a failure or at the same time sends the same bytes under the same key.
    message_id = models.CharField(max_length=36, blank=True)  # meldingsId
    idempotency_key = models.UUIDField(null=True, blank=True)
    replaces = models.CharField(max_length=36, blank=True)  # erstatterMeldingsId
    leveranse_json = models.TextField(blank=True)  # as sent (exact amounts)
    reference = models.CharField(max_length=64, blank=True)  # the authority's forsendelseId
    feedback = models.JSONField(default=dict, blank=True)  # the tilbakemelding as received
    history = models.JSONField(default=list, blank=True)  # earlier deliveries of the month
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("a-melding")
        verbose_name_plural = _("a-meldinger")
        constraints = [
            models.UniqueConstraint(fields=["company", "month"], name="employer_return_company_month"),
            models.CheckConstraint(
                condition=models.Q(month__regex=r"^\d{4}-(0[1-9]|1[0-2])$"), name="employer_return_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} a-melding {self.month}"

    @staticmethod
    def new_key() -> uuid.UUID:
        return uuid.uuid4()
