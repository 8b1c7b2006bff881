"""The client list's rows rendered in Python: a firm lists hundreds of clients, and through the
template engine each row's lookups, `url` tag and choice label cost more than the page's
queries. The markup is the template's, cell for cell; text is escaped by the standard
library's `escape` (the same entities as Django's, without its lazy-string checks)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ledgerport.tenancy.models import Country
from ledgerport.web.client_list import ClientRow

register = template.Library()

ROW = (
    '\n<tr data-testid="company-row">\n  <td><a href="{url}">{name}</a></td>\n'
    '  <td class="nowrap">{orgnr}</td>\n  <td>{country}</td>\n{extra}</tr>\n'
)
EXTRA = '  <td data-column="{}">{}</td>\n'  # a registered column's cell, already markup
SENTINEL = 987654321  # reverse() once with it, then each row puts its id in its place


@register.simple_tag
def company_rows(rows: Iterable[ClientRow], keys: Iterable[str] = ()) -> SafeString:
    """The rows; each row's registered cells (`web.extensions.Cell`, markup) follow the three
    columns of its own, in the order of `keys` (the columns' keys)."""
    head, tail = reverse("web:company_overview", args=[SENTINEL]).split(str(SENTINEL))
    countries = {code: escape(str(label)) for code, label in Country.choices}  # this request's language
    keys = list(keys)
    out = []
    for row in rows:
        company = row.company
        out.append(
            ROW.format(
                url=f"{head}{company.pk}{tail}",
                name=escape(company.name),
                orgnr=escape(company.orgnr_display),
                country=countries.get(company.country) or escape(company.country),
                extra="".join(
                    EXTRA.format(key, cell.html) for key, cell in zip(keys, row.cells, strict=True)
                ),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above, the cells are markup
