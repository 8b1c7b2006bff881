"""Översikt, the firm's one page of a client: connections with their last successful fetch, the
tax checks' lights linking to their differences, and only what each role may see."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from ledgerport.analysis.services import tax_check_summaries_refresh
from ledgerport.analysis.tax_account_check import tax_account_analysis
from ledgerport.connectors.models import Connection, SyncRun
from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.roles import CompanyRole
from ledgerport.tenancy.services import company_member_add
from ledgerport.web import extensions
from ledgerport.web.extensions import OverviewPanel, overview_panels, register_overview_panel
from tests.analysis.tax_world import TODAY, demo_company

pytestmark = pytest.mark.django_db


def overview(client, user, company) -> str:
    client.force_login(user)
    response = client.get(reverse("web:company_overview", args=[company.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def connected(world):
    fortnox = Connection.objects.create(company=world.a1, provider="fortnox", status="active")
    Connection.objects.create(company=world.a1, provider="skatteverket", status="revoked")
    SyncRun.objects.create(
        connection=fortnox, status="succeeded", finished_at=datetime(2026, 11, 30, 7, tzinfo=UTC)
    )
    SyncRun.objects.create(
        connection=fortnox, status="failed", finished_at=datetime(2026, 12, 2, 7, tzinfo=UTC)
    )
    return world


def test_connections_with_their_last_successful_fetch(client, connected):
    html = overview(client, connected.accountant_a, connected.a1)
    rows = re.findall(r'data-testid="overview-connection" data-provider="(\w+)" data-status="(\w+)"', html)
    assert rows == [("fortnox", "active"), ("skatteverket", "revoked")]
    assert "Senast hämtad <time" in html and ">2026-11-30 08:00</time>" in html
    assert "Aldrig hämtad" in html  # Skatteverket: no successful fetch
    assert (
        f'href="{reverse("web:company_collect", args=[connected.a1.pk])}" data-testid="overview-fetch"'
        in html
    )


@pytest.mark.parametrize("role", ["signatory_a1", "member_a1"])
def test_a_client_sees_the_status_but_no_link_to_manage_it(client, connected, role):
    html = overview(client, getattr(connected, role), connected.a1)
    assert 'data-provider="fortnox" data-status="active"' in html
    assert reverse("web:company_collect", args=[connected.a1.pk]) not in html
    assert 'data-testid="overview-fetch"' not in html


def test_no_connection_says_so(client, world):
    html = overview(client, world.accountant_a, world.a2)
    assert "Inga kopplingar ännu." in html
    assert "Skattekontroller" in html and "Inga uppgifter från skattekontot ännu" in html


def test_the_tax_check_lights_link_to_each_difference(client, world):
    company, _scenario = demo_company(world.firm_a, "exempelbolaget")
    tax_check_summaries_refresh(company, today=TODAY)
    earlier = FiscalYear.objects.filter(company=company).order_by("start").first()
    analysis = tax_account_analysis(company, earlier, today=TODAY)
    html = overview(client, world.accountant_a, company)
    lights = re.findall(
        r'<a href="([^"]+)" class="tax-light" data-testid="check-light" data-check="(\w+)" data-light="(\w+)">',
        html,
    )
    page = reverse("analysis:tax_account", args=[company.pk, earlier.pk])
    expected = {
        "reconciliation": (len(analysis.unmatched_tax) + len(analysis.unmatched_ledger), "unmatched"),
        "late": (len(analysis.late_payments), "late-payments"),
        "agi": (len(analysis.agi_differences), "period-differences"),
        "vat": (len(analysis.vat_differences), "period-differences"),
    }
    assert sum(n for n, _anchor in expected.values()) == analysis.findings == 5
    assert [(key, href) for href, key, _light in lights] == [
        (k, f"{page}#{a}") for k, (_n, a) in expected.items()
    ]
    assert [light for _href, _key, light in lights] == [
        "red" if n else "green" for n, _a in expected.values()
    ]
    # Each anchor is on the tax-account page.
    target = client.get(page).content.decode()
    for _n, anchor in expected.values():
        assert f'id="{anchor}"' in target


def test_a_client_never_sees_the_tax_checks(client, world):
    company, _scenario = demo_company(world.firm_a, "exempelbolaget")
    company_member_add(company=company, user=world.signatory_a2, role=CompanyRole.SIGNATORY)
    html = overview(client, world.signatory_a2, company)
    assert 'data-testid="overview-tax-checks"' not in html
    assert "/analysis/" not in html


def test_a_higher_app_fills_the_client_area_once_it_registers(client, world, monkeypatch):
    """The place for the portal's open cases and unseen documents: empty until a panel registers."""
    # The apps' own client-area panels, taken out for the test (put back after it).
    assert {panel.key for panel in overview_panels("client")} == {
        "open-cases",
        "unseen_documents",
        "payment-files",
    }
    others = {key: panel for key, panel in extensions._panels.items() if panel.area != "client"}
    monkeypatch.setattr(extensions, "_panels", others)
    assert overview_panels("client") == []
    assert "overview-client" not in overview(client, world.accountant_a, world.a1)
    register_overview_panel(
        OverviewPanel("cases", "client", 10, lambda request, company: f"<p>Ärenden för {company.pk}</p>")
    )
    html = overview(client, world.accountant_a, world.a1)
    assert f'<div class="overview-panel" data-panel="cases"><p>Ärenden för {world.a1.pk}</p></div>' in html
    with pytest.raises(ValueError, match="Unknown overview area"):
        register_overview_panel(OverviewPanel("x", "elsewhere", 1, lambda request, company: ""))
