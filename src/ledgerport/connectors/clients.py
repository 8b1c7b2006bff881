"""Provider API clients wired to a connection's tokens, rate limiter and retries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import providers
from .http import ApiClient
from .models import Connection
from .providers import limiter_for


def api_client(
    provider: str, *, connection_id: int, token: Callable[[], str], refresh: Callable[[], None]
) -> ApiClient:
    spec = providers.get(provider)
    return ApiClient(
        base_url=spec.conf["api_url"],
        token=token,
        parse_error=spec.parse_error,
        acquire=limiter_for(provider).acquire,
        rate_key=lambda path: spec.rate_key(connection_id, path),
        on_unauthorized=refresh,
    )


def for_connection(connection: Connection) -> ApiClient:
    spec = providers.get(connection.provider)
    if spec.api_client is not None:  # not the connection's own tokens (an ombud, say)
        return spec.api_client(connection.pk)

    from . import tokens

    def refresh() -> None:
        tokens.access_token(connection.pk, force_refresh=True)

    return api_client(
        connection.provider,
        connection_id=connection.pk,
        token=lambda: tokens.access_token(connection.pk),
        refresh=refresh,
    )


def provider_client(connection: Connection) -> Any:
    """The provider's own API client for a connection (the spec's client factory)."""
    spec = providers.get(connection.provider)
    if spec.client is None:
        raise LookupError(f"{spec.name} has no API client")
    return spec.client(for_connection(connection))
