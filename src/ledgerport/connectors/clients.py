"""Provider API clients wired to a connection's tokens, rate limiter and retries."""

from __future__ import annotations

from collections.abc import Callable

from .fortnox.client import FortnoxClient
from .fortnox.client import parse_error as fortnox_error
from .http import ApiClient
from .models import Connection
from .providers import limiter_for, spec_for
from .spiris.client import SpirisClient
from .spiris.client import parse_error as spiris_error

PARSERS = {"fortnox": fortnox_error, "spiris": spiris_error}


def api_client(
    provider: str, *, connection_id: int, token: Callable[[], str], refresh: Callable[[], None]
) -> ApiClient:
    spec = spec_for(provider)
    return ApiClient(
        base_url=spec.conf["api_url"],
        token=token,
        parse_error=PARSERS[provider],
        acquire=limiter_for(provider).acquire,
        rate_key=lambda path: spec.rate_key(connection_id, path),
        on_unauthorized=refresh,
    )


def for_connection(connection: Connection) -> ApiClient:
    from . import tokens

    return api_client(
        connection.provider,
        connection_id=connection.pk,
        token=lambda: tokens.access_token(connection.pk),
        refresh=lambda: tokens.access_token(connection.pk, force_refresh=True) and None,
    )


def fortnox(connection: Connection) -> FortnoxClient:
    return FortnoxClient(for_connection(connection))


def spiris(connection: Connection) -> SpirisClient:
    return SpirisClient(for_connection(connection))
