"""The Skatteverket card: "Hämta" starts a data sync; verify pages answer 404 for other links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerport.connectors.models import ActivationLink, SyncRun
from tests.connectors.skatteverket.conftest import active_connection

pytestmark = pytest.mark.django_db


def test_an_active_card_offers_fetch_and_starts_a_data_sync(client, world, providers_at_sandbox):
    connection = active_connection(world.a1)
    client.force_login(world.accountant_a)
    page = client.get(reverse("web:company_collect", args=[world.a1.pk])).content.decode()
    assert 'data-testid="sync-fetch"' in page and "Hämta" in page
    assert 'data-testid="ombud-check-skatteverket"' in page
    response = client.post(reverse("connectors:sync_start", args=[world.a1.pk, "skatteverket"]))
    assert response.status_code == 200
    run = SyncRun.objects.get(connection=connection)
    assert run.fiscal_years == []  # a data sync: no fiscal years


def test_verify_is_only_for_ombud_links(client, world):
    link = ActivationLink.objects.create(company=world.a1, provider="fortnox")
    assert client.post(reverse("connectors:verify", args=[link.token])).status_code == 404
    assert client.post(reverse("connectors:verify", args=["no-such-token"])).status_code == 404
