"""The deadline calendar: every Swedish tax due date the product knows. Nothing else computes one.

Sources: research/authorities-and-identity.md §2.1 (SFL 62 kap., the tax agency's guidance (RV)).

- The tax account's fixed due dates (förfallodagar, SFL 62 kap. 9 §): the 12th and the 26th of
  every month, except January (17th and 26th), August (12th, 17th and 26th) and December
  (12th and 27th).
- A due date that is not a banking day moves to the next banking day. Not banking days
  (lag 1930:173 om beräkning av lagstadgad tid, 2 §): Saturdays, Sundays, Swedish public
  holidays, midsommarafton, julafton and nyårsafton. The holidays come from the maintained
  `holidays` package (categories "public" and "de_facto", the latter being exactly those three
  eves). Trettondedag jul, Kristi himmelsfärd, nationaldagen … are public holidays; påskafton,
  pingstafton and the half days before holidays are not counted (banks keep them open).
- "large" below means a company whose VAT taxable base exceeds 40 MSEK.

A month is given as any date in it (its first day by convention).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _closed_days(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("SE", years=year, categories=("public", "de_facto")))


def is_banking_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def next_banking_day(day: date) -> date:
    """`day` itself when it is a banking day, else the first banking day after it."""
    while not is_banking_day(day):
        day += timedelta(days=1)
    return day


def _month_after(month: date, n: int = 1) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _on(month: date, day: int) -> date:
    """The `day`th of `month`, moved to a banking day."""
    return next_banking_day(month.replace(day=day))


@dataclass(frozen=True)
class DueDate:
    nominal: date  # the statutory day (the 12th, 17th, 26th, 27th)
    date: date  # moved to a banking day


def tax_account_due_dates(year: int) -> list[DueDate]:
    """The tax account's due dates of a calendar year, in order."""
    result = []
    for month in range(1, 13):
        days = {1: (17, 26), 8: (12, 17, 26), 12: (12, 27)}.get(month, (12, 26))
        for day in days:
            nominal = date(year, month, day)
            result.append(DueDate(nominal, next_banking_day(nominal)))
    return result


def employer_payment_due(period: date, *, large: bool = False) -> date:
    """When employer contributions and deducted tax of payment month `period` must be paid: the
    12th of the month after, the 17th when that is January, and in August for companies that
    are not large."""
    month = _month_after(period)
    if month.month == 1 or (month.month == 8 and not large):
        return _on(month, 17)
    return _on(month, 12)


def employer_declaration_due(period: date, *, large: bool = False) -> date:
    """When the employer declaration (AGI) of `period` must be filed: with the payment, except that
    large companies declare on the 26th (27th in December) of the month after."""
    if not large:
        return employer_payment_due(period)
    month = _month_after(period)
    return _on(month, 27 if month.month == 12 else 26)


def vat_due(first: date, last: date, *, large: bool = False) -> date:
    """When the VAT of the period first..last (a month or a calendar quarter; a calendar year,
    see `vat_due_annual`) is declared and paid.

    Monthly and quarterly (not large): the 12th of the second month after the period, the 17th
    when that is January or August. Large companies report monthly, on the 26th of the month
    after (27th in December).
    """
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months == 12 and first == date(first.year, 1, 1) and last == date(first.year, 12, 31):
        return vat_due_annual(last, with_income_return=False)
    if months == 12:
        raise ValueError(
            "VAT of a broken fiscal year follows its end and the income tax return: see vat_due_annual"
        )
    if months not in (1, 3):
        raise ValueError(f"A VAT period is a month, a quarter or a year, not {months} months")
    if large:
        if months != 1:
            raise ValueError("Large companies report VAT monthly")
        month = _month_after(first)
        return _on(month, 27 if month.month == 12 else 26)
    month = _month_after(last.replace(day=1), 2)
    return _on(month, 17 if month.month in (1, 8) else 12)


# Annual VAT filed with the income tax return (electronically), by the month the fiscal year
# ends: (months after that month's year, due month, due day). The tax agency's table: years
# ending January–April → 12 December; May–June → 17 January; July–August → 12 April;
# September–December → 17 August.
_WITH_INCOME_RETURN = {
    **dict.fromkeys((1, 2, 3, 4), (0, 12, 12)),
    **dict.fromkeys((5, 6), (1, 1, 17)),
    **dict.fromkeys((7, 8), (1, 4, 12)),
    **dict.fromkeys((9, 10, 11, 12), (1, 8, 17)),
}


def vat_due_annual(year_end: date, *, with_income_return: bool = True) -> date:
    """When the VAT of a fiscal year (the VAT period of a company whose taxable base is at most
    1 MSEK) is declared and paid, by the year's last day.

    A company that files an income tax return and traded with no other EU country declares it
    with the return, electronically (`_WITH_INCOME_RETURN`); otherwise on the 26th of the second
    month after the year (27th in December): 26 February for a calendar year.
    """
    if not with_income_return:
        second = _month_after(year_end.replace(day=1), 2)
        return _on(second, 27 if second.month == 12 else 26)
    years, due_month, day = _WITH_INCOME_RETURN[year_end.month]
    return _on(date(year_end.year + years, due_month, 1), day)


def preliminary_tax_due(month: date, *, large: bool = False) -> date:
    """When a month's debited preliminary tax (F-skatt) is due: the 12th, the 17th in January and
    in August (August 12th for large companies)."""
    if month.month == 1 or (month.month == 8 and not large):
        return _on(month, 17)
    return _on(month, 12)


def tax_payment_due(month: date, *, large: bool = False) -> date:
    """The due date of a month's payment to the tax account, the one its payment summary names:
    the 12th, the 17th in January and (unless large) August. That payment carries the employer
    contributions and deducted tax of the month before, the month's F-skatt and the VAT due the
    same day (`vat_period_due_on`)."""
    return employer_payment_due(_month_after(month.replace(day=1), -1), large=large)


def vat_period_due_on(day: date, *, vat_period: str, large: bool = False) -> tuple[date, date] | None:
    """The monthly or quarterly VAT period (first, last day) whose VAT is due on `day`, or None
    (no such period, or annual VAT: that follows the fiscal year, see `vat_due_annual`)."""
    month = day.replace(day=1)
    if vat_period == "monthly":
        first = _month_after(month, -1 if large else -2)
        last = _month_after(first) - timedelta(days=1)
    elif vat_period == "quarterly" and not large:
        last_month = _month_after(month, -2)
        if last_month.month % 3:
            return None
        first = _month_after(last_month, -2)
        last = _month_after(last_month) - timedelta(days=1)
    else:
        return None
    return (first, last) if vat_due(first, last, large=large) == day else None
