"""ID-porten simulated (OpenID Connect, authorization code + PKCE), for the person who files
the mva-melding (research: authorities-and-identity.md §5.4, norway-formats.md §6.2):

- `GET /idporten/authorize`: client, redirect URI (loopback for the development client),
  `response_type=code`, `openid` among the scopes, PKCE S256 required (as ID-porten requires
  it). Shows the login page: in test mode the tester picks one of the seeded synthetic persons
  or types any fødselsnummer/D-nummer (Tenor's month + 80 accepted), as ID-porten's TestID does.
- `POST /idporten/token`: `authorization_code` (the verifier checked) and `refresh_token`.
  Client authentication `client_secret_basic` or `client_secret_post`. Access tokens live
  120 s (ID-porten's default); refresh tokens are single-use (rotated on every refresh) and
  the authorization ends 7200 s after the login, after which a new login is needed.
- Access tokens are by reference: the validation service and Altinn's token exchange look
  them up here.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sandbox.altinn.persons import PERSONS, person_number_valid
from sandbox.core.consent import Brand, mount_prefix, redirect_error, templates, with_params
from sandbox.core.http import JSONResponse, basic_auth, sandbox

ACCESS_TOKEN_LIFETIME = 120
AUTHORIZATION_LIFETIME = 7200
CODE_LIFETIME = 60
REQUEST_LIFETIME = 1800
CLIENTS = {"ledgerport-dev": "idporten-dev-secret"}
SCOPES = frozenset(
    {
        "openid",
        "profile",
        "skatteetaten:mvameldingvalidering",
        "skatteetaten:mvameldinginnsending",
        "altinn:instances.read",
        "altinn:instances.write",
    }
)
LOOPBACK = {"127.0.0.1", "localhost", "::1", "testserver"}

BRAND = Brand(
    title="ID-porten",
    product="Innlogging",
    color="#1e2b3c",
    bg="#eef2f6",
    login_heading="Logg inn",
    login_button="Logg inn",
    picker_heading="",
    picker_help="",
    consent_heading="",
    approve_button="",
    demo_password="",
)


@dataclass
class Pending:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str
    nonce: str
    challenge: str
    created: float


@dataclass
class Code:
    pending: Pending
    pid: str
    expires: float
    used: bool = False


@dataclass
class Grant:
    """One login: the person, the client, the scopes and when the authorization ends."""

    pid: str
    client_id: str
    scopes: tuple[str, ...]
    ends: float


@dataclass
class AccessToken:
    grant: Grant
    expires: float


@dataclass
class IdportenStore:
    pending: dict[str, Pending] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    access: dict[str, AccessToken] = field(default_factory=dict)
    refresh: dict[str, tuple[Grant, bool]] = field(default_factory=dict)  # token -> (grant, used)


def idporten_store(request: Request) -> IdportenStore:
    stores = sandbox(request).stores
    found = stores.get("idporten")
    if not isinstance(found, IdportenStore):
        found = stores["idporten"] = IdportenStore()
    return found


def person_token(request: Request, token: str | None) -> AccessToken | None:
    """The live ID-porten access token presented (for the APIs that accept one)."""
    found = idporten_store(request).access.get(token or "")
    if found is None or found.expires <= sandbox(request).clock.time():
        return None
    return found


def _redirect_allowed(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in LOOPBACK


def _page(request: Request, status: int = 200, **context: object) -> Response:
    return templates.TemplateResponse(
        request,
        "idporten_login.html",
        {"brand": BRAND, "prefix": mount_prefix(request), "persons": PERSONS, "lang": "nb", **context},
        status_code=status,
    )


async def authorize(request: Request) -> Response:
    q = request.query_params
    client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
    if client_id not in CLIENTS or not _redirect_allowed(redirect_uri):
        return _page(request, 400, fatal="Ukjent klient eller ugyldig redirect_uri.")
    state = q.get("state", "")
    if q.get("response_type") != "code":
        return redirect_error(redirect_uri, "unsupported_response_type", "response_type must be code", state)
    scopes = tuple(q.get("scope", "").split())
    if "openid" not in scopes:
        return redirect_error(redirect_uri, "invalid_scope", "openid is required", state)
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        return redirect_error(redirect_uri, "invalid_scope", f"unknown scope {' '.join(unknown)}", state)
    if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
        return redirect_error(redirect_uri, "invalid_request", "PKCE (S256) is required", state)
    request_id = secrets.token_urlsafe(16)
    idporten_store(request).pending[request_id] = Pending(
        client_id,
        redirect_uri,
        scopes,
        state,
        q.get("nonce", ""),
        q["code_challenge"],
        sandbox(request).clock.time(),
    )
    return _page(request, request_id=request_id)


async def login(request: Request) -> Response:
    """The tester's choice of person (the real page starts BankID, MinID or TestID here)."""
    form = await request.form()
    request_id = str(form.get("request_id") or "")
    pending = idporten_store(request).pending.get(request_id)
    now = sandbox(request).clock.time()
    if pending is None or pending.created + REQUEST_LIFETIME < now:
        return _page(request, 400, fatal="Innloggingen er utløpt. Start på nytt fra tjenesten.")
    if form.get("cancel"):
        idporten_store(request).pending.pop(request_id, None)
        return redirect_error(pending.redirect_uri, "access_denied", "the user cancelled", pending.state)
    pid = "".join(ch for ch in str(form.get("pid_typed") or form.get("pid") or "") if ch.isdigit())
    if not person_number_valid(pid):
        return _page(
            request,
            400,
            request_id=request_id,
            error="Skriv inn et gyldig fødselsnummer eller D-nummer (11 siffer).",
            typed=str(form.get("pid_typed") or ""),
        )
    idporten_store(request).pending.pop(request_id, None)
    code = secrets.token_urlsafe(24)
    idporten_store(request).codes[code] = Code(pending, pid, now + CODE_LIFETIME)
    return RedirectResponse(
        with_params(pending.redirect_uri, {"code": code, "state": pending.state}), status_code=303
    )


