"""Reads for tenancy. Every read takes the acting user and goes through `for_user`.

The two ownership reads every view uses: `company_get` ("the company of this URL, or 404",
through `web.decorators.company_view`) and `fiscal_year_get` ("the fiscal year of this
company, or 404"). Views hold no queries (tests/tenancy/test_views_hold_no_queries.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from . import roles
from .invitation_mail import token_hash
from .models import Company, CompanyMembership, Firm, FirmMembership, Invitation

if TYPE_CHECKING:
    # Type only: ledger imports tenancy, so tenancy reads the model through the app registry.
    from ledgerport.ledger.models import FiscalYear


def company_list(*, user: Any, search: str = "", action: str = "view") -> QuerySet[Company]:
    """Companies the user may see, optionally filtered by name or org number."""
    companies = Company.objects.for_user(user, action)
    if search := search.strip():
        digits = "".join(ch for ch in search if ch.isdigit())
        condition = Q(name__icontains=search)
        if digits:
            condition |= Q(orgnr__contains=digits)
        companies = companies.filter(condition)
    return companies.order_by("name")


def company_get(*, user: Any, pk: int, action: str = "view") -> Company:
    """One company the user may act on, else 404 (never reveal that it exists).

    It also reads the user's role at the firm and at the company, so `can()` for this user and
    company needs no query of its own (a page asks it for every tab's action)."""
    company = Company.objects.for_user(user, action).select_related("firm").filter(pk=pk).first()
    if company is None:
        raise Http404
    company.acting_user_actions = (user.pk, roles.actions_of(*_roles_of(user, company)))
    return company


def _roles_of(user: Any, company: Company) -> tuple[str | None, str | None]:
    """The user's role at the company's firm and at the company (None where none). One plain
    statement: the ORM built as subqueries it cost five times the CPU, on every page."""
    firm_table, company_table = FirmMembership._meta.db_table, CompanyMembership._meta.db_table
    sql = (
        f"SELECT (SELECT role FROM {firm_table} WHERE firm_id = %s AND user_id = %s),"  # noqa: S608
        f" (SELECT role FROM {company_table} WHERE company_id = %s AND user_id = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [company.firm_id, user.pk, company.pk, user.pk])
        firm_role, company_role = cursor.fetchone()
    return firm_role, company_role


def fiscal_year_get(*, company: Company, pk: int) -> FiscalYear:
    """One fiscal year of a company already scoped by `company_get`, else 404.

    A year being imported into on SQLite (a hidden staging copy) is not found either.
    """
    model = apps.get_model("ledger", "FiscalYear")
    year: FiscalYear | None = (
        model.objects.filter(company=company, pk=pk).select_related("ledger_import").first()
    )
    if year is None:
        raise Http404
    return year


def company_by_orgnr(*, orgnr: str, firm: str | None = None) -> Company:
    """For operators' console commands only (no user): the company with this org number.

    Accepts the number with or without the hyphen, and `firm` (a firm's name or id) to choose
    when several firms have a client with that number; raises Company.DoesNotExist or
    Company.MultipleObjectsReturned with a clear message.
    """
    digits = "".join(ch for ch in orgnr if ch.isdigit())
    companies = Company.objects.alive().filter(orgnr=digits).select_related("firm").order_by("firm__name")
    if firm:
        by_firm = Q(firm__name__iexact=firm.strip())
        if firm.strip().isdigit() and len(firm.strip()) < 19:
            by_firm |= Q(firm_id=int(firm.strip()))
        companies = companies.filter(by_firm)
    matches = list(companies)
    if not matches:
        at = f" at firm {firm}" if firm else ""
        raise Company.DoesNotExist(f"No company with organisation number {orgnr}{at}")
    if len(matches) > 1:
        firms = ", ".join(f"{c.firm.name} (id {c.firm_id})" for c in matches)
        raise Company.MultipleObjectsReturned(
            f"Several firms have a client with organisation number {orgnr}: {firms}. "
            "Choose one with --firm NAME or --firm ID."
        )
    return matches[0]


def firms_of(user: Any) -> QuerySet[Firm]:
    """The firms the user works at (as staff, not as a client)."""
    if not user.is_authenticated:
        return Firm.objects.none()
    return Firm.objects.filter(memberships__user=user).distinct()


def is_firm_user(user: Any) -> bool:
    return bool(user.is_authenticated) and FirmMembership.objects.filter(user=user).exists()


def can(user: Any, company: Company, action: str) -> bool:
    """Whether the user may perform `action` on the company: from the roles `company_get` read
    for this user, else one query through the scoping."""
    known = getattr(company, "acting_user_actions", None)
    if known is not None and known[0] == user.pk and user.is_authenticated and user.is_active:
        if action not in roles.ACTIONS:
            raise ValueError(f"Unknown action {action!r}")
        return action in known[1]
    return Company.objects.for_user(user, action).filter(pk=company.pk).exists()


def memberships_of(*, company: Company) -> QuerySet[CompanyMembership]:
    """The company's client users with their roles, signatories first."""
    return (
        CompanyMembership.objects.filter(company=company)
        .select_related("user")
        .order_by("-role", "user__full_name", "user__email")
    )


def membership_get(*, company: Company, pk: int) -> CompanyMembership:
    """One membership of a company already scoped by `company_get`, else 404."""
    membership = (
        CompanyMembership.objects.filter(company=company, pk=pk).select_related("user", "company").first()
    )
    if membership is None:
        raise Http404
    return membership


def invitations_open(*, company: Company) -> QuerySet[Invitation]:
    """Invitations not accepted or withdrawn (expired ones too: they can be sent again)."""
    return Invitation.objects.filter(
        company=company, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-sent_at")


def invitation_get(*, company: Company, pk: int) -> Invitation:
    invitation = Invitation.objects.filter(company=company, pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens (any state: the page says why it cannot be used)."""
    return Invitation.objects.select_related("company__firm").filter(token_hash=token_hash(token)).first()


def client_companies_of(user: Any) -> list[Company]:
    """The client companies the user belongs to (for the company switcher); one query."""
    if not user.is_authenticated:
        return []
    return list(Company.objects.for_user(user, "view").filter(memberships__user=user).order_by("name"))
