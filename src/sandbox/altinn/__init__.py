"""Altinn and Maskinporten simulated (research: authorities-and-identity.md §5.1–5.2,
norway-formats.md §6.1):

- `GET /altinn/datasystems/{id}`: the Altinn 2 data-system test login. Answers whether the ID
  is registered (name and type), never whether a password matches or whose it is: that is all
  a vendor's "Test innlogging" ever learnt.
- `POST /altinn/maskinporten/token`: Maskinporten's JWT grant. The assertion must be RS256,
  signed by a key registered for its `iss` (client), `aud` = this issuer, live at most 120 s,
  a fresh `jti`, scopes the client was granted; with `authorization_details` of type
  `urn:altinn:systemuser` a token is issued only when the organisation has approved a system
  user of that client (else `invalid_authorization_details`).
- `/_control/altinn/systemusers` (POST approve / DELETE withdraw) and `/_control/altinn/datasystems`
  for tests.
"""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from sandbox.altinn.store import AltinnStore, DataSystem, IssuedToken
from sandbox.core.http import JSONResponse, sandbox

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SYSTEMUSER_TYPE = "urn:altinn:systemuser"
MAX_ASSERTION_LIFETIME = 120
TOKEN_LIFETIME = 120


def altinn_store(request: Request) -> AltinnStore:
    stores = sandbox(request).stores
    found = stores.get("altinn")
    if not isinstance(found, AltinnStore):
        found = stores["altinn"] = AltinnStore.seeded()
    return found


async def health(request: Request) -> Response:
    return JSONResponse({"provider": "altinn", "status": "ok", "implemented": True})


async def datasystem(request: Request) -> Response:
    system_id = request.path_params["system_id"]
    found = altinn_store(request).datasystems.get(system_id)
    if found is None:
        return JSONResponse(
            {"code": "DATASYSTEM_NOT_FOUND", "message": f"No data system is registered with ID {system_id}."},
            status_code=404,
        )
    return JSONResponse({"systemId": found.system_id, "name": found.name, "type": found.system_type})


def _token_error(error: str, description: str, status: int = 400) -> Response:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _issuer(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}/"


def _systemuser_org(details: Any) -> tuple[str | None, str]:
    """(orgnr, problem) of a system-user authorization request; (None, "") when not one."""
    if details in (None, []):
        return None, ""
    if not isinstance(details, list) or len(details) != 1 or not isinstance(details[0], dict):
        return None, "authorization_details must hold one system user request"
    detail = details[0]
    if detail.get("type") != SYSTEMUSER_TYPE:
        return None, f"unsupported authorization_details type {detail.get('type')!r}"
    org = detail.get("systemuser_org") or {}
    ident = str(org.get("ID", "")) if isinstance(org, dict) else ""
    if (
        not isinstance(org, dict)
        or org.get("authority") != "iso6523-actorid-upis"
        or not ident.startswith("0192:")
    ):
        return None, "systemuser_org must be {authority: iso6523-actorid-upis, ID: 0192:<orgnr>}"
    return ident.removeprefix("0192:"), ""


