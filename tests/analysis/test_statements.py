"""Statements and the general ledger against the sample file's own balances (parsed independently)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ledgerport.analysis import reports
from ledgerport.ledger import selectors
from ledgerport.ledger.models import Account, FiscalYear
from ledgerport.ledger.services import ledger_import_sie
from ledgerport.ledger.templatetags.ledger import money
from tests.ledger.conftest import VISMA, declared_balances

ZERO = Decimal(0)


@pytest.fixture
def imported(visma_company):
    with VISMA.open("rb") as stream:
        ledger_import_sie(company=visma_company, stream=stream, file_name=VISMA.name)
    return FiscalYear.objects.get(company=visma_company, start="2021-01-01")


def totals(statement):
    return {str(section.label): section.totals for section in statement.sections}


def test_balance_sheet_totals_equal_the_files_closing_balances(imported):
    ub = declared_balances(VISMA, "UB", 0)
    res = declared_balances(VISMA, "RES", 0)
    assets = sum((v for k, v in ub.items() if k.startswith("1")), ZERO)
    liabilities = -sum((v for k, v in ub.items() if k.startswith("2")), ZERO)
    result = -sum(res.values(), ZERO)
    statement = reports.report(imported, reports.BALANCE, None).statement
    by_section = totals(statement)
    assert by_section["Tillgångar"][1] == assets
    # Equity and liabilities include the year's result until the closing entries book it.
    assert by_section["Eget kapital och skulder"][1] == liabilities + result
    assert statement.result[1] == result
    # The previous year's column is its #UB -1.
    ub_before = declared_balances(VISMA, "UB", -1)
    assert by_section["Tillgångar"][2] == sum((v for k, v in ub_before.items() if k.startswith("1")), ZERO)


def test_income_statement_result_equals_the_files_res(imported):
    res = declared_balances(VISMA, "RES", 0)
    res_before = declared_balances(VISMA, "RES", -1)
    statement = reports.report(imported, reports.INCOME, None).statement
    assert statement.result == [-sum(res.values(), ZERO), -sum(res_before.values(), ZERO)]
    # Every result account's line equals its #RES (sign flipped for presentation).
    lines = {line.number: line.values[0] for s in statement.sections for g in s.groups for line in g.lines}
    assert {n: -v for n, v in lines.items() if v} == {n: v for n, v in res.items() if v}


def test_monthly_income_statement_adds_up_to_the_year(imported):
    months = [
        reports.report(imported, reports.INCOME, p).statement.result[0]
        for p in selectors.periods_of(imported)
    ]
    year = reports.report(imported, reports.INCOME, None).statement.result[0]
    assert sum(months, ZERO) == year
    march = reports.report(imported, reports.INCOME, 202103).statement
    assert march.column_labels[0].lower().startswith("mars")
    assert march.result[1] == sum(months[:3], ZERO)  # year to date


def test_balance_sheet_at_a_month_end(imported):
    december = reports.report(imported, reports.BALANCE, 202112).statement
    year = reports.report(imported, reports.BALANCE, None).statement
    assert totals(december)["Tillgångar"][1] == totals(year)["Tillgångar"][1]


def test_statement_pages_aggregate_in_the_database(client, world, imported, django_assert_max_num_queries):
    client.force_login(world.accountant_a)
    company = imported.company
    for name in ("analysis:balance_sheet", "analysis:income_statement"):
        url = reverse(name, args=[company.pk, imported.pk])
        with django_assert_max_num_queries(22):
            response = client.get(url)
        assert response.status_code == 200
        with django_assert_max_num_queries(22):
            assert client.get(url, {"period": "202106"}).status_code == 200
    body = client.get(reverse("analysis:income_statement", args=[company.pk, imported.pk])).content.decode()
    assert "<svg" in body and "Resultaträkning" in body
    assert money(-sum(declared_balances(VISMA, "RES", 0).values(), ZERO)) in body


def test_general_ledger_runs_from_opening_to_closing_balance(imported):
    ub = declared_balances(VISMA, "UB", 0)
    ib = declared_balances(VISMA, "IB", 0)
    account = Account.objects.get(fiscal_year=imported, number="1930")
    opening = selectors.account_opening(account)
    assert opening == ib.get("1930", ZERO)
    rows = list(selectors.account_rows(account))
    balance = opening
    for row in rows:
        balance += row.amount
        assert opening + selectors.money(row.running) == balance  # the database's running sum
    assert balance == ub["1930"]
    summaries = {s.account.number: s for s in selectors.general_ledger_accounts(imported)}
    assert summaries["1930"].closing == ub["1930"]
    assert all(summaries[n].closing == ub[n] for n in ub if n in summaries)


def test_account_and_voucher_pages(client, world, imported):
    client.force_login(world.accountant_a)
    company = imported.company
    account = Account.objects.get(fiscal_year=imported, number="1910")
    body = client.get(reverse("ledger:account", args=[company.pk, account.pk])).content.decode()
    assert "Ingående balans" in body and "Utgående balans" in body
    ub = declared_balances(VISMA, "UB", 0)["1910"]
    assert money(ub) in body
    voucher = account.rows.order_by("voucher__date", "voucher_id").first().voucher
    args = [company.pk, voucher.fiscal_year.start, voucher.series, voucher.number]
    page = client.get(reverse("ledger:voucher", args=args)).content.decode()
    assert "Kaffebr" in page and "174,12" in page and "-195,00" in page
    # Another company's account through this company's URL: not found.
    other = Account.objects.create(
        fiscal_year=FiscalYear.objects.create(company=world.b1, start="2021-01-01", end="2021-12-31"),
        number="1910",
        type="T",
    )
    assert client.get(reverse("ledger:account", args=[company.pk, other.pk])).status_code == 404


def test_loaded_data_page_lists_years_with_source_and_counts(client, world, imported):
    client.force_login(world.accountant_a)
    body = client.get(reverse("web:company_ledger", args=[imported.company.pk])).content.decode()
    assert "Inläst data" in body
    assert "2021-01-01 – 2021-12-31" in body and "SIE-fil" in body
    assert ">295<" in body and ">1330<" in body
    assert "endast saldon" in body  # 2020: balances only


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234567.89"), "1\u00a0234\u00a0567,89"),
        (Decimal("-0.5"), "-0,50"),
        (Decimal("0"), "0,00"),
        (None, ""),
    ],
)
def test_money_is_written_the_swedish_way(value, text):
    assert money(value) == text
