"""The deadline calendar against due dates written out by hand from a printed calendar.

Rule checked: a due date on a Saturday, Sunday, public holiday, midsommarafton, julafton or
nyårsafton moves to the next day that is none of these (lag 1930:173, 2 §).
"""

from datetime import date

import pytest

from ledgerport.analysis.deadlines import (
    employer_declaration_due,
    employer_payment_due,
    next_banking_day,
    preliminary_tax_due,
    tax_account_due_dates,
    vat_due,
    vat_due_annual,
)

D = date


def test_the_due_dates_of_2022():
    # Kristi himmelsfärd was Thursday 26 May 2022.
    expected = [
        (D(2022, 1, 17), D(2022, 1, 17)), (D(2022, 1, 26), D(2022, 1, 26)),
        (D(2022, 2, 12), D(2022, 2, 14)), (D(2022, 2, 26), D(2022, 2, 28)),
        (D(2022, 3, 12), D(2022, 3, 14)), (D(2022, 3, 26), D(2022, 3, 28)),
        (D(2022, 4, 12), D(2022, 4, 12)), (D(2022, 4, 26), D(2022, 4, 26)),
        (D(2022, 5, 12), D(2022, 5, 12)), (D(2022, 5, 26), D(2022, 5, 27)),
        (D(2022, 6, 12), D(2022, 6, 13)), (D(2022, 6, 26), D(2022, 6, 27)),
        (D(2022, 7, 12), D(2022, 7, 12)), (D(2022, 7, 26), D(2022, 7, 26)),
        (D(2022, 8, 12), D(2022, 8, 12)), (D(2022, 8, 17), D(2022, 8, 17)), (D(2022, 8, 26), D(2022, 8, 26)),
        (D(2022, 9, 12), D(2022, 9, 12)), (D(2022, 9, 26), D(2022, 9, 26)),
        (D(2022, 10, 12), D(2022, 10, 12)), (D(2022, 10, 26), D(2022, 10, 26)),
        (D(2022, 11, 12), D(2022, 11, 14)), (D(2022, 11, 26), D(2022, 11, 28)),
        (D(2022, 12, 12), D(2022, 12, 12)), (D(2022, 12, 27), D(2022, 12, 27)),
    ]  # fmt: skip
    assert [(d.nominal, d.date) for d in tax_account_due_dates(2022)] == expected


def test_the_due_dates_of_2026():
    expected = [
        D(2026, 1, 19), D(2026, 1, 26),
        D(2026, 2, 12), D(2026, 2, 26),
        D(2026, 3, 12), D(2026, 3, 26),
        D(2026, 4, 13), D(2026, 4, 27),
        D(2026, 5, 12), D(2026, 5, 26),
        D(2026, 6, 12), D(2026, 6, 26),
        D(2026, 7, 13), D(2026, 7, 27),
        D(2026, 8, 12), D(2026, 8, 17), D(2026, 8, 26),
        D(2026, 9, 14), D(2026, 9, 28),
        D(2026, 10, 12), D(2026, 10, 26),
        D(2026, 11, 12), D(2026, 11, 26),
        D(2026, 12, 14), D(2026, 12, 28),
    ]  # fmt: skip
    assert [d.date for d in tax_account_due_dates(2026)] == expected


def test_easter_monday_moves_a_due_date_on_easter_day_one_further():
    # 12 April 2020 was Easter Day, 13 April Easter Monday.
    assert tax_account_due_dates(2020)[6].date == D(2020, 4, 14)


@pytest.mark.parametrize(
    ("day", "banking"),
    [
        (D(2026, 1, 6), D(2026, 1, 7)),  # trettondedag jul (Tuesday)
        (D(2026, 6, 19), D(2026, 6, 22)),  # midsommarafton (Friday), then the weekend
        (D(2026, 6, 6), D(2026, 6, 8)),  # nationaldagen on a Saturday
        (D(2026, 12, 24), D(2026, 12, 28)),  # julafton, juldagen, annandag jul, Sunday
        (D(2025, 12, 31), D(2026, 1, 2)),  # nyårsafton, nyårsdagen
        (D(2026, 5, 14), D(2026, 5, 15)),  # Kristi himmelsfärd; the squeeze day after is a banking day
        (D(2026, 4, 2), D(2026, 4, 2)),  # skärtorsdag is a banking day (half day only)
        (D(2026, 4, 3), D(2026, 4, 7)),  # långfredag .. annandag påsk
    ],
)
def test_next_banking_day(day, banking):
    assert next_banking_day(day) == banking


