"""The Skatteverket scenario mirrors the company's sandbox ledger, except for three seeded discrepancies."""

from datetime import date
from decimal import Decimal

import pytest

from sandbox.core.ledger import Ledger
from sandbox.demo import COMPANIES, FISCAL_YEARS
from sandbox.skatteverket.scenario import banking_day_from, ocr_number, scenario_for

TODAY = date(FISCAL_YEARS[1], 12, 5)


def ledger_1630(company_key: str, until: date) -> Decimal:
    company = COMPANIES[company_key]
    ledger = Ledger(company, 1, company.vouchers, company.files)
    ore = sum(
        r.debit - r.credit for v in ledger.vouchers if v.date <= until for r in v.rows if r.account == 1630
    )
    return Decimal(ore) / 100


def test_ocr_is_16_orgnr_and_a_luhn_digit():
    assert ocr_number("5560360793") == "1655603607938"  # research §2.2


def test_unknown_org_number_has_no_tax_account():
    assert scenario_for("5561234567", today=TODAY) is None


def test_a_company_without_payroll_has_an_empty_account():
    s = scenario_for("556720-8847", today=TODAY)
    assert s is not None and s.booked == () and s.discrepancies == () and s.ocr == "1655672088473"


def test_deterministic_and_three_discrepancies_per_payroll_company():
    for key in ("exempelbolaget", "fjallbacka", "nordljus", "havsorn"):
        a = scenario_for(COMPANIES[key].orgnr, today=TODAY)
        b = scenario_for(COMPANIES[key].orgnr.replace("-", ""), today=TODAY)
        assert a == b
        assert [d.split()[0] for d in a.discrepancies] == [
            "agi_difference",
            "late_payment",
            "unbooked_interest",
        ]
        assert len(a.declarations) == 23  # Jan (previous year) .. Nov, the last signed on 5 Dec


def test_the_balance_equals_the_ledger_but_for_the_agi_surplus_and_the_interest():
    s = scenario_for("556036-0793", today=TODAY)
    agi, late, interest = (dict(kv.split("=") for kv in d.split()[1:]) for d in s.discrepancies)
    surplus = Decimal(agi["booked"]) - Decimal(agi["declared"])
    # The year's end: everything before it is booked on both sides.
    year_end = date(FISCAL_YEARS[0], 12, 31)
    assert s.balance(year_end) == ledger_1630("exempelbolaget", year_end) + surplus + Decimal(
        interest["amount"]
    )
    # On the late payment's due date the account was in debt by exactly the seeded amount.
    assert s.balance(date.fromisoformat(late["due"])) == -Decimal(late["amount_due"])
    assert s.balance(date.fromisoformat(late["paid"])) > 0


def test_upcoming_rows_are_after_today_with_a_banking_due_date():
    s = scenario_for("556036-0793", today=TODAY)
    assert s.upcoming and all(t.booked > TODAY and t.amount < 0 for t in s.upcoming)
    assert all(t.due == banking_day_from(t.due) for t in s.upcoming)
    assert all(t.booked <= TODAY for t in s.booked)


def test_banking_days_skip_weekends_and_swedish_holidays():
    assert banking_day_from(date(2026, 6, 19)) == date(2026, 6, 22)  # midsommarafton, then weekend
    assert banking_day_from(date(2026, 1, 6)) == date(2026, 1, 7)  # trettondedag jul
    assert banking_day_from(date(2026, 12, 24)) == date(2026, 12, 28)  # julafton .. annandag, weekend


@pytest.mark.parametrize("key", ["exempelbolaget", "fjallbacka", "nordljus", "havsorn"])
@pytest.mark.parametrize("vouchers", [150, 1000, 5000])
def test_a_rescaled_ledger_gets_its_own_tax_account_with_the_same_three_discrepancies(key, vouchers):
    """A rescaled ledger (other salaries, sales and VAT) gets a tax account that mirrors it, to the
    öre, but for the AGI surplus and the interest; the default ledger's would not."""
    company = COMPANIES[key]
    ledger = Ledger(company, 1, vouchers, 10)
    s = scenario_for(company.orgnr, today=TODAY, ledger=ledger)
    assert [d.split()[0] for d in s.discrepancies] == ["agi_difference", "late_payment", "unbooked_interest"]
    agi, _late, interest = (dict(kv.split("=") for kv in d.split()[1:]) for d in s.discrepancies)
    year_end = date(FISCAL_YEARS[0], 12, 31)
    books = (
        Decimal(
            sum(
                r.debit - r.credit
                for v in ledger.vouchers
                if v.date <= year_end
                for r in v.rows
                if r.account == 1630
            )
        )
        / 100
    )
    surplus = Decimal(agi["booked"]) - Decimal(agi["declared"])
    assert s.balance(year_end) == books + surplus + Decimal(interest["amount"])
    assert scenario_for(company.orgnr, today=TODAY).balance(year_end) != s.balance(year_end)
