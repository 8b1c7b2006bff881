"""`{% company_switcher %}`: the top bar's company switcher for a person who belongs to several
client companies (the layout loads it; web imports nothing of the portal)."""

from __future__ import annotations

from typing import Any

from django import template

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import client_companies_of
from ledgerport.web.session import CURRENT_COMPANY_KEY

register = template.Library()


@register.inclusion_tag("portal/users_switcher.html", takes_context=True)
def company_switcher(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"companies": []}
    companies = client_companies_of(user)
    if len(companies) < 2:  # one company (or the firm's staff): nothing to switch
        return {"companies": []}
    shown = context.get("company")
    current_pk = shown.pk if isinstance(shown, Company) else request.session.get(CURRENT_COMPANY_KEY)
    current = next((c for c in companies if c.pk == current_pk), None)
    return {"companies": companies, "current": current, "csrf_token": context.get("csrf_token")}
