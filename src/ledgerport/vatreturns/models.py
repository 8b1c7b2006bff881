"""A Norwegian company's VAT return (mva-melding) for a term: the draft as computed from the
ledger, the melding XML exactly as validated and sent, and the authority's feedback."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VALIDATED = "validated", _("Validated")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class VatReturn(TenantModel):
    """One per company, year and term (term 0 = the annual term). `lines` are the draft's lines
    as shown ({"code", "own_code", "description", "kind", "base", "rate", "vat"}: amounts as
    strings); `problems` the local validation's ({"line", "path", "reason", "rule"})."""

    scope_company_path: ClassVar[str] = "company"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="vat_returns")
    year = models.PositiveIntegerField(_("year"))
    term = models.PositiveSmallIntegerField(_("term"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    # The draft.
    lines = models.JSONField(default=list)
    total = models.DecimalField(_("VAT to pay"), **MONEY, default=0)
    ledger_total = models.DecimalField(_("VAT accounts"), **MONEY, default=0)
    reconciliation = models.JSONField(default=list)  # [{"account", "amount", "uncoded"}]
    unmapped = models.JSONField(default=list)  # [[own code, amount]]
    problems = models.JSONField(default=list)
    reference = models.CharField(max_length=60)  # regnskapssystemsreferanse, new per computation
    melding_xml = models.TextField(blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    # The authority's validation (before submitting).
    validation_xml = models.TextField(blank=True)
    validation_status = models.CharField(max_length=40, blank=True)
    validation_deviations = models.JSONField(default=list)  # [{"path", "code", "line", "reasons"}]
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    # The submission and its feedback.
    envelope_xml = models.TextField(blank=True)
    authority_reference = models.CharField(max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback_note = models.CharField(max_length=200, blank=True)  # why polling stopped, if it did
    payment_kid = models.CharField(_("KID"), max_length=40, blank=True)
    payment_amount = models.DecimalField(_("amount"), **MONEY, null=True, blank=True)
    payment_due = models.DateField(_("due date"), null=True, blank=True)
    payment_account = models.CharField(_("account number"), max_length=20, blank=True)
    payment_xml = models.TextField(blank=True)
    receipt_pdf = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["-year", "-term"]
        constraints = [
            models.UniqueConstraint(fields=["company", "year", "term"], name="vat_return_one_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.company} mva {self.year}-{self.term}"

    @property
    def locked(self) -> bool:
        """Sent to the authority: no longer recomputed."""
        return self.state in (State.SUBMITTED, State.ACCEPTED, State.REJECTED)
