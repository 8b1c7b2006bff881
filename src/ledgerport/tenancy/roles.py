"""Roles and what each may do. One table, read by the scoping in `scoping.py`.

Actions:
- view:    see a company and its data
- work:    the accountant's work on a company (upload, sync, analyse, review), including
           creating activation links and starting syncs. Not "manage": connecting a client's
           books is everyday client work of every accountant, not firm administration, and a
           link grants nothing by itself (the client consents in the provider). Client roles
           never have "work": a signatory or member cannot connect or sync their own company.
- approve: approve on the company's behalf (payroll attestation, payment files)
- manage:  administer the firm (users, settings); also the only action that may take away a
           company's last signatory
- invite:  administer a client company's people: invite them, change their company role,
           remove them. Every firm user has it, not only firm admins ("work"-level, not
           "manage"): onboarding a client's staff is everyday client work and grants only a
           client role on that one company. A client's signatory has it for their own company;
           a member does not (the users page is not theirs to see).
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


ACTIONS = ("view", "work", "approve", "manage", "invite")

FIRM_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    FirmRole.ADMIN: frozenset({"view", "work", "manage", "invite"}),
    FirmRole.ACCOUNTANT: frozenset({"view", "work", "invite"}),
}
COMPANY_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    CompanyRole.SIGNATORY: frozenset({"view", "approve", "invite"}),
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
