"""Payroll runs (lönekörningar): the firm's payroll for one month, attested by the client.

A run is created with the preliminary payslips and the payout list, which become the files
for approval of a PAYROLL case (subject `payroll:<pk>`). After payout the firm files the final
payslips and the bank list into the archive under the month of PAYOUT and the run is done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.cases.models import Case
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel


class RunStatus(models.TextChoices):
    ATTESTATION = "attestation", _("Waiting for attestation")
    DONE = "done", _("Paid out and filed")


class PayrollRun(TenantModel):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="payroll_runs")
    # The month worked, as its first day.
    period = models.DateField(_("month worked"))
    payout_date = models.DateField(_("payout date"))
    case = models.OneToOneField(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.ATTESTATION)
    # The archive's month folder the final files went into ("2026/payroll/08").
    folder = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-pk"]
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        constraints = [
            models.CheckConstraint(condition=models.Q(period__day=1), name="payroll_period_first_of_month")
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.period:%Y-%m}"
