"""Statements against the sample file's own balances (parsed independently)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from ledgerport.analysis import reports
from ledgerport.ledger import selectors
from ledgerport.ledger.templatetags.ledger import money
from tests.ledger.conftest import VISMA, declared_balances

ZERO = Decimal(0)


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
