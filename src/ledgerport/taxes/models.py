"""A company's tax account and its employer declarations, as the tax authority reports them.

Provider-neutral: the rows are what the tax authority's APIs said (the Swedish tax account
and the employer-declaration periods), with provenance (the connection and when it was fetched).

Sign convention: amounts on the tax account are in the authority's sign, **negative = a debt
to the authority** (a debit such as "Arbetsgivaravgift mars 2026" is negative, a payment in is
positive). That is the same sign as the ledger's account 1630, where a debit (positive) is a
claim on the tax account; only the declarations' totals (stated positive) are turned.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.scoping import TenantModel

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class TaxAccountTransaction(TenantModel):
    """One row of the tax account: booked (tidigare) or upcoming (kommande)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="tax_account_transactions")
    # The authority's stable id of a booked row (transaktionsidentitet); may be empty on upcoming rows.
    ident = models.CharField(max_length=64, blank=True)
    booked = models.DateField(_("date"))  # transaktionsdatum
    interest_date = models.DateField(null=True, blank=True)  # ranteberakningsdatum
    due = models.DateField(null=True, blank=True)  # forfallodatum (upcoming rows)
    text = models.CharField(_("text"), max_length=300)
    # Negative = debt to the tax authority (see the module's docstring).
    amount = models.DecimalField(_("amount"), **MONEY)
    upcoming = models.BooleanField(default=False)
    connection = models.ForeignKey(
        "connectors.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "ident"],
                condition=Q(upcoming=False),
                name="tax_account_booked_ident_unique",
            )
        ]
        indexes = [models.Index(fields=["company", "booked"])]

    def __str__(self) -> str:
        return f"{self.booked} {self.text} {self.amount}"


class TaxAccountSnapshot(TenantModel):
    """The account's balance as last fetched (one row per company, the latest fetch)."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="tax_account_snapshot")
    balance = models.DecimalField(**MONEY)  # the authority's balance; negative = debt
    interest = models.DecimalField(**MONEY, default=0)  # interest accrued, not yet booked
    ocr = models.CharField(max_length=20, blank=True)  # the account's OCR number for payments
    reconciled_on = models.DateField(null=True, blank=True)  # nastaAvstamningsdatum
    updated_at_source = models.DateTimeField(null=True, blank=True)  # senastUppdaterad
    connection = models.ForeignKey(
        "connectors.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.company} tax account {self.balance}"


class EmployerDeclaration(TenantModel):
    """One month's employer declaration (AGI) at company level: its receipt and its totals."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="employer_declarations")
    period = models.DateField(_("period"))  # the first day of the declared month
    employer_contributions = models.DecimalField(**MONEY)  # SummaArbAvgSlf, positive
    deducted_tax = models.DecimalField(**MONEY)  # SummaSkatteavdr, positive
    individual_count = models.PositiveIntegerField(default=0)  # antalIu
    receipt_id = models.CharField(max_length=64, blank=True)  # uuidKvittens
    # The signatory's personnummer is personal data: kept Fernet-encrypted (identity.personnummer).
    signed_by_ciphertext = models.TextField(blank=True, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True)
    connection = models.ForeignKey(
        "connectors.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fetched_at = models.DateTimeField(default=timezone.now)

    scope_company_path: ClassVar[str] = "company"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "period"], name="employer_declaration_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.company} AGI {self.period:%Y-%m}"


class VatPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annually (the fiscal year)")


class TaxProfile(TenantModel):
    """What a company's due dates depend on, as the firm recorded it: its VAT period, whether its
    VAT taxable base exceeds 40 MSEK ("large": monthly VAT on the 26th, AGI declared on the 26th,
    August's payment on the 12th) and, for annual VAT, whether it is filed with the income tax
    return (no EU trade). Without a row the checks assume what `analysis.tax_profile` says."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="tax_profile")
    vat_period = models.CharField(
        _("VAT period"), max_length=10, choices=VatPeriod.choices, default=VatPeriod.QUARTERLY
    )
    large = models.BooleanField(_("VAT taxable base over 40 MSEK"), default=False)
    annual_vat_with_income_return = models.BooleanField(
        _("Annual VAT filed with the income tax return (no EU trade)"), default=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.company} tax profile {self.vat_period}{' large' if self.large else ''}"