def test_employer_contributions_and_deducted_tax():
    assert employer_payment_due(D(2026, 3, 1)) == D(2026, 4, 13)  # 12 April a Sunday
    assert employer_payment_due(D(2026, 12, 1)) == D(2027, 1, 18)  # 17 January 2027 a Sunday
    assert employer_payment_due(D(2026, 7, 1)) == D(2026, 8, 17)
    assert employer_payment_due(D(2026, 7, 1), large=True) == D(2026, 8, 12)
    assert employer_payment_due(D(2026, 12, 1), large=True) == D(2027, 1, 18)
    assert employer_declaration_due(D(2026, 3, 1)) == D(2026, 4, 13)
    assert employer_declaration_due(D(2026, 3, 1), large=True) == D(2026, 4, 27)  # 26 April a Sunday
    assert employer_declaration_due(D(2026, 11, 1), large=True) == D(2026, 12, 28)  # 27 Dec a Sunday


def test_vat():
    assert vat_due(D(2026, 10, 1), D(2026, 10, 31)) == D(2026, 12, 14)
    assert vat_due(D(2026, 11, 1), D(2026, 11, 30)) == D(2027, 1, 18)
    assert vat_due(D(2026, 6, 1), D(2026, 6, 30)) == D(2026, 8, 17)
    assert vat_due(D(2025, 10, 1), D(2025, 12, 31)) == D(2026, 2, 12)  # quarter
    assert vat_due(D(2026, 4, 1), D(2026, 6, 30)) == D(2026, 8, 17)
    assert vat_due(D(2026, 5, 1), D(2026, 5, 31), large=True) == D(2026, 6, 26)
    assert vat_due(D(2026, 11, 1), D(2026, 11, 30), large=True) == D(2026, 12, 28)
    assert vat_due(D(2025, 1, 1), D(2025, 12, 31)) == D(2026, 2, 26)
    with pytest.raises(ValueError, match="income tax return"):
        vat_due(D(2025, 5, 1), D(2026, 4, 30))
    with pytest.raises(ValueError, match="monthly"):
        vat_due(D(2026, 4, 1), D(2026, 6, 30), large=True)


def test_preliminary_tax():
    assert preliminary_tax_due(D(2026, 1, 1)) == D(2026, 1, 19)
    assert preliminary_tax_due(D(2026, 8, 1)) == D(2026, 8, 17)
    assert preliminary_tax_due(D(2026, 8, 1), large=True) == D(2026, 8, 12)
    assert preliminary_tax_due(D(2026, 9, 1)) == D(2026, 9, 14)


def test_annual_vat_follows_the_fiscal_years_end():
    """Research §2.1 and the tax agency's table (filed electronically with the income tax return):
    years ending January–April → 12 December; May–June → 17 January; July–August → 12 April;
    September–December → 17 August. Else (EU trade): the 26th of the second month after."""
    assert vat_due_annual(D(2025, 4, 30)) == D(2025, 12, 12)  # a Friday
    assert vat_due_annual(D(2026, 4, 30)) == D(2026, 12, 14)  # 12 Dec a Saturday
    assert vat_due_annual(D(2026, 6, 30)) == D(2027, 1, 18)  # 17 Jan a Sunday
    assert vat_due_annual(D(2026, 8, 31)) == D(2027, 4, 12)  # a Monday
    assert vat_due_annual(D(2026, 12, 31)) == D(2027, 8, 17)  # a Tuesday
    assert vat_due_annual(D(2026, 6, 30), with_income_return=False) == D(2026, 8, 26)
    assert vat_due_annual(D(2026, 10, 31), with_income_return=False) == D(2026, 12, 28)  # 27th, a Sunday
    assert vat_due_annual(D(2025, 12, 31), with_income_return=False) == D(2026, 2, 26)
