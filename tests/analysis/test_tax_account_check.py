"""The tax checks on the demo companies find exactly the Skatteverket scenario's seeded discrepancies.

Each company's books come from its sandbox ledger (imported as a Fortnox sync would), its tax
account and employer declarations from the scenario (stored through the taxes services). The
scenario seeds three discrepancies in the earlier year; the expected findings below follow from
them by hand:

- the AGI month declared lower than booked: one employer-declaration difference, and on the
  tax-account side of the 1630 match the declared debit, on the ledger side the booked part of
  that month's tax-account voucher; from then on the tax account is ahead by the shortfall;
- the late payment: one late payment (the debt at the due date less the surplus), still matched
  to its ledger row (it arrived within the tolerance);
- the unbooked cost interest: one unmatched tax-account row, which lowers the surplus.
Nothing else: no VAT difference, and the later year only carries the difference forward.
"""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from ledgerport.analysis.tax_account_check import as_json, tax_account_analysis
from ledgerport.ledger.models import FiscalYear
from sandbox.core.ledger import MONTHS_SV
from sandbox.demo import FISCAL_YEARS
from tests.analysis.tax_world import TODAY, demo_company, seeded

pytestmark = pytest.mark.django_db

EARLIER, LATER = FISCAL_YEARS


def years(company):
    return list(FiscalYear.objects.filter(company=company).order_by("start"))


