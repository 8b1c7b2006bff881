"""Översikt's key figures from a small SIE file whose figures are worked out by hand below."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from ledgerport.analysis import reports
from ledgerport.analysis.key_figures import compute, key_figures
from ledgerport.ledger import selectors
from ledgerport.ledger.services import ledger_import_sie
from ledgerport.ledger.templatetags.ledger import money

pytestmark = pytest.mark.django_db

SIE = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#ORGNR {orgnr}
#FNAMN "Alfa Klient Ett AB"
#RAR 0 20250101 20251231
#KONTO 1930 "Företagskonto"
#KONTO 1932 "Sparkonto"
#KONTO 1940 "Placeringskonto"
#KONTO 2081 "Aktiekapital"
#KONTO 2611 "Utgående moms"
#KONTO 2640 "Ingående moms"
#KONTO 3010 "Försäljning"
#KONTO 3590 "Övriga fakturerade kostnader"
#KONTO 4010 "Inköp material"
#KONTO 7010 "Löner"
#KONTO 8310 "Ränteintäkter"
#IB 0 1930 10000.00
#IB 0 1940 500.00
#IB 0 2081 -10500.00
#VER A 1 20250115 "Försäljning"
{{
#TRANS 1930 {{}} 12500.00
#TRANS 3010 {{}} -10000.00
#TRANS 2611 {{}} -2500.00
}}
#VER A 2 20250210 "Inköp"
{{
#TRANS 4010 {{}} 4000.00
#TRANS 2640 {{}} 1000.00
#TRANS 1930 {{}} -5000.00
}}
#VER A 3 20250320 "Vidarefakturerat"
{{
#TRANS 1932 {{}} 2000.00
#TRANS 3590 {{}} -2000.00
}}
#VER A 4 20250331 "Ränta"
{{
#TRANS 1930 {{}} 150.00
#TRANS 8310 {{}} -150.00
}}
#VER A 5 20250415 "Placering"
{{
#TRANS 1940 {{}} 1000.00
#TRANS 1930 {{}} -1000.00
}}
#VER A 6 20250430 "Lön"
{{
#TRANS 7010 {{}} 3000.00
#TRANS 1930 {{}} -3000.00
}}
"""

# By hand: revenue = -(3010 + 3590) = 10 000 + 2 000; result = 12 000 - 4 000 (4010) - 3 000
# (7010) + 150 (8310); cash = 1930 (10 000 + 12 500 - 5 000 + 150 - 1 000 - 3 000) + 1932
# (2 000); 1940 is not cash in BAS's 1930-1939.
REVENUE, RESULT, CASH = Decimal("12000.00"), Decimal("5150.00"), Decimal("15650.00")
REVENUE_BY_MONTH = [Decimal(v) for v in ("10000", "0", "2000")] + [Decimal(0)] * 9
RESULT_BY_MONTH = [Decimal(v) for v in ("10000", "-4000", "2150", "-3000")] + [Decimal(0)] * 8
CASH_BY_MONTH = [Decimal(v) for v in ("22500", "17500", "19650")] + [Decimal("15650")] * 9


@pytest.fixture
def year(world):
    ledger_import_sie(company=world.a1, stream=io.BytesIO(SIE.format(orgnr=world.a1.orgnr).encode("cp437")))
    return selectors.latest_year_with_ledger(company=world.a1)


def test_key_figures_are_the_hand_computed_ones(year):
    figures = key_figures(year)
    assert (figures.revenue, figures.result, figures.cash) == (REVENUE, RESULT, CASH)
    assert figures.revenue_by_month == REVENUE_BY_MONTH
    assert figures.result_by_month == RESULT_BY_MONTH
    assert figures.cash_by_month == CASH_BY_MONTH
    assert figures.periods == [202500 + m for m in range(1, 13)]


def test_the_result_is_the_income_statements(year):
    """The same number the Analyser tab's income statement ends with."""
    statement = reports.report(year, reports.INCOME, None).statement
    assert statement.result[0] == compute(selectors.year_figures(year)).result == RESULT


def test_overview_shows_the_figures_with_sparklines(client, world, year):
    client.force_login(world.accountant_a)
    html = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    for key, value in (("revenue", REVENUE), ("result", RESULT), ("cash", CASH)):
        assert f'data-testid="key-figure-{key}">{money(value)}</strong>' in html
    assert html.count('<svg class="sparkline"') == 3
    assert "<script" not in html.split('data-testid="overview"')[1]
    assert reverse("analysis:income_statement", args=[world.a1.pk, year.pk]) in html


@pytest.mark.parametrize("role", ["signatory_a1", "member_a1"])
def test_a_client_sees_the_figures_but_no_way_to_work(client, world, year, role):
    client.force_login(getattr(world, role))
    html = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert f'data-testid="key-figure-result">{money(RESULT)}</strong>' in html
    assert reverse("analysis:income_statement", args=[world.a1.pk, year.pk]) not in html
    assert reverse("web:company_collect", args=[world.a1.pk]) not in html
    assert 'data-testid="overview-tax-checks"' not in html


def test_overview_without_a_ledger_says_so(client, world):
    client.force_login(world.accountant_a)
    html = client.get(reverse("web:company_overview", args=[world.a2.pk])).content.decode()
    assert 'data-testid="key-figures"' in html and "sparkline" not in html
    assert "Nyckeltal visas här" in html


def test_a_new_import_shows_at_once(client, world, year):
    """The figures are cached per version of the ledger: a new import makes a new key."""
    client.force_login(world.accountant_a)
    url = reverse("web:company_overview", args=[world.a1.pk])
    assert f'data-testid="key-figure-revenue">{money(REVENUE)}</strong>' in client.get(url).content.decode()
    changed = SIE.format(orgnr=world.a1.orgnr).replace("#TRANS 3590 {} -2000.00", "#TRANS 3590 {} -2500.00")
    changed = changed.replace("#TRANS 1932 {} 2000.00", "#TRANS 1932 {} 2500.00")
    ledger_import_sie(company=world.a1, stream=io.BytesIO(changed.encode("cp437")), replace=True)
    html = client.get(url).content.decode()
    assert f'data-testid="key-figure-revenue">{money(REVENUE + 500)}</strong>' in html
    assert f'data-testid="key-figure-cash">{money(CASH + 500)}</strong>' in html
