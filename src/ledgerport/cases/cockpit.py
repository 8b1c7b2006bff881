"""The cases' parts of the cockpit (registered in `CasesConfig.ready()`): the client list's
"Öppna ärenden" column and filter, and Översikt's panel of the company's open cases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ledgerport.tenancy.models import Company
from ledgerport.web.extensions import (
    Cell,
    ListColumn,
    ListFilter,
    OverviewPanel,
    register_list_column,
    register_list_filter,
    register_overview_panel,
)

from . import selectors

OPEN_CASES = "open-cases"


def _cell(company_id: int, count: int, waiting: int) -> Cell:
    html = format_html(
        '<a href="{}" data-testid="open-cases" title="{}">{}</a>',
        reverse("web:company_cases", args=[company_id]),
        _("%(waiting)d waiting for the client") % {"waiting": waiting},
        count,
    )
    return Cell(html, sort=count, flags=frozenset({OPEN_CASES}))


def open_case_cells(user: Any, company_ids: QuerySet[Any]) -> Mapping[int, Cell]:
    return {
        pk: _cell(pk, n, waiting)
        for pk, (n, waiting) in selectors.open_counts(user=user, company_ids=company_ids).items()
    }


def no_cases() -> Cell:
    return Cell(SafeString('<span class="muted" data-testid="open-cases">0</span>'), sort=0)


def open_cases_panel(request: HttpRequest, company: Company) -> str:
    cases = [
        c for c in selectors.case_list(user=request.user, company=company) if c.status in selectors.WAITING
    ]
    return render_to_string(
        "cases/_panel.html", {"company": company, "cases": cases[:5], "count": len(cases)}, request=request
    )


def register() -> None:
    register_list_column(ListColumn(OPEN_CASES, _lazy("Open cases"), 40, open_case_cells, no_cases))
    register_list_filter(ListFilter(OPEN_CASES, _lazy("Show clients with open cases"), 20))
    register_overview_panel(OverviewPanel(OPEN_CASES, "client", 10, open_cases_panel))
