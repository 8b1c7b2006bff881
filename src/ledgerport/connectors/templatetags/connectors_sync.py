"""The sync partials as tags for the company pages (the company is already scoped by the page's view).

{% load connectors_sync %}
{% providers company %}                the provider cards of "Läs in data" ("Aktivera", status, sync)
{% sync_panel company provider %}      "Synka två senaste åren" + the latest run, per connection
{% sync_provider_names as names %}    the syncable providers for a sentence: "A, B or C"
{% sync_year company fiscal_year %}    "Hämta data" / "Synka" in a row of "Inläst data"
{% sync_running company as fetching %} whether a sync of the company runs (the documents list polls)
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("connectors/_providers.html")
def providers(company: Any) -> dict[str, Any]:
    from ledgerport.connectors.selectors import provider_cards

    return {"company": company, "provider_cards": provider_cards(company=company)}


@register.inclusion_tag("connectors/_sync_panel.html")
def sync_panel(company: Any, provider: str) -> dict[str, Any]:
    from ledgerport.connectors.sync_selectors import panel_context

    return panel_context(company=company, provider=provider)


@register.simple_tag
def sync_provider_names() -> str:
    from ledgerport.connectors.providers import sync_display_names

    return sync_display_names()


@register.inclusion_tag("connectors/_sync_year.html")
def sync_year(company: Any, fiscal_year: Any) -> dict[str, Any]:
    from ledgerport.connectors.sync_selectors import year_context

    return year_context(company=company, fiscal_year=fiscal_year)


@register.simple_tag
def sync_running(company: Any) -> bool:
    from ledgerport.connectors.sync_selectors import sync_active

    return sync_active(company=company)