async def token(request: Request) -> Response:
    state = altinn_store(request)
    clock = sandbox(request).clock
    form = await request.form()
    if form.get("grant_type") != JWT_BEARER:
        return _token_error("unsupported_grant_type", f"grant_type must be {JWT_BEARER}")
    assertion = str(form.get("assertion") or "")
    header, unverified = _segment(assertion, 0), _segment(assertion, 1)
    if not header or not unverified:
        return _token_error("invalid_grant", "the assertion is not a JWT")
    if header.get("alg") != "RS256":
        return _token_error("invalid_grant", "the assertion must be signed RS256")
    client = state.clients.get(str(unverified.get("iss", "")))
    if client is None:
        return _token_error("invalid_client", "unknown client (iss)")
    jwk = client.keys.get(str(header.get("kid", ""))) or (
        next(iter(client.keys.values())) if len(client.keys) == 1 else None
    )
    if jwk is None:
        return _token_error("invalid_client", "no key with that kid is registered for the client")
    try:
        claims = jwt.decode(assertion, RSAKey.import_key(jwk)).claims
    except (JoseError, ValueError):
        return _token_error("invalid_grant", "invalid signature on the assertion")
    now = clock.time()
    if claims.get("aud") != _issuer(request):
        return _token_error("invalid_grant", f"aud must be {_issuer(request)}")
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int) or exp - iat > MAX_ASSERTION_LIFETIME:
        return _token_error("invalid_grant", "iat and exp are required, at most 120 seconds apart")
    if exp < now or iat > now + 10:
        return _token_error("invalid_grant", "the assertion has expired or is not yet valid")
    jti = str(claims.get("jti") or "")
    if not jti or state.seen_jti(jti, float(exp), now):
        return _token_error("invalid_grant", "jti is missing or was used before")
    scopes = str(claims.get("scope") or "").split()
    refused = [s for s in scopes if s not in client.scopes]
    if not scopes or refused:
        return _token_error(
            "invalid_scope", f"scope not granted to the client: {' '.join(refused) or '(none)'}"
        )
    orgnr, problem = _systemuser_org(claims.get("authorization_details"))
    if problem:
        return _token_error("invalid_authorization_details", problem)
    body: dict[str, Any] = {"token_type": "Bearer", "expires_in": TOKEN_LIFETIME, "scope": " ".join(scopes)}
    if orgnr is not None:
        systemuser_id = state.system_users.get((client.client_id, orgnr))
        if systemuser_id is None:
            return _token_error(
                "invalid_authorization_details",
                f"no system user of client {client.client_id} is approved for {orgnr}",
            )
        body["authorization_details"] = [
            {
                "type": SYSTEMUSER_TYPE,
                "systemuser_id": [systemuser_id],
                "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": f"0192:{orgnr}"},
            }
        ]
    body["access_token"] = "mp." + secrets.token_urlsafe(32)
    state.tokens[body["access_token"]] = IssuedToken(
        client.client_id, frozenset(scopes), orgnr or "", now + TOKEN_LIFETIME
    )
    return JSONResponse(body)


def _segment(assertion: str, index: int) -> dict[str, Any]:
    """A JWT's header (0) or claims (1), not yet verified: to find the client and its key."""
    try:
        payload = assertion.split(".")[index]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        data = None
    return data if isinstance(data, dict) else {}


async def control_systemusers(request: Request) -> Response:
    """POST {client_id?, orgnr}: approve a system user; DELETE {…}: withdraw it."""
    data = await _body(request)
    key = (str(data.get("client_id") or "ledgerport-dev"), str(data.get("orgnr") or ""))
    users = altinn_store(request).system_users
    if request.method == "DELETE":
        users.pop(key, None)
        return JSONResponse({"withdrawn": key[1]})
    users[key] = secrets.token_hex(16)
    return JSONResponse({"approved": key[1], "systemuser_id": users[key]})


async def control_datasystems(request: Request) -> Response:
    """POST {system_id, name, orgnr, password}: register a data system."""
    data = await _body(request)
    system = DataSystem(
        str(data["system_id"]),
        str(data.get("name", "")),
        str(data.get("type", "")),
        str(data.get("orgnr", "")),
        str(data.get("password", "")),
    )
    altinn_store(request).datasystems[system.system_id] = system
    return JSONResponse({"registered": system.system_id})


def routes() -> list[Route]:
    return [
        Route("/health", health),
        Route("/datasystems/{system_id}", datasystem),
        Route("/maskinporten/token", token, methods=["POST"]),
    ]


def skattekort_routes() -> list[BaseRoute]:
    """Skatteetaten's APIs (mounted at /skatteetaten): skattekort and, under /amelding, the
    a-melding's innsending and feedback; they read the tokens issued here."""
    from sandbox.altinn import amelding, skattekort

    return [*skattekort.routes(), Mount("/amelding", routes=amelding.routes())]


def control_routes() -> list[Route]:
    from sandbox.altinn import amelding

    return [
        *amelding.control_routes(),
        Route("/systemusers", control_systemusers, methods=["POST", "DELETE"]),
        Route("/datasystems", control_datasystems, methods=["POST"]),
    ]
