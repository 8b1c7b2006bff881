"""Writes for tenancy: firms, companies and memberships."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

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


class MembershipError(Exception):
    """Why a membership cannot be changed; the message is for the user."""


def _lock_signatories(company: Company) -> int:
    """Lock the company's memberships (so two changes at once cannot both remove "the other"
    signatory) and count its signatories."""
    locked = list(CompanyMembership.objects.select_for_update().filter(company=company).order_by("pk"))
    return sum(1 for m in locked if m.role == CompanyRole.SIGNATORY)


def _refuse_last_signatory(membership: CompanyMembership, may_remove_last_signatory: bool) -> None:
    signatories = _lock_signatories(membership.company)
    current = CompanyMembership.objects.filter(pk=membership.pk).values_list("role", flat=True).first()
    if current == CompanyRole.SIGNATORY and signatories <= 1 and not may_remove_last_signatory:
        raise MembershipError(
            _("The company must keep at least one signatory. Make someone else signatory first.")
        )


@transaction.atomic
def membership_role_set(
    *, membership: CompanyMembership, role: str, may_remove_last_signatory: bool = False
) -> CompanyMembership:
    """Change a person's role at the company. The last signatory stays one unless the actor may
    (a firm administrator)."""
    if role not in CompanyRole.values:
        raise MembershipError(_("Choose a role."))
    if role != CompanyRole.SIGNATORY:
        _refuse_last_signatory(membership, may_remove_last_signatory)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: CompanyMembership, may_remove_last_signatory: bool = False) -> None:
    """Take a person's access to the company away (the user account stays)."""
    _refuse_last_signatory(membership, may_remove_last_signatory)
    CompanyMembership.objects.filter(pk=membership.pk).delete()
