"""`{% overview_panels company "status" %}`: the parts other apps registered for an area of
Översikt (`web.extensions`), each rendered for the page's user; web imports none of them."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from ledgerport.tenancy.models import Company
from ledgerport.web.extensions import overview_panels as registered

register = template.Library()


@register.simple_tag(takes_context=True)
def overview_panels(context: template.Context, company: Company, area: str) -> SafeString:
    request = context["request"]
    rendered = [(panel.key, panel.render(request, company)) for panel in registered(area)]
    # Each panel returns a rendered template (markup as it stands).
    parts = [(key, mark_safe(html)) for key, html in rendered if html]  # noqa: S308
    return format_html_join("", '<div class="overview-panel" data-panel="{}">{}</div>', parts)
