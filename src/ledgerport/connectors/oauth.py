"""OAuth2 authorization-code flow with PKCE, through Authlib (pure: no Django)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError

with warnings.catch_warnings():
    # Authlib 1.9 nudges towards its httpx2 integration; the httpx one is the supported one here.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client

from .http import GrantRevoked, ProviderError


@dataclass(frozen=True)
class Endpoints:
    authorize_url: str
    token_url: str
    client_id: str
    client_secret: str
    scope: str
    redirect_uri: str


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    scope: str
    id_token: str = ""

    @classmethod
    def from_response(cls, token: dict[str, Any], now: datetime | None = None) -> TokenSet:
        now = now or datetime.now(UTC)
        return cls(
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token", ""),
            access_expires_at=now + timedelta(seconds=int(token.get("expires_in", 3600))),
            scope=token.get("scope", ""),
            id_token=token.get("id_token", ""),
        )


def _client(endpoints: Endpoints, timeout: float = 30.0) -> OAuth2Client:
    return OAuth2Client(
        client_id=endpoints.client_id,
        client_secret=endpoints.client_secret,
        scope=endpoints.scope,
        redirect_uri=endpoints.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
        timeout=timeout,
    )


def new_verifier() -> str:
    return generate_token(64)


def authorization_url(endpoints: Endpoints, *, state: str, code_verifier: str, **extra: str) -> str:
    with _client(endpoints) as client:
        url, _ = client.create_authorization_url(
            endpoints.authorize_url, state=state, code_verifier=code_verifier, **extra
        )
    return str(url)


def exchange_code(endpoints: Endpoints, *, code: str, code_verifier: str) -> TokenSet:
    with _client(endpoints) as client:
        try:
            token = client.fetch_token(
                endpoints.token_url,
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
                redirect_uri=endpoints.redirect_uri,
            )
        except OAuthError as exc:
            raise ProviderError(400, exc.description or exc.error, exc.error) from exc
    return TokenSet.from_response(dict(token))


def refresh(endpoints: Endpoints, *, refresh_token: str) -> TokenSet:
    """A new token set; `GrantRevoked` when the provider refuses the refresh token."""
    with _client(endpoints) as client:
        try:
            token = client.refresh_token(endpoints.token_url, refresh_token=refresh_token)
        except OAuthError as exc:
            if exc.error in {"invalid_grant", "invalid_token", "unauthorized_client"}:
                raise GrantRevoked(exc.description or exc.error) from exc
            raise ProviderError(400, exc.description or exc.error, exc.error) from exc
    return TokenSet.from_response(dict(token))
