"""A fiscal year's key figures for Översikt: revenue, result and cash, each per month too.

Read from the year's period sums (`ledger.selectors.year_figures`), never the rows. The result
is the income statement's (`statements.income_statement`), not computed a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ledgerport.ledger.models import FiscalYear
from ledgerport.ledger.selectors import ZERO, YearFigures, ledger_version, year_figures
from ledgerport.web.fragments import cached_value

from . import statements

REVENUE = (3000, 3999)  # BAS: operating income, credit (negative) in the books
CASH = (1930, 1939)  # BAS: bank accounts


@dataclass(frozen=True)
class KeyFigures:
    fiscal_year_id: int
    periods: list[int]  # YYYYMM
    revenue: Decimal  # sign flipped: income positive
    result: Decimal  # profit positive
    cash: Decimal  # balance at the year's end
    revenue_by_month: list[Decimal]
    result_by_month: list[Decimal]
    cash_by_month: list[Decimal]  # balance at each month's end


def _in(number: str, span: tuple[int, int]) -> bool:
    return number.isdigit() and span[0] <= int(number) <= span[1]


def compute(figures: YearFigures) -> KeyFigures:
    numbers = figures.numbers()
    revenue = [n for n in numbers if _in(n, REVENUE)]
    cash = [n for n in numbers if _in(n, CASH)]
    income = statements.income_statement([statements.Column("", figures.movement)], [figures])
    periods = list(figures.periods)
    return KeyFigures(
        fiscal_year_id=figures.fiscal_year.pk,
        periods=periods,
        revenue=-sum((figures.movement(n) for n in revenue), ZERO),
        result=income.result[0],
        cash=sum((figures.closing(n) for n in cash), ZERO),
        revenue_by_month=[-sum((figures.movement(n, [p]) for n in revenue), ZERO) for p in periods],
        result_by_month=[value for _period, value in statements.monthly_result(figures)],
        cash_by_month=[sum((figures.closing(n, p) for n in cash), ZERO) for p in periods],
    )


def key_figures(fiscal_year: FiscalYear) -> KeyFigures:
    """The year's key figures, computed once per version of its ledger (web/fragments.py)."""
    return cached_value(
        "key-figures", ledger_version(fiscal_year), lambda: compute(year_figures(fiscal_year))
    )
