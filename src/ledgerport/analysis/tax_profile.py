"""The VAT period and size the tax checks assume for a company, and where that came from.

Recorded by the firm on the tax-account page (`taxes.TaxProfile`). Until it is, the tax
account's own VAT rows tell the period ("Moms mars 2026": monthly; a quarter's or a year's
range), else the main rule for a company with a VAT taxable base up to 40 MSEK: quarterly.
Nothing tells the size, so "not large" is assumed until recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ledgerport.taxes import selectors as taxes
from ledgerport.tenancy.models import Company

from .tax_checks import month_span, vat_period_of

RECORDED = "recorded"
FROM_TAX_ACCOUNT = "tax_account"
DEFAULT = "default"


@dataclass(frozen=True)
class Profile:
    vat_period: str  # monthly | quarterly | annual (taxes.VatPeriod)
    large: bool  # VAT taxable base over 40 MSEK
    annual_vat_with_income_return: bool
    source: str  # RECORDED | FROM_TAX_ACCOUNT | DEFAULT
    updated_by: str = ""
    updated_at: datetime | None = None


def inferred_vat_period(texts: Iterable[str]) -> str | None:
    """The VAT period the latest VAT row on the tax account was debited for, or None."""
    latest = None
    for text in texts:
        span = vat_period_of(text)
        if span is not None and (latest is None or span[0] > latest[0]):
            latest = span
    if latest is None:
        return None
    months = len(month_span(*latest))
    return "monthly" if months == 1 else "quarterly" if months == 3 else "annual"


def effective_profile(company: Company, tax_texts: Iterable[str] = ()) -> Profile:
    recorded = taxes.tax_profile(company)
    if recorded is not None:
        user = recorded.updated_by
        return Profile(
            recorded.vat_period,
            recorded.large,
            recorded.annual_vat_with_income_return,
            RECORDED,
            str(user) if user is not None else "",
            recorded.updated_at,
        )
    inferred = inferred_vat_period(tax_texts)
    if inferred is not None:
        return Profile(inferred, False, True, FROM_TAX_ACCOUNT)
    return Profile("quarterly", False, True, DEFAULT)
