"""The analysis block of the company's Analysis tab.

The inclusion tag takes a company the page's view already resolved through `company_view`
(the tab's action), so it reads no further scope itself.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ledgerport.analysis import charts, reports
from ledgerport.analysis import selectors as selectors_analysis
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


@register.simple_tag(takes_context=True)
def tax_lights(context: template.Context, companies: Any) -> dict[int, selectors_analysis.TaxLight]:
    """`{% tax_lights companies as lights %}`: every listed company's light in one query."""
    request = context.get("request")
    if request is None:
        return {}
    return selectors_analysis.tax_check_lights(user=request.user, company_ids=[c.pk for c in companies])


@register.simple_tag
def tax_light(lights: dict[int, selectors_analysis.TaxLight], company: Any) -> SafeString:
    """One company's light: green without differences, red with, grey without data; a link to the
    tax-account page of the year to look at."""
    light = lights.get(company.pk)
    if light is None:
        return format_html(
            '<span class="status-dot" title="{}" data-testid="tax-light" data-light="none"></span>'
            '<span class="visually-hidden">{}</span>',
            _("No tax-account data"),
            _("No tax-account data"),
        )
    if light.findings:
        text = ngettext("%(count)s difference", "%(count)s differences", light.findings) % {
            "count": light.findings
        }
        state, css = "red", "status-dot--error"
    else:
        text, state, css = _("Agrees with the books"), "green", "status-dot--active"
    return format_html(
        '<a href="{}" class="tax-light" data-testid="tax-light" data-light="{}">'
        '<span class="status-dot {}" aria-hidden="true"></span> {}</a>',
        reverse("analysis:tax_account", args=[company.pk, light.fiscal_year_id]),
        state,
        css,
        text,
    )
