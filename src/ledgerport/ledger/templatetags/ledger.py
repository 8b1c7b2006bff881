"""Money as Swedish accountants write it, and the ledger blocks the shell's tab pages include.

The inclusion tags take a company the page's view already resolved through `company_view`
(the tab's action), so they read no further scope themselves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

NBSP = "\u00a0"


@register.filter
def money(value: Decimal | int | None) -> str:
    """1 234 567,89 (no-break spaces), negative with a minus; empty for None."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    text = f"{abs(amount):,.2f}".replace(",", NBSP).replace(".", ",")
    return f"-{text}" if amount < 0 else text


@register.filter
def sie_problem(entry: dict[str, Any]) -> str:
    """A stored import warning in the reader's language (ledger/sie_messages.py)."""
    from ledgerport.ledger.sie_messages import render

    return render(entry)


@register.inclusion_tag("ledger/_sie_upload.html")
def sie_upload(company: Any) -> dict[str, Any]:
    from ledgerport.ledger.views import upload_context

    return upload_context(company)


@register.inclusion_tag("ledger/_loaded_data.html")
def loaded_data(company: Any) -> dict[str, Any]:
    from ledgerport.ledger import selectors

    return {"company": company, "fiscal_years": list(selectors.fiscal_year_list(company=company))}
