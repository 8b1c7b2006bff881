"""A month's movements on the payroll accounts, for reconciling the a-melding with the books
(research: norway-formats.md §4.3): forskuddstrekk ↔ the credit on 2600, arbeidsgiveravgift ↔
the debit on 5400 and the credit on 2770."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ledgerport.ledger.models import PeriodSum
from ledgerport.ledger.selectors import fiscal_year_list_loaded, money
from ledgerport.tenancy.models import Company

WITHHELD_TAX = "2600"
CONTRIBUTION_COST = "5400"
CONTRIBUTION_DUE = "2770"


@dataclass(frozen=True)
class AccountMonth:
    debit: Decimal
    credit: Decimal  # positive: what was credited


def month_movements(
    *, company: Company, month: str, numbers: tuple[str, ...]
) -> dict[str, AccountMonth] | None:
    """Per account the month's debit and credit (YYYY-MM); None when no loaded fiscal year
    holds the month. Accounts without movement are zero."""
    year, number = int(month[:4]), int(month[5:7])
    first = datetime.date(year, number, 1)
    fiscal_year = fiscal_year_list_loaded(company=company).filter(start__lte=first, end__gte=first).first()
    if fiscal_year is None:
        return None
    found = {n: AccountMonth(Decimal(0), Decimal(0)) for n in numbers}
    sums = PeriodSum.objects.filter(
        fiscal_year=fiscal_year,
        dimension="",
        object="",
        period=year * 100 + number,
        account__number__in=numbers,
    ).values_list("account__number", "debit", "credit")
    for account, debit, credit in sums:
        before = found[account]
        found[account] = AccountMonth(before.debit + money(debit), before.credit - money(credit))
    return found
