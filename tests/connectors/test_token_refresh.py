"""Many workers needing a refresh at once never lose the (single-use, rotating) Fortnox grant."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection as db_connection
from django.utils import timezone

from ledgerport.connectors import oauth, tokens
from ledgerport.connectors.fortnox.provider import SPEC as FORTNOX
from ledgerport.connectors.http import GrantRevoked
from ledgerport.connectors.models import Connection, ConnectionStatus
from tests.concurrency import at_once

pytestmark = pytest.mark.skipif(
    db_connection.vendor == "sqlite",
    reason="SQLite's in-memory test database is one connection shared by all threads; "
    "the row lock is exercised on PostgreSQL (CI)",
)


def connect_fortnox(sandbox, company) -> Connection:
    redirect_uri = FORTNOX.endpoints().redirect_uri
    code = sandbox.authorize("fortnox", "admin@exempelbolaget.se", redirect_uri=redirect_uri)["code"]
    token_set = oauth.exchange_code(FORTNOX.endpoints(), code=code, code_verifier="")
    connection = Connection.objects.create(
        company=company, provider="fortnox", status=ConnectionStatus.ACTIVE
    )
    tokens.store_tokens(connection, token_set)
    return connection


def expire_everywhere(sandbox, connection):
    sandbox.expire("fortnox", company="556036-0793")
    Connection.objects.filter(pk=connection.pk).update(
        access_expires_at=timezone.now() - timedelta(seconds=1)
    )


def fortnox_grant(sandbox):
    (grant,) = sandbox.grants("fortnox")
    return grant


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_keep_the_grant(world, providers_at_sandbox):
    sandbox = providers_at_sandbox
    connection = connect_fortnox(sandbox, world.a1)
    for _round in range(3):
        expire_everywhere(sandbox, connection)
        before = sandbox.stats()["fortnox"].get("refresh", 0)
        results = at_once([partial(tokens.access_token, connection.pk)] * 12)
        assert [r for r in results if isinstance(r, Exception)] == []
        assert len(set(results)) == 1  # everyone got the one new token
        assert sandbox.stats()["fortnox"]["refresh"] == before + 1
        assert not fortnox_grant(sandbox)["revoked"]
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_a_second_refresh_kills_the_grant(world, providers_at_sandbox):
    """The sandbox is faithful: reusing a refresh token revokes the grant, as Fortnox does."""
    sandbox = providers_at_sandbox
    connection = connect_fortnox(sandbox, world.a1)
    from ledgerport.connectors import vault

    refresh_token = vault.unseal(connection.refresh_token_ciphertext)
    oauth.refresh(FORTNOX.endpoints(), refresh_token=refresh_token)
    with pytest.raises(GrantRevoked):
        oauth.refresh(FORTNOX.endpoints(), refresh_token=refresh_token)
    assert fortnox_grant(sandbox)["revoked"]
