"""The client list's rows rendered in Python: a firm lists hundreds of clients, and through the
template engine each row's lookups, `url` tag and choice label cost more than the page's
queries. The markup is the template's, cell for cell; text is escaped by the standard
library's `escape` (the same entities as Django's, without its lazy-string checks)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ledgerport.tenancy.models import Company, Country

register = template.Library()

ROW = (
    '\n<tr data-testid="company-row">\n  <td><a href="{url}">{name}</a></td>\n'
    '  <td class="nowrap">{orgnr}</td>\n  <td>{country}</td>\n{extra}</tr>\n'
)
EXTRA = '  <td class="nowrap">{}</td>\n'  # a higher app's cell (the tax light), already markup
SENTINEL = 987654321  # reverse() once with it, then each row puts its id in its place


@register.simple_tag
def company_rows(companies: Iterable[Company], cells: Mapping[int, SafeString] | None = None) -> SafeString:
    """The rows; `cells` (company id -> markup) adds a last column that a higher app renders."""
    head, tail = reverse("web:company_overview", args=[SENTINEL]).split(str(SENTINEL))
    countries = {code: escape(str(label)) for code, label in Country.choices}  # this request's language
    out = [
        ROW.format(
            url=f"{head}{company.pk}{tail}",
            name=escape(company.name),
            orgnr=escape(company.orgnr_display),
            country=countries.get(company.country) or escape(company.country),
            extra=EXTRA.format(cells.get(company.pk, "")) if cells is not None else "",
        )
        for company in companies
    ]
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above, `cells` are markup
