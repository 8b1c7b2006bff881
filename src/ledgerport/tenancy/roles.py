"""Roles and what each may do. One table, read by the scoping in `scoping.py`.

Actions:
- view:    see a company and its data
- work:    the accountant's work on a company (upload, sync, analyse, review), including
           creating activation links and starting syncs. Not "manage": connecting a client's
           books is everyday client work of every accountant, not firm administration, and a
           link grants nothing by itself (the client consents in the provider). Client roles
           never have "work": a signatory or member cannot connect or sync their own company.
- approve: approve on the company's behalf (payroll attestation, payment files)
- manage:  administer the firm (users, settings)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FirmRole(models.TextChoices):
    ADMIN = "admin", _("Firm administrator")
    ACCOUNTANT = "accountant", _("Accountant")


class CompanyRole(models.TextChoices):
    SIGNATORY = "signatory", _("Signatory")
    MEMBER = "member", _("Member")


ACTIONS = ("view", "work", "approve", "manage")

FIRM_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    FirmRole.ADMIN: frozenset({"view", "work", "manage"}),
    FirmRole.ACCOUNTANT: frozenset({"view", "work"}),
}
COMPANY_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    CompanyRole.SIGNATORY: frozenset({"view", "approve"}),
    CompanyRole.MEMBER: frozenset({"view"}),
}


def firm_roles_for(action: str) -> list[str]:
    return [role for role, actions in FIRM_ROLE_ACTIONS.items() if action in actions]


def company_roles_for(action: str) -> list[str]:
    return [role for role, actions in COMPANY_ROLE_ACTIONS.items() if action in actions]


def actions_of(firm_role: str | None, company_role: str | None) -> frozenset[str]:
    """What a user with these roles (None: no role there) may do on a company: the same
    answer `scoping.visible_company_ids` gives action by action."""
    return FIRM_ROLE_ACTIONS.get(firm_role or "", frozenset()) | COMPANY_ROLE_ACTIONS.get(
        company_role or "", frozenset()
    )
