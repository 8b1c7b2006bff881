"""A forged or foreign consent callback never harms a working connection: a bad `state`, a
forged `code` on a real state, or a state from another company's link all leave the active
connection with its tokens, and answer with a clear message."""

from __future__ import annotations

import pytest

from ledgerport.connectors import services, tokens
from ledgerport.connectors.models import Connection, ConnectionStatus
from tests.connectors.sync_helpers import connect

CALLBACK = "/connect/callback/fortnox/"


def snapshot(connection: Connection) -> tuple:
    connection.refresh_from_db()
    return (
        connection.status,
        connection.status_message,
        connection.access_token_ciphertext,
        connection.refresh_token_ciphertext,
        connection.external_orgnr,
    )


@pytest.fixture
def active(world, providers_at_sandbox):
    connection = connect(providers_at_sandbox, world.a1)
    assert connection.status == ConnectionStatus.ACTIVE
    return connection


def begun_link(company):
    link = services.activation_link_create(user=None, company=company, provider="fortnox")
    services.consent_begin(link=link)
    link.refresh_from_db()
    return link


def test_a_forged_state_is_refused_and_changes_nothing(client, active):
    before = snapshot(active)
    response = client.get(CALLBACK, {"state": "forged-state", "code": "forged-code"})
    assert response.status_code == 400
    assert "Börja om från länken du fick" in response.content.decode()
    assert snapshot(active) == before
    assert tokens.access_token(active.pk)  # the grant still works


def test_a_forged_code_on_a_real_state_leaves_the_active_connection_alone(client, active):
    before = snapshot(active)
    link = begun_link(active.company)  # someone opened a new link for the same company
    response = client.get(CALLBACK, {"state": link.oauth_state, "code": "forged-code"})
    assert response.status_code == 400
    assert snapshot(active) == before
    assert active.status == ConnectionStatus.ACTIVE
    link.refresh_from_db()
    assert link.used_at is None  # still usable for a real approval
    assert "Den befintliga kopplingen är oförändrad" in response.content.decode()


def test_a_state_from_another_companys_link_changes_neither(client, world, active, providers_at_sandbox):
    before = snapshot(active)
    other = begun_link(world.a2)
    other_connection = Connection.objects.get(company=world.a2, provider="fortnox")
    other_before = snapshot(other_connection)
    # A real code, but for Exempelbolaget (a1's company), sent with a2's state.
    from ledgerport.connectors import providers

    code = providers_at_sandbox.authorize(
        "fortnox",
        "admin@exempelbolaget.se",
        company=world.a1.orgnr_display,
        redirect_uri=providers.get("fortnox").endpoints().redirect_uri,
        scope=providers.get("fortnox").scope,
    )["code"]
    response = client.get(CALLBACK, {"state": other.oauth_state, "code": code})
    assert response.status_code == 400
    assert world.a2.name in response.content.decode()
    assert snapshot(active) == before
    assert snapshot(other_connection) == other_before
