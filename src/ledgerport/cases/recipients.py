"""Who hears of a case: its client recipients (reminded, told of the firm's messages) and the
firm's people who work on the company (told of the client's answers and approvals)."""

from __future__ import annotations

from ledgerport.identity.models import User
from ledgerport.tenancy.roles import company_roles_for, firm_roles_for

from .models import Case


def client_users(company_id: int) -> list[User]:
    """The company's active client users (any role that may view it), for the recipient choice."""
    return list(
        User.objects.filter(
            is_active=True,
            company_memberships__company_id=company_id,
            company_memberships__role__in=company_roles_for("view"),
        )
        .distinct()
        .order_by("email")
    )


def case_client_recipients(case: Case) -> list[User]:
    """The chosen recipients who are still client users of the company; none chosen: all of them."""
    everyone = client_users(case.company_id)
    chosen = set(case.recipients.values_list("pk", flat=True))
    return [u for u in everyone if u.pk in chosen] if chosen else everyone


def case_firm_users(case: Case) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            firm_memberships__firm_id=case.company.firm_id,
            firm_memberships__role__in=firm_roles_for("work"),
        )
        .distinct()
        .order_by("pk")
    )


def case_firm_responsible(case: Case) -> list[User]:
    """Who at the firm answers for the case: the firm user who opened it while they still work
    on the company (active, a firm role that may "work"); else (opened by the system, or its
    opener gone) everyone at the firm who works on it."""
    everyone = case_firm_users(case)
    opener = [user for user in everyone if user.pk == case.created_by_id]
    return opener or everyone
