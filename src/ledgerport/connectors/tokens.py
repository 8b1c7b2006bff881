"""Access tokens for a connection, refreshed under a per-connection lock.

Refresh tokens are single-use and rotate (at every provider so far): if two workers
refreshed the same token at once, the second refresh would be refused and the grant lost.
So a refresh happens only inside a transaction holding the connection's row lock
(`SELECT … FOR UPDATE` on PostgreSQL; on SQLite every transaction takes the write lock at
BEGIN). Whoever waits re-reads the row and finds the token the first one stored.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import oauth, providers, vault
from .http import GrantRevoked
from .models import Connection, ConnectionStatus

log = logging.getLogger(__name__)

# Refresh a little before expiry so a token never dies in the middle of a request.
EARLY = timedelta(minutes=2)


def _fresh(connection: Connection) -> bool:
    return bool(
        connection.access_token_ciphertext
        and connection.access_expires_at
        and connection.access_expires_at > timezone.now() + EARLY
    )


def access_token(connection_id: int, *, force_refresh: bool = False) -> str:
    """A valid access token, refreshing it if needed (raises GrantRevoked)."""
    connection = Connection.objects.get(pk=connection_id)
    if _fresh(connection) and not force_refresh:
        return vault.unseal(connection.access_token_ciphertext)
    seen = connection.access_token_ciphertext
    try:
        with transaction.atomic():
            connection = Connection.objects.select_for_update().get(pk=connection_id)
            # Another worker may have refreshed while we waited for the lock: use its token.
            if _fresh(connection) and (not force_refresh or connection.access_token_ciphertext != seen):
                return vault.unseal(connection.access_token_ciphertext)
            if connection.status in {ConnectionStatus.NEEDS_REAUTHORISATION, ConnectionStatus.REVOKED}:
                raise GrantRevoked(connection.status_message or connection.status)
            tokens = oauth.refresh(
                providers.get(connection.provider).endpoints(),
                refresh_token=vault.unseal(connection.refresh_token_ciphertext),
            )
            store_tokens(connection, tokens)
            return tokens.access_token
    except GrantRevoked as exc:
        connection_needs_reauthorisation(connection_id, reason=exc.message)
        raise


def connection_needs_reauthorisation(connection_id: int, *, reason: str) -> None:
    """Turn the status red; the UI offers a fresh activation link."""
    log.warning("Grant refused for connection %s: %s", connection_id, reason)
    Connection.objects.filter(pk=connection_id).update(
        status=ConnectionStatus.NEEDS_REAUTHORISATION,
        status_message=_(
            "The provider no longer accepts our access. Send a new activation link to reconnect."
        ),
        updated_at=timezone.now(),
    )


def store_tokens(connection: Connection, tokens: oauth.TokenSet) -> None:
    connection.access_token_ciphertext = vault.seal(tokens.access_token)
    if tokens.refresh_token:
        connection.refresh_token_ciphertext = vault.seal(tokens.refresh_token)
    connection.access_expires_at = tokens.access_expires_at
    connection.token_refreshed_at = timezone.now()
    if tokens.scope:
        connection.scopes = tokens.scope
    connection.save(
        update_fields=[
            "access_token_ciphertext",
            "refresh_token_ciphertext",
            "access_expires_at",
            "token_refreshed_at",
            "scopes",
            "updated_at",
        ]
    )
