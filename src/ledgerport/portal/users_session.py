"""The client's current company, kept in the session (the company switcher sets it)."""

from __future__ import annotations

from django.http import HttpRequest

from ledgerport.tenancy.models import Company
from ledgerport.web.session import CURRENT_COMPANY_KEY


def current_company_set(request: HttpRequest, company: Company) -> None:
    request.session[CURRENT_COMPANY_KEY] = company.pk
