"""In-memory OAuth2 authorization server state shared by the provider simulators.

Clients, pending authorization requests (the login/picker/consent pages), authorization codes,
grants (one per consent: client + company + scopes), access tokens and rotating refresh tokens.
Provider modules decide the error shapes and the lifetimes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver"}


class OAuthError(Exception):
    def __init__(self, error: str, description: str = "", status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)  # empty = any loopback URI (dev client)
    scopes: set[str] | None = None  # scopes the app is registered for; None = every known scope
    allow_service_account: bool = True
    name: str = "Ledgerport"

    def redirect_allowed(self, uri: str) -> bool:
        if self.redirect_uris:
            return uri in self.redirect_uris
        try:
            parts = urlsplit(uri)
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        return parts.scheme in ("http", "https") and (host in LOOPBACK_HOSTS or host.endswith(".localhost"))


@dataclass
class AuthRequest:
    id: str
    client_id: str
    redirect_uri: str
    redirect_uri_sent: bool
    scopes: list[str]
    state: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    params: dict[str, str]
    created: float
    user_email: str | None = None
    company_key: str | None = None


@dataclass
class AuthCode:
    code: str
    request: AuthRequest
    expires: float
    used: bool = False
    grant_id: str | None = None


@dataclass
class Grant:
    id: str
    client_id: str
    user_email: str | None
    company_key: str
    scopes: list[str]
    created: float
    service: bool = False
    refresh_token: str | None = None
    refresh_expires: float | None = None
    revoked: bool = False
    revoked_reason: str = ""

    def summary(self) -> dict[str, object]:
        return {
            "id": self.id,
            "client_id": self.client_id,
            "user": self.user_email,
            "company": self.company_key,
            "scopes": self.scopes,
            "service": self.service,
            "revoked": self.revoked,
            "revoked_reason": self.revoked_reason,
        }


@dataclass
class AccessToken:
    token: str
    grant_id: str
    expires: float
    scopes: list[str]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def verify_pkce(verifier: str, challenge: str, method: str | None) -> bool:
    if (method or "plain").upper() == "S256":
        return hmac.compare_digest(_b64(hashlib.sha256(verifier.encode()).digest()), challenge)
    return hmac.compare_digest(verifier, challenge)


class OAuthStore:
    def __init__(
        self,
        provider: str,
        *,
        issuer: str,
        access_ttl: int = 3600,
        refresh_ttl: int | None = None,
        code_ttl: int = 600,
        jwt_key: bytes,
    ) -> None:
        self.provider = provider
        self.issuer = issuer
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.code_ttl = code_ttl
        self._jwt_key = jwt_key
        self.clients: dict[str, Client] = {}
        self.requests: dict[str, AuthRequest] = {}
        self.codes: dict[str, AuthCode] = {}
        self.grants: dict[str, Grant] = {}
        self.access: dict[str, AccessToken] = {}
        self.refresh: dict[str, tuple[str, bool]] = {}  # token -> (grant id, already used)

    # ---------------------------------------------------------------- clients
    def client(self, client_id: str | None) -> Client | None:
        return self.clients.get(client_id or "")

    def authenticate_client(self, client_id: str | None, secret: str | None) -> Client:
        client = self.client(client_id)
        if client is None or secret is None or not hmac.compare_digest(client.client_secret, secret):
            raise OAuthError("invalid_client", "Client authentication failed.", 401)
        return client

    # ---------------------------------------------------------------- authorization requests
    def new_request(self, **kw: object) -> AuthRequest:
        req = AuthRequest(id=secrets.token_urlsafe(18), **kw)  # type: ignore[arg-type]
        self.requests[req.id] = req
        return req

    def issue_code(self, req: AuthRequest, now: float) -> str:
        code = secrets.token_urlsafe(24)
        self.codes[code] = AuthCode(code, req, now + self.code_ttl)
        self.requests.pop(req.id, None)
        return code

    def exchange_code(
        self, client: Client, code: str | None, redirect_uri: str | None, verifier: str | None, now: float
    ) -> Grant:
        entry = self.codes.get(code or "")
        if entry is None or entry.request.client_id != client.client_id:
            raise OAuthError("invalid_grant", "Invalid authorization code.")
        if entry.used:
            # RFC 6749 10.5: a reused code revokes what it issued.
            if entry.grant_id and entry.grant_id in self.grants:
                self.revoke(self.grants[entry.grant_id], "authorization code reused")
            raise OAuthError("invalid_grant", "Authorization code has already been used.")
        if now > entry.expires:
            raise OAuthError("invalid_grant", "Authorization code has expired.")
        req = entry.request
        if req.redirect_uri_sent and redirect_uri != req.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorization request.")
        if req.code_challenge:
            if not verifier:
                raise OAuthError("invalid_grant", "code_verifier is required.")
            if not verify_pkce(verifier, req.code_challenge, req.code_challenge_method):
                raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge.")
        entry.used = True
        assert req.company_key is not None
        grant = self.create_grant(
            client.client_id,
            req.user_email,
            req.company_key,
            req.scopes,
            now,
            service=req.params.get("account_type", "").lower() == "service",
        )
        entry.grant_id = grant.id
        return grant

    # ---------------------------------------------------------------- grants and tokens
    def create_grant(
        self,
        client_id: str,
        user: str | None,
        company: str,
        scopes: list[str],
        now: float,
        *,
        service: bool = False,
    ) -> Grant:
        grant = Grant(str(uuid.uuid4()), client_id, user, company, list(scopes), now, service=service)
        self.grants[grant.id] = grant
        return grant

    def _jwt(self, grant: Grant, now: float, extra: dict[str, object]) -> str:
        header = {"alg": "HS256", "typ": "JWT"}
        payload = {
            "iss": self.issuer,
            "sub": grant.user_email or f"service:{grant.client_id}",
            "client_id": grant.client_id,
            "scope": " ".join(grant.scopes),
            "iat": int(now),
            "exp": int(now + self.access_ttl),
            "jti": secrets.token_hex(8),
            **extra,
        }
        signing_input = (
            _b64(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64(json.dumps(payload, separators=(",", ":")).encode())
        )
        sig = hmac.new(self._jwt_key, signing_input.encode(), hashlib.sha256).digest()
        return signing_input + "." + _b64(sig)

    def mint(
        self, grant: Grant, now: float, *, with_refresh: bool, claims: dict[str, object]
    ) -> tuple[str, str | None]:
        access = self._jwt(grant, now, claims)
        self.access[access] = AccessToken(access, grant.id, now + self.access_ttl, list(grant.scopes))
        refresh = None
        if with_refresh:
            refresh = str(uuid.uuid4())
            grant.refresh_token = refresh
            grant.refresh_expires = now + self.refresh_ttl if self.refresh_ttl else None
            self.refresh[refresh] = (grant.id, False)
        return access, refresh

    def use_refresh(
        self, client: Client, token: str | None, now: float, *, kill_grant_on_reuse: bool
    ) -> Grant:
        entry = self.refresh.get(token or "")
        if entry is None:
            raise OAuthError("invalid_grant", "Invalid refresh token.")
        grant_id, used = entry
        grant = self.grants[grant_id]
        if grant.client_id != client.client_id:
            raise OAuthError("invalid_grant", "Refresh token was issued to another client.")
        if used:
            if kill_grant_on_reuse:
                self.revoke(grant, "refresh token reused")
            raise OAuthError("invalid_grant", "Refresh token has already been used.")
        if grant.revoked:
            raise OAuthError("invalid_grant", f"The grant has been revoked ({grant.revoked_reason}).")
        if grant.refresh_expires is not None and now > grant.refresh_expires:
            raise OAuthError("invalid_grant", "Refresh token has expired.")
        self.refresh[token or ""] = (grant_id, True)
        return grant

    def lookup(self, token: str | None, now: float) -> tuple[AccessToken | None, Grant | None, str]:
        """(token, grant, problem) where problem is '', 'missing', 'invalid', 'expired' or 'revoked'."""
        if not token:
            return None, None, "missing"
        at = self.access.get(token)
        if at is None:
            return None, None, "invalid"
        grant = self.grants[at.grant_id]
        if grant.revoked:
            return at, grant, "revoked"
        if now >= at.expires:
            return at, grant, "expired"
        return at, grant, ""

    def revoke(self, grant: Grant, reason: str) -> None:
        grant.revoked = True
        grant.revoked_reason = reason
        if grant.refresh_token:
            self.refresh[grant.refresh_token] = (grant.id, True)

    def expire_access_tokens(self, grants: list[Grant], now: float) -> int:
        ids = {g.id for g in grants}
        n = 0
        for at in self.access.values():
            if at.grant_id in ids and at.expires > now:
                at.expires = now
                n += 1
        return n

    def find_grants(self, *, company: str | None = None, token: str | None = None) -> list[Grant]:
        if token:
            if token in self.access:
                return [self.grants[self.access[token].grant_id]]
            if token in self.refresh:
                return [self.grants[self.refresh[token][0]]]
            return []
        return [g for g in self.grants.values() if company is None or g.company_key == company]
