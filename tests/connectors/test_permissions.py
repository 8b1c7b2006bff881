"""Creating activation links and starting syncs is the firm's work ("work" in tenancy/roles.py):
a signatory or member of the company is refused (404, nothing written) and offered no button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerport.connectors.models import ActivationLink, Connection, ConnectionStatus, SyncRun
from tests.ledger.factories import ledger_objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def connected(world):
    Connection.objects.create(company=world.a1, provider="fortnox", status=ConnectionStatus.ACTIVE)
    return ledger_objects(world.a1).fiscal_year


def _actions(world, fiscal_year) -> dict[str, str]:
    company = world.a1.pk
    return {
        "activate": reverse("connectors:activate", args=[company, "fortnox"]),
        "sync_start": reverse("connectors:sync_start", args=[company, "fortnox"]),
        "sync_year_start": reverse("connectors:sync_year_start", args=[company, fiscal_year.pk]),
    }


@pytest.mark.parametrize("role", ["signatory", "member"])
def test_client_users_cannot_create_links_or_start_syncs(client, world, connected, role):
    client.force_login(world.users()[role])
    for name, url in _actions(world, connected).items():
        assert client.post(url).status_code == 404, name
    assert not ActivationLink.objects.exists()
    assert not SyncRun.objects.exists()
    # Nor are they offered the buttons: the pages they open carry none of these addresses.
    for page in ("web:company_overview", "web:company_documents", "web:company_cases"):
        body = client.get(reverse(page, args=[world.a1.pk])).content.decode()
        assert not any(url in body for url in _actions(world, connected).values()), page
    assert client.get(reverse("web:company_collect", args=[world.a1.pk])).status_code == 404


@pytest.mark.parametrize("role", ["firm admin", "accountant"])
def test_firm_users_create_links_and_start_syncs(client, world, connected, role):
    client.force_login(world.users()[role])
    actions = _actions(world, connected)
    assert client.post(actions["activate"]).status_code == 200
    assert ActivationLink.objects.filter(company=world.a1, created_by=world.users()[role]).count() == 1
    assert client.post(actions["sync_start"]).status_code == 200
    assert SyncRun.objects.filter(connection__company=world.a1).count() == 1
    page = client.get(reverse("web:company_collect", args=[world.a1.pk])).content.decode()
    assert actions["activate"] in page and actions["sync_start"] in page
