"""What the analyses keep: the tax checks' outcome per fiscal year, for the client list's lights."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel


class TaxCheckSummary(TenantModel):
    """How many differences the tax checks of a fiscal year found when last computed
    (`services.tax_check_summaries_refresh`); the client list reads these, not the checks."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="tax_check_summaries")
    fiscal_year = models.OneToOneField(FiscalYear, on_delete=models.CASCADE, related_name="+")
    findings = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.company} {self.fiscal_year}: {self.findings}"
