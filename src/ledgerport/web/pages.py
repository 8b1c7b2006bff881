"""Rendering a page inside a company's tabs — the one place that decides which tabs show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ledgerport.tenancy import selectors as tenancy
from ledgerport.tenancy.models import Company

from .tabs import TABS


def visible_tabs(request: HttpRequest, company: Company) -> list[Any]:
    """The tabs whose action the user may perform on the company (from the roles `company_get`
    read: no query)."""
    allowed = {
        action for action in {tab.action for tab in TABS} if tenancy.can(request.user, company, action)
    }
    return [
        tab
        for tab in TABS
        if tab.action in allowed and (not tab.countries or company.country in tab.countries)
    ]


def company_page(
    request: HttpRequest, company: Company, active: str, template: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    return render(
        request,
        template,
        {"company": company, "tabs": visible_tabs(request, company), "active": active, **(context or {})},
    )
