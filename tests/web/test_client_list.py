"""The client list's status columns (connections, last sync, tax light): what each shows, the
order of every sort, the filters, one query per column whatever the number of clients, and
that a new sync or check result shows at once."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from bench.client_list import orgnr, populate
from django.urls import reverse

from ledgerport.analysis.models import TaxCheckSummary
from ledgerport.connectors.models import Connection, SyncRun
from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.services import company_create

pytestmark = pytest.mark.django_db

A1, A2, C3, C4 = "Alfa Klient Ett AB", "Alfa Klient Två AB", "Cesar AB", "Delta AB"
ROW_NAME = re.compile(r'data-testid="company-row">\s*<td><a href="[^"]+">([^<]+)</a>')


def summary(company, findings: int, year: int = 2025) -> TaxCheckSummary:
    fiscal_year = FiscalYear.objects.create(company=company, start=date(year, 1, 1), end=date(year, 12, 31))
    return TaxCheckSummary.objects.create(company=company, fiscal_year=fiscal_year, findings=findings)


def synced(connection: Connection, day: int, status: str = "succeeded") -> SyncRun:
    return SyncRun.objects.create(
        connection=connection, status=status, finished_at=datetime(2026, 12, day, 10, tzinfo=UTC)
    )


@pytest.fixture
def clients(world):
    """A1: Fortnox active, Skatteverket needs new approval, synced 1 Dec, 3 differences.
    A2: Fortnox active, synced 3 Dec, no differences. C3: Spiris pending, only a failed sync, no
    tax data. C4: no connection, never synced, 1 difference."""
    c3 = company_create(firm=world.firm_a, name=C3, orgnr=orgnr(3))
    c4 = company_create(firm=world.firm_a, name=C4, orgnr=orgnr(4))
    fortnox_a1 = Connection.objects.create(company=world.a1, provider="fortnox", status="active")
    Connection.objects.create(company=world.a1, provider="skatteverket", status="needs_reauthorisation")
    fortnox_a2 = Connection.objects.create(company=world.a2, provider="fortnox", status="active")
    spiris_c3 = Connection.objects.create(company=c3, provider="spiris", status="pending")
    synced(fortnox_a1, 1)
    synced(fortnox_a1, 4, status="failed")  # a later failure is not a successful sync
    synced(fortnox_a2, 3)
    synced(spiris_c3, 2, status="failed")
    summary(world.a1, 3)
    summary(world.a2, 0)
    summary(c4, 1)
    return world


def names(client, **params) -> list[str]:
    html = client.get(reverse("web:company_list"), params).content.decode()
    return ROW_NAME.findall(html)


@pytest.fixture
def as_accountant(client, clients):
    client.force_login(clients.accountant_a)
    return client


def test_the_columns_show_connections_last_sync_and_lights(as_accountant, clients):
    html = as_accountant.get(reverse("web:company_list")).content.decode()
    a1_row = html[html.index(A1) : html.index("</tr>", html.index(A1))]
    assert 'data-provider="fortnox" data-status="active"' in a1_row
    assert 'data-provider="skatteverket" data-status="needs_reauthorisation"' in a1_row
    assert "Behöver godkännas igen" in a1_row
    assert ">2026-12-01 11:00</time>" in a1_row  # Stockholm time of the successful run, not the failed one
    assert 'data-light="red"' in a1_row and "3 avvikelser" in a1_row
    assert (
        reverse(
            "analysis:tax_account",
            args=[clients.a1.pk, TaxCheckSummary.objects.get(company=clients.a1).fiscal_year_id],
        )
        in a1_row
    )
    c3_row = html[html.index(C3) : html.index("</tr>", html.index(C3))]
    assert "data-never-synced" in c3_row and 'data-light="none"' in c3_row
    for label in ("Företag", "Kopplingar", "Senaste synk", "Skattekonto"):
        assert f">{label}</a></th>" in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", [A1, A2, C3, C4]),
        ("-name", [C4, C3, A2, A1]),
        ("orgnr", [C3, C4, A1, A2]),  # 5500000038, 5500000046, 5560360793, 5590234562
        # Attention first: needs new approval, then pending, then active; no connection last.
        ("connections", [A1, C3, A2, C4]),
        ("-connections", [A2, C3, A1, C4]),
        # Oldest successful sync first; never synced last either way (by name).
        ("synced", [A1, A2, C3, C4]),
        ("-synced", [A2, A1, C3, C4]),
        # Fewest differences first; without tax data last either way.
        ("tax", [A2, C4, A1, C3]),
        ("-tax", [A1, C4, A2, C3]),
        ("nonsense", [A1, A2, C3, C4]),
    ],
)
def test_sort_orders(as_accountant, sort, expected):
    assert names(as_accountant, sort=sort) == expected


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("differences", [A1, C4]),
        ("needs_approval", [A1]),
        ("never_synced", [C3, C4]),
        ("", [A1, A2, C3, C4]),
        ("unknown", [A1, A2, C3, C4]),
    ],
)
def test_filters(as_accountant, show, expected):
    assert names(as_accountant, show=show) == expected


def test_filters_count_sort_and_search_together(as_accountant):
    html = as_accountant.get(
        reverse("web:company_list"), {"show": "differences", "sort": "-tax"}
    ).content.decode()
    assert ROW_NAME.findall(html) == [A1, C4]
    chip = re.search(r'data-testid="filter-differences">([^<]+)<span class="count">(\d+)</span>', html)
    assert (
        chip is not None and chip.group(1).strip() == "Visa klienter med avvikelser" and chip.group(2) == "2"
    )
    assert 'aria-current="true" data-testid="filter-differences"' in html
    assert 'aria-sort="descending"><a href="?show=differences&amp;sort=tax"' in html
    assert names(as_accountant, show="never_synced", q="delta") == [C4]
    empty = as_accountant.get(reverse("web:company_list"), {"show": "needs_approval", "q": "cesar"})
    assert "Ingen klient matchar sökningen" in empty.content.decode()


def test_htmx_search_keeps_the_filter_and_sort(as_accountant):
    response = as_accountant.get(
        reverse("web:company_list"), {"q": "alfa", "show": "differences"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="company-rows"' in body
    assert ROW_NAME.findall(body) == [A1]


def test_a_client_role_sees_no_firm_status(client, clients):
    client.force_login(clients.signatory_a1)
    html = client.get(reverse("web:company_list")).content.decode()
    assert ROW_NAME.findall(html) == [A1]
    assert 'data-light="none"' in html and "data-status=" not in html and "<time" not in html


def test_a_new_sync_or_check_result_shows_at_once(as_accountant, clients):
    assert names(as_accountant, show="differences") == [A1, C4]
    TaxCheckSummary.objects.filter(company=clients.a1).update(findings=0)
    assert names(as_accountant, show="differences") == [C4]
    c3_spiris = Connection.objects.get(company__name=C3)
    synced(c3_spiris, 5)
    assert names(as_accountant, show="never_synced") == [C4]
    assert ">2026-12-05 11:00</time>" in as_accountant.get(reverse("web:company_list")).content.decode()
    Connection.objects.filter(company=clients.a1, provider="skatteverket").update(status="active")
    assert names(as_accountant, show="needs_approval") == []


def test_one_query_per_column_for_500_clients(client, world, django_assert_max_num_queries):
    client.force_login(world.accountant_a)
    url = reverse("web:company_list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(url)
    populate(world.firm_a, 500)
    for params in ({}, {"sort": "-synced"}, {"show": "differences"}):
        with django_assert_max_num_queries(len(two.captured_queries)):
            html = client.get(url, params).content.decode()
        assert html.count('data-testid="company-row"') >= (502 if not params.get("show") else 1)
    # The counts the filters show were computed from the same cells.
    counts = dict(re.findall(r'data-testid="filter-(\w+)">[^<]+<span class="count">(\d+)</span>', html))
    assert int(counts["differences"]) == html.count('data-testid="company-row"')
    assert int(counts["all"]) == 502
