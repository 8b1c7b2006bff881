"""The VAT period and size the firm records drive the checks' due dates and VAT periods.

Small hand-made books (SIE) and tax accounts; every expected figure below is written out by hand.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.urls import reverse

from ledgerport.analysis.tax_account_check import tax_account_analysis
from ledgerport.analysis.tax_profile import DEFAULT, FROM_TAX_ACCOUNT, RECORDED, effective_profile
from ledgerport.ledger.models import FiscalYear
from ledgerport.ledger.services import ledger_import_sie
from ledgerport.taxes.models import TaxProfile
from ledgerport.taxes.services import (
    DeclarationData,
    TaxAccountRow,
    TaxProfileInvalid,
    employer_declarations_store,
    tax_account_snapshot_store,
    tax_account_store,
    tax_profile_set,
)
from tests.concurrency import at_once

D = date
Z = Decimal


def books(company, start: date, end: date, vouchers: list[tuple[date, list[tuple[str, str]]]]) -> FiscalYear:
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", f"#ORGNR {company.orgnr}", '#FNAMN "Test AB"']
    lines.append(f"#RAR 0 {start:%Y%m%d} {end:%Y%m%d}")
    for account in ("1630", "1930", "2610", "2641", "2650", "2710", "2731", "7010"):
        lines.append(f'#KONTO {account} "Konto {account}"')
    for number, (day, rows) in enumerate(vouchers, start=1):
        lines += [f'#VER A {number} {day:%Y%m%d} "V{number}"', "{"]
        lines += [f"#TRANS {account} {{}} {amount}" for account, amount in rows]
        lines.append("}")
    content = ("\r\n".join(lines) + "\r\n").encode("cp437")
    ledger_import_sie(company=company, stream=io.BytesIO(content))
    return FiscalYear.objects.get(company=company, start=start)


def tax_account(company, fetched: date, rows: list[tuple[date, str, str]]) -> None:
    at = datetime.combine(fetched, time(12), UTC)
    booked = [
        TaxAccountRow(f"T{i}", day, None, text, Z(amount))
        for i, (day, text, amount) in enumerate(rows)
        if day <= fetched
    ]
    tax_account_store(company, booked=booked, upcoming=[], fetched_at=at)
    balance = sum((r.amount for r in booked), Z(0))
    tax_account_snapshot_store(
        company,
        balance=balance,
        interest=Z(0),
        ocr="",
        reconciled_on=None,
        updated_at_source=at,
        fetched_at=at,
    )


def vat(analysis) -> list[tuple]:
    return [(d.period, d.kind, d.declared, d.tax_account, d.booked) for d in analysis.vat_differences]


def quarterly_company(company) -> FiscalYear:
    """Q1's VAT 7 500 booked and debited alike; Q2's 4 000 booked, 4 400 debited; Q3's 3 000
    booked, due 12 Nov, not debited by 5 Nov."""
    year = books(
        company,
        D(2026, 1, 1),
        D(2026, 12, 31),
        [
            (D(2026, 3, 31), [("2610", "10000"), ("2641", "-2500"), ("2650", "-7500")]),
            (D(2026, 5, 11), [("1630", "7500"), ("1930", "-7500")]),
            (D(2026, 5, 12), [("2650", "7500"), ("1630", "-7500")]),
            (D(2026, 6, 30), [("2610", "4000"), ("2650", "-4000")]),
            (D(2026, 8, 17), [("1630", "4400"), ("1930", "-4400")]),
            (D(2026, 8, 17), [("2650", "4400"), ("1630", "-4400")]),
            (D(2026, 9, 30), [("2610", "3000"), ("2650", "-3000")]),
        ],
    )
    tax_account(
        company,
        D(2026, 11, 5),
        [
            (D(2026, 5, 12), "Inbetalning bokförd 260511", "7500"),
            (D(2026, 5, 12), "Moms jan 2026 - mar 2026", "-7500"),
            (D(2026, 8, 17), "Inbetalning bokförd 260817", "4400"),
            (D(2026, 8, 17), "Moms apr 2026 - jun 2026", "-4400"),
        ],
    )
    return year


@pytest.mark.django_db
def test_quarterly_vat_is_compared_per_quarter(world):
    company = world.a1
    year = quarterly_company(company)
    # Not recorded: the tax account's latest VAT text spans three months.
    assert effective_profile(company, ["Moms apr 2026 - jun 2026"]).vat_period == "quarterly"
    a = tax_account_analysis(company, year, today=D(2026, 11, 5))
    assert a.profile.source == FROM_TAX_ACCOUNT
    assert vat(a) == [(D(2026, 4, 1), "moms", None, Z("-4400"), Z("-4000"))]
    assert a.vat_differences[0].last_month == D(2026, 6, 1)
    assert a.findings == 1

    # Recorded as monthly (wrongly): January's debit has no January booking, March's booking no
    # March debit, and so on; Q3's September booking is due 12 Nov monthly too (not yet).
    tax_profile_set(company, vat_period="monthly", large=False)
    a = tax_account_analysis(company, year, today=D(2026, 11, 5))
    assert a.profile.source == RECORDED
    assert vat(a) == [
        (D(2026, 1, 1), "moms", None, Z("-7500"), Z(0)),
        (D(2026, 3, 1), "moms", None, Z(0), Z("-7500")),
        (D(2026, 4, 1), "moms", None, Z("-4400"), Z(0)),
        (D(2026, 6, 1), "moms", None, Z(0), Z("-4000")),
    ]
    # Quarterly again; by 13 Nov Q3 (due Thursday 12 Nov) is due and not debited.
    tax_profile_set(company, vat_period="quarterly", large=False)
    tax_account(company, D(2026, 11, 13), [])  # same rows, fetched later
    a = tax_account_analysis(company, year, today=D(2026, 11, 13))
    assert vat(a) == [
        (D(2026, 4, 1), "moms", None, Z("-4400"), Z("-4000")),
        (D(2026, 7, 1), "moms", None, Z(0), Z("-3000")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("with_return", "today", "expected"),
    [
        # With the income tax return: a year ending in April is due 12 Dec 2026, a Saturday → 14 Dec.
        (True, D(2026, 12, 11), []),
        (True, D(2026, 12, 14), [(D(2025, 5, 1), "moms", None, Z(0), Z("-9000"))]),
        # EU trade: the 26th of the second month after, 26 June 2026 (a Friday).
        (False, D(2026, 6, 25), []),
        (False, D(2026, 6, 26), [(D(2025, 5, 1), "moms", None, Z(0), Z("-9000"))]),
    ],
)
def test_annual_vat_of_a_broken_year_is_due_by_the_years_end(world, with_return, today, expected):
    company = world.a1
    year = books(
        company,
        D(2025, 5, 1),
        D(2026, 4, 30),
        [
            (D(2025, 9, 30), [("2610", "5000"), ("2650", "-5000")]),
            (D(2026, 4, 30), [("2610", "4000"), ("2650", "-4000")]),
        ],
    )
    tax_account(company, today, [(D(2025, 6, 12), "Inbetalning bokförd 250612", "100")])
    tax_profile_set(company, vat_period="annual", large=False, annual_vat_with_income_return=with_return)
    a = tax_account_analysis(company, year, today=today)
    assert vat(a) == expected


@pytest.mark.django_db
def test_annual_vat_debited_for_the_year_agrees(world):
    company = world.a1
    year = books(
        company, D(2025, 5, 1), D(2026, 4, 30), [(D(2026, 4, 30), [("2610", "9000"), ("2650", "-9000")])]
    )
    tax_account(company, D(2026, 12, 20), [(D(2026, 12, 14), "Moms maj 2025 - apr 2026", "-9000")])
    tax_profile_set(company, vat_period="annual", large=False)
    a = tax_account_analysis(company, year, today=D(2026, 12, 20))
    assert vat(a) == [] and a.agi_differences == []


def payroll_company(company, fetched: date) -> FiscalYear:
    """July and September payroll: deducted tax 3 000 and contributions 3 142 each; August's
    declaration fetched, September's not yet; July's taxes not debited. The tax account's
    history begins with a payment on 12 June."""
    year = books(
        company,
        D(2026, 1, 1),
        D(2026, 12, 31),
        [
            (D(2026, 6, 12), [("1630", "100"), ("1930", "-100")]),
            (D(2026, 7, 25), [("7010", "13142"), ("2710", "-3000"), ("2731", "-3142"), ("1930", "-7000")]),
            (D(2026, 9, 25), [("7010", "13142"), ("2710", "-3000"), ("2731", "-3142"), ("1930", "-7000")]),
            (D(2026, 10, 12), [("1630", "6142"), ("1930", "-6142")]),
            (D(2026, 10, 12), [("2710", "3000"), ("2731", "3142"), ("1630", "-6142")]),
        ],
    )
    tax_account(
        company,
        fetched,
        [
            (D(2026, 6, 12), "Inbetalning bokförd 260612", "100"),
            (D(2026, 10, 12), "Inbetalning bokförd 261012", "6142"),
            (D(2026, 10, 12), "Avdragen skatt september 2026", "-3000"),
            (D(2026, 10, 12), "Arbetsgivaravgift september 2026", "-3142"),
        ],
    )
    employer_declarations_store(
        company,
        [DeclarationData(D(2026, 8, 1), Z(0), Z(0), 0, "kv-aug", None, None)],
        fetched_at=datetime.combine(fetched, time(12), UTC),
    )
    return year


def agi(analysis) -> list[tuple]:
    return [(d.period, d.kind, d.declared, d.tax_account, d.booked) for d in analysis.agi_differences]


@pytest.mark.django_db
def test_a_large_company_declares_on_the_26th(world):
    """On 20 Oct September's AGI is due (12 Oct) for a small company and missing; a large one
    declares by 26 Oct, so only its payment (which agrees) is compared. July's taxes (due 17 Aug
    small, 12 Aug large) were never debited: a difference either way."""
    company = world.a1
    year = payroll_company(company, D(2026, 10, 20))
    july = [
        (D(2026, 7, 1), "arbetsgivaravgift", None, Z(0), Z("-3142")),
        (D(2026, 7, 1), "avdragen_skatt", None, Z(0), Z("-3000")),
    ]
    small = tax_account_analysis(company, year, today=D(2026, 10, 20))
    assert agi(small) == [
        *july,
        (D(2026, 9, 1), "arbetsgivaravgift", Z(0), Z("-3142"), Z("-3142")),
        (D(2026, 9, 1), "avdragen_skatt", Z(0), Z("-3000"), Z("-3000")),
    ]
    tax_profile_set(company, vat_period="monthly", large=True)
    large = tax_account_analysis(company, year, today=D(2026, 10, 20))
    assert agi(large) == july


@pytest.mark.django_db
def test_august_payment_day_depends_on_size(world):
    """July's taxes: due Monday 17 Aug 2026 for a small company, Wednesday 12 Aug for a large one."""
    company = world.a1
    year = payroll_company(company, D(2026, 8, 14))
    assert agi(tax_account_analysis(company, year, today=D(2026, 8, 14))) == []
    tax_profile_set(company, vat_period="monthly", large=True)
    assert [d[:2] for d in agi(tax_account_analysis(company, year, today=D(2026, 8, 14)))] == [
        (D(2026, 7, 1), "arbetsgivaravgift"),
        (D(2026, 7, 1), "avdragen_skatt"),
    ]


