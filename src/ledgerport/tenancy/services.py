"""Writes for tenancy: firms, companies and memberships."""

from __future__ import annotations

from django.db import transaction

from ledgerport.identity.models import User

from .models import Company, CompanyMembership, Country, Firm, FirmMembership
from .roles import CompanyRole, FirmRole


def firm_create(*, name: str, orgnr: str = "") -> Firm:
    return Firm.objects.create(name=name, orgnr=orgnr)


@transaction.atomic
def company_create(
    *,
    firm: Firm,
    name: str,
    orgnr: str,
    country: str = Country.SE,
    fiscal_year_start_month: int = 1,
) -> Company:
    """Create a client company; the org number is validated for its country."""
    company = Company(
        firm=firm,
        name=name,
        orgnr=orgnr,
        country=country,
        fiscal_year_start_month=fiscal_year_start_month,
    )
    company.full_clean()
    company.save()
    return company


def firm_member_add(*, firm: Firm, user: User, role: str = FirmRole.ACCOUNTANT) -> FirmMembership:
    membership, _ = FirmMembership.objects.update_or_create(firm=firm, user=user, defaults={"role": role})
    return membership


def company_member_add(*, company: Company, user: User, role: str = CompanyRole.MEMBER) -> CompanyMembership:
    membership, _ = CompanyMembership.objects.update_or_create(
        company=company, user=user, defaults={"role": role}
    )
    return membership
