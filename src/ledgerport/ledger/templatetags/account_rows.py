"""An account page's rows rendered in Python: 500 rows through the template engine cost more
than every query of the page together (about 13 variable lookups, a `url` tag and two filters
a row); here a row is one str.format, its text escaped by the standard library's `escape`
(the same five characters, the same entities as Django's, without its lazy-string checks,
which cost 40% of the page). The markup is the template's, cell for cell."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ledgerport.ledger.account_pages import PageRow
from ledgerport.ledger.models import Account, FiscalYear, VoucherRow
from ledgerport.tenancy.models import Company

from .ledger import money

register = template.Library()

# What Django's reverse() leaves unescaped in a path (django.urls.resolvers).
PATH_SAFE = "!$&'()*+,;=" + "/~:@"
ROW = (
    '<tr data-testid="ledger-row"><td class="nowrap">{}</td>'
    '<td class="nowrap"><a href="{}">{}</a></td><td>{}</td>'
    '<td class="num">{}</td><td class="num">{}</td>'
    '<td class="num" data-testid="running-balance">{}</td></tr>\n'
)


def voucher_path_prefix(company: Company, fiscal_year: FiscalYear) -> str:
    """`/companies/1/ledger/2024-01-01/vouchers/`: reverse() once, then each voucher appends to it."""
    sample = reverse("ledger:voucher", args=[company.pk, fiscal_year.start, "s", "n"])
    return sample.removesuffix("s/n/")


def voucher_path(prefix: str, series: str, number: str) -> str:
    """As reverse("ledger:voucher") writes it (an empty part is "-", see ledger/urls.py)."""
    return f"{prefix}{quote(series or '-', safe=PATH_SAFE)}/{quote(number or '-', safe=PATH_SAFE)}/"


@register.simple_tag
def account_rows(
    company: Company, account: Account, rows: list[tuple[PageRow, Decimal]] | list[tuple[VoucherRow, Decimal]]
) -> SafeString:
    prefix = voucher_path_prefix(company, account.fiscal_year)
    back = f"?account={account.pk}"
    out = []
    for row, balance in rows:
        voucher = row.voucher
        amount = row.amount
        out.append(
            ROW.format(
                voucher.date.isoformat(),
                escape(voucher_path(prefix, voucher.series, voucher.number) + back),
                escape(str(voucher)),
                escape(row.text or voucher.text),
                money(amount) if amount > 0 else "",
                money(amount) if amount < 0 else "",
                money(balance),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - text escaped; dates and amounts are digits