@pytest.mark.django_db
def test_the_profile_defaults_and_rejects_what_cannot_be(world):
    company = world.a1
    assert effective_profile(company).source == DEFAULT
    assert effective_profile(company).vat_period == "quarterly"
    with pytest.raises(TaxProfileInvalid, match="40"):
        tax_profile_set(company, vat_period="quarterly", large=True)
    with pytest.raises(TaxProfileInvalid, match=r"(VAT period|Momsperiod)"):
        tax_profile_set(company, vat_period="weekly", large=False)
    assert not TaxProfile.objects.filter(company=company).exists()


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_leave_one_profile(world):
    results = at_once([lambda: tax_profile_set(world.a1, vat_period="annual", large=False)] * 4)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert list(TaxProfile.objects.filter(company=world.a1).values_list("vat_period", flat=True)) == [
        "annual"
    ]


@pytest.mark.django_db
def test_the_firm_records_the_profile_on_the_tax_page(client, world):
    year = quarterly_company(world.a1)
    page = reverse("analysis:tax_account", args=[world.a1.pk, year.pk])
    save = reverse("analysis:tax_profile_save", args=[world.a1.pk, year.pk])
    client.force_login(world.accountant_a)
    html = client.get(page).content.decode()
    assert 'data-testid="tax-profile"' in html and "läses av skattekontots momsdebiteringar" in html
    response = client.post(save, {"vat_period": "quarterly", "large": "on"})
    assert response.status_code == 302
    assert not TaxProfile.objects.filter(company=world.a1).exists()
    assert "redovisar moms varje månad" in client.get(page).content.decode()
    client.post(save, {"vat_period": "monthly", "large": "on"})
    profile = TaxProfile.objects.get(company=world.a1)
    assert (profile.vat_period, profile.large, profile.annual_vat_with_income_return) == (
        "monthly",
        True,
        False,
    )
    assert profile.updated_by == world.accountant_a
    assert "Sparat av" in client.get(page).content.decode()
    tax_profile_set(world.a1, vat_period="quarterly", large=False)
    assert "2026-04 – 2026-06" in client.get(page).content.decode()
