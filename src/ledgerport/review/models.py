"""One person's verdict on one voucher. Keyed on the voucher's natural key (fiscal year,
series, number), like document links, so a ledger re-import keeps the review state."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.scoping import TenantModel


class ReviewStatus(models.TextChoices):
    REVIEWED = "reviewed", _("Reviewed")
    FLAGGED = "flagged", _("Flagged")


class VoucherReview(TenantModel):
    scope_company_path: ClassVar[str] = "fiscal_year__company"

    fiscal_year = models.ForeignKey("ledger.FiscalYear", on_delete=models.CASCADE, related_name="reviews")
    series = models.CharField(max_length=20, blank=True)
    number = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voucher_reviews"
    )
    status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "series", "number", "user"], name="voucher_review_one_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}{self.number}: {self.status}"
