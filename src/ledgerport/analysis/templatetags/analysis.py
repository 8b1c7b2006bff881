"""The analysis block of the company's Analysis tab.

The inclusion tag takes a company the page's view already resolved through `company_view`
(the tab's action), so it reads no further scope itself.
"""

from __future__ import annotations

from typing import Any

from django import template

from ledgerport.analysis import charts, reports
from ledgerport.ledger import selectors

register = template.Library()


@register.inclusion_tag("analysis/_overview.html")
def analysis_overview(company: Any) -> dict[str, Any]:
    fiscal_year = selectors.latest_year_with_ledger(company=company)
    context: dict[str, Any] = {"company": company, "fiscal_year": fiscal_year}
    if fiscal_year is not None:
        current, previous = reports.figures_for(fiscal_year)
        context["chart"] = charts.monthly_result_chart(current, previous)
        context["fiscal_years"] = selectors.fiscal_year_list_loaded(company=company)
    return context