def _error(error: str, description: str, status: int = 400) -> Response:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _client(request: Request, form: dict[str, str]) -> str | None:
    client_id, secret = basic_auth(request)
    if client_id is None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
    if client_id in CLIENTS and secret == CLIENTS[client_id]:
        return client_id
    return None


def _issue(request: Request, grant: Grant) -> Response:
    st = idporten_store(request)
    now = sandbox(request).clock.time()
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    st.access[access] = AccessToken(grant, now + ACCESS_TOKEN_LIFETIME)
    st.refresh[refresh] = (grant, False)
    return JSONResponse(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "refresh_token": refresh,
            "refresh_token_expires_in": int(grant.ends - now),
            "scope": " ".join(grant.scopes),
            "id_token": _id_token(grant, now),
        }
    )


def _id_token(grant: Grant, now: float) -> str:
    """An unsigned stand-in for the ID token (pid, acr): the product does not read it."""

    def part(data: str) -> str:
        return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()

    claims = f'{{"pid":"{grant.pid}","acr":"idporten-loa-high","iat":{int(now)}}}'
    header = '{"alg":"none"}'
    return f"{part(header)}.{part(claims)}."


async def token(request: Request) -> Response:
    rt = sandbox(request).providers["altinn"]
    if failure := rt.token_failure():
        return _error("server_error", "temporarily unavailable", failure)
    form = {k: str(v) for k, v in (await request.form()).items()}
    client_id = _client(request, form)
    if client_id is None:
        return _error("invalid_client", "client authentication failed", 401)
    st = idporten_store(request)
    now = sandbox(request).clock.time()
    grant_type = form.get("grant_type")
    if grant_type == "authorization_code":
        code = st.codes.get(form.get("code", ""))
        if code is None or code.used or code.expires < now or code.pending.client_id != client_id:
            return _error("invalid_grant", "the code is unknown, used or expired")
        code.used = True
        if form.get("redirect_uri") != code.pending.redirect_uri:
            return _error("invalid_grant", "redirect_uri does not match the authorization request")
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or digest != code.pending.challenge:
            return _error("invalid_grant", "code_verifier does not match code_challenge")
        return _issue(request, Grant(code.pid, client_id, code.pending.scopes, now + AUTHORIZATION_LIFETIME))
    if grant_type == "refresh_token":
        held = st.refresh.get(form.get("refresh_token", ""))
        if held is None or held[1] or held[0].client_id != client_id:
            return _error("invalid_grant", "the refresh token is unknown or was used before")
        grant = held[0]
        st.refresh[form["refresh_token"]] = (grant, True)
        if grant.ends <= now:
            return _error("invalid_grant", "the authorization has expired; the person must log in again")
        return _issue(request, grant)
    return _error("unsupported_grant_type", "grant_type must be authorization_code or refresh_token")


async def control_expire(request: Request) -> Response:
    """POST: every access token issued so far expires now (tests of the refresh)."""
    now = sandbox(request).clock.time()
    st = idporten_store(request)
    for held in st.access.values():
        held.expires = min(held.expires, now)
    return JSONResponse({"expired": len(st.access)})


def routes() -> list[Route]:
    return [
        Route("/authorize", authorize),
        Route("/login", login, methods=["POST"]),
        Route("/token", token, methods=["POST"]),
    ]