@pytest.mark.parametrize("key", ["exempelbolaget", "fjallbacka", "nordljus", "havsorn"])
def test_exactly_the_seeded_discrepancies(world, key):
    company, scenario = demo_company(world.firm_a, key)
    s = seeded(scenario)
    period = date.fromisoformat(s["agi_difference"]["period"] + "-01")
    declared = -Decimal(s["agi_difference"]["declared"])
    booked = -Decimal(s["agi_difference"]["booked"])
    surplus = declared - booked  # the tax account debited less than the books hold
    agi_day = date(period.year + period.month // 12, period.month % 12 + 1, 12)
    interest_day = date.fromisoformat(s["unbooked_interest"]["date"])
    interest = Decimal(s["unbooked_interest"]["amount"])
    due = date.fromisoformat(s["late_payment"]["due"])
    paid = date.fromisoformat(s["late_payment"]["paid"])

    earlier, later = years(company)
    a = tax_account_analysis(company, earlier, today=TODAY)
    assert [(r.booked, r.text, r.amount) for r in a.unmatched_tax] == [
        (agi_day, f"Arbetsgivaravgift {MONTHS_SV[period.month - 1]} {period.year}", declared),
        (interest_day, "Kostnadsränta", interest),
    ]
    assert [(r.date, r.amount) for r in a.unmatched_ledger] == [(agi_day, booked)]
    assert [(p.due_date, p.amount_due, p.paid_date) for p in a.late_payments] == [
        (due, -Decimal(s["late_payment"]["amount_due"]), paid)
    ]
    assert [(d.period, d.kind, d.declared, d.tax_account, d.booked) for d in a.agi_differences] == [
        (period, "arbetsgivaravgift", declared, declared, booked)
    ]
    assert a.vat_differences == []
    assert a.findings == 5

    def expected_difference(month: date) -> Decimal:
        end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return (surplus if agi_day < end else 0) + (interest if interest_day < end else 0)

    # The tax account begins with the first payment, in February: January is not compared.
    assert [m.month.month for m in a.months] == list(range(2, 13))
    assert [m.difference for m in a.months] == [expected_difference(m.month) for m in a.months]

    b = tax_account_analysis(company, later, today=TODAY)
    assert (b.unmatched_tax, b.unmatched_ledger, b.late_payments, b.agi_differences, b.vat_differences) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert {m.difference for m in b.months} == {surplus + interest}
    assert b.months[-1].on == TODAY


def test_a_company_without_payroll_has_nothing_to_find(world):
    company, scenario = demo_company(world.firm_a, "skargard")
    assert scenario.booked == ()
    for fiscal_year in years(company):
        a = tax_account_analysis(company, fiscal_year, today=TODAY)
        assert a.findings == 0
        assert {m.difference for m in a.months} == {Decimal(0)}


@pytest.mark.skipif(FISCAL_YEARS != (2025, 2026), reason="the hand-computed figures are for 2025")
def test_exempelbolaget_2025_by_hand(world):
    """The figures read off the scenario once and checked by hand: September's contributions were
    booked 57 907,06 and declared 53 112,06 (shortfall 4 795,00), debited Sunday 12 October;
    November's payment of 228 127,74 arrived on Friday 14 Nov instead of Wednesday 12 Nov, when
    the 4 795,00 covered part of it: 223 332,74 × 17,5 % × 2 / 365 = 214,15, charged as 214 on
    Saturday 6 December."""
    company, _scenario = demo_company(world.firm_a, "exempelbolaget")
    out = StringIO()
    call_command("analysis_taxaccount", "556036-0793", "--year", "2025", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {
        "months",
        "unmatched_tax_account",
        "unmatched_ledger",
        "late_payments",
        "agi_differences",
    }
    assert [m["month"] for m in data["months"]] == [f"2025-{m:02d}" for m in range(2, 13)]
    assert data["months"][7] == {
        "month": "2025-09",
        "tax_account_balance": "0.00",
        "ledger_1630_balance": "0.00",
        "difference": "0.00",
    }
    assert [m["difference"] for m in data["months"][8:]] == ["4795.00", "4795.00", "4581.00"]
    assert data["unmatched_tax_account"] == [
        {"date": "2025-10-12", "text": "Arbetsgivaravgift september 2025", "amount": "-53112.06"},
        {"date": "2025-12-06", "text": "Kostnadsränta", "amount": "-214.00"},
    ]
    assert data["unmatched_ledger"] == [{"date": "2025-10-12", "voucher": "A41", "amount": "-57907.06"}]
    assert data["late_payments"] == [
        {"due_date": "2025-11-12", "amount_due": "-223332.74", "paid_date": "2025-11-14"}
    ]
    assert data["agi_differences"] == [
        {
            "period": "2025-09",
            "kind": "arbetsgivaravgift",
            "declared": "-53112.06",
            "tax_account": "-53112.06",
            "booked": "-57907.06",
        }
    ]
    analysis = tax_account_analysis(company, years(company)[0], today=TODAY)
    [late] = analysis.late_payments
    assert late.interest == Decimal("-214.15")
    # The due-date calendar from the first payment (February) to the year's end: only 12 Nov
    # ends in debt, by 4 795,00 − 228 127,74; every due date of 2025 after the first row is listed.
    calendar = analysis.due_dates
    assert [(d.due_date, d.balance) for d in calendar if d.balance < 0 or d.late] == [
        (date(2025, 11, 12), Decimal("-223332.74"))
    ]
    assert [d.due_date for d in calendar if d.late] == [date(2025, 11, 12)]
    assert calendar[-1].due_date == date(2025, 12, 29)  # 27 Dec a Saturday, then Sunday


def test_the_command_explains_a_missing_year_and_prints_a_table(world):
    demo_company(world.firm_a, "fjallbacka")
    with pytest.raises(Exception, match="no ledger for a fiscal year starting in 1999"):
        call_command("analysis_taxaccount", "5566143011", "--year", "1999")
    out = StringIO()
    call_command("analysis_taxaccount", "5566143011", "--year", str(EARLIER), stdout=out)
    text = out.getvalue()
    assert "Late payments: 1" in text and "Employer declarations: 1" in text
    assert "Unmatched on the tax account: 2" in text and "Unmatched in the ledger: 1" in text


def test_the_json_shape_of_an_empty_analysis(world):
    company, _ = demo_company(world.firm_a, "skargard")
    data = as_json(tax_account_analysis(company, years(company)[0], today=TODAY))
    assert data["unmatched_tax_account"] == data["late_payments"] == data["agi_differences"] == []
    assert data["months"][0] == {
        "month": f"{EARLIER}-01",
        "tax_account_balance": "0.00",
        "ledger_1630_balance": "0.00",
        "difference": "0.00",
    }


def test_without_tax_data_nothing_is_compared(world, imported):
    a = tax_account_analysis(imported.company, imported, today=TODAY)
    assert not a.has_tax_account
    assert as_json(a) == {
        "months": [],
        "unmatched_tax_account": [],
        "unmatched_ledger": [],
        "late_payments": [],
        "agi_differences": [],
    }
