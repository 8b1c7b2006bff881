"""The statements as pages and files show them: which columns, for which period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ledgerport.ledger import selectors
from ledgerport.ledger.models import FiscalYear
from ledgerport.ledger.selectors import ZERO, YearFigures

from . import statements
from .statements import Column, Statement

BALANCE = "balance"
INCOME = "income"
TITLES = {BALANCE: _lazy("Balance sheet"), INCOME: _lazy("Income statement")}


@dataclass
class Report:
    statement: Statement
    current: YearFigures
    previous: YearFigures | None
    period: int | None


def _month_label(period: int) -> str:
    return formats.date_format(date(period // 100, period % 100, 1), "F Y")


def _matching(period: int | None, current: YearFigures, previous: YearFigures | None) -> int | None:
    """The previous year's month that corresponds to `period` (same month, else same position)."""
    if period is None or previous is None:
        return None
    if period - 100 in previous.periods:
        return period - 100
    index = current.periods.index(period)
    return previous.periods[index] if index < len(previous.periods) else previous.periods[-1]


def _comparable(previous: YearFigures | None, period: int | None) -> bool:
    return previous is not None and (period is None or previous.from_vouchers or bool(previous.movements))


def figures_for(fiscal_year: FiscalYear) -> tuple[YearFigures, YearFigures | None]:
    previous_year = selectors.previous_year(fiscal_year)
    current = selectors.year_figures(fiscal_year)
    previous = selectors.year_figures(previous_year) if previous_year and previous_year.source else None
    return current, previous


def report(fiscal_year: FiscalYear, kind: str, period: int | None) -> Report:
    current, previous = figures_for(fiscal_year)
    if period is not None and period not in current.periods:
        period = None
    previous_period = _matching(period, current, previous)
    compare = _comparable(previous, period)
    columns: list[Column] = []
    if kind == BALANCE:
        columns.append(Column(_("Opening balance"), lambda n: current.opening.get(n, ZERO)))
        label = (
            _("Closing balance")
            if period is None
            else _("Balance %(month)s") % {"month": _month_label(period)}
        )
        columns.append(Column(label, lambda n: current.closing(n, period)))
        if compare and previous is not None:
            columns.append(Column(_("Previous year"), lambda n: previous.closing(n, previous_period)))
        statement = statements.balance_sheet(columns, [current, *([previous] if previous else [])])
    else:
        if period is None:
            columns.append(Column(_("Fiscal year"), lambda n: current.movement(n)))
            if compare and previous is not None:
                columns.append(Column(_("Previous year"), lambda n: previous.movement(n)))
        else:
            to_date = [p for p in current.periods if p <= period]
            columns.append(Column(_month_label(period), lambda n: current.movement(n, [period])))
            columns.append(Column(_("Year to date"), lambda n: current.movement(n, to_date)))
            if compare and previous is not None and previous_period is not None:
                before = [p for p in previous.periods if p <= previous_period]
                columns.append(
                    Column(_month_label(previous_period), lambda n: previous.movement(n, [previous_period]))
                )
                columns.append(Column(_("Previous year to date"), lambda n: previous.movement(n, before)))
        statement = statements.income_statement(columns, [current, *([previous] if previous else [])])
    return Report(statement, current, previous, period)


def period_choices(fiscal_year: FiscalYear) -> list[tuple[int, str]]:
    return [(period, _month_label(period)) for period in selectors.periods_of(fiscal_year)]
