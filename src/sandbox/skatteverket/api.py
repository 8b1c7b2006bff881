"""Skatteverket's token endpoint and the three APIs an ombud reads (paths and fields as the
research note §1 gives them: ../shared/research/authorities-and-identity.md).

Every API call needs the gateway keys (`Client_Id`, `Client_Secret`), a correlation id and a
bearer token whose scope covers the API; the consumer is limited to about 4 requests a second
(429). Reading a company's data needs its grant of the matching ombud role (403 otherwise).
"""

from __future__ import annotations

import math
import secrets
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.core.consent import public_base
from sandbox.core.http import JSONResponse, bearer, counted, sandbox
from sandbox.skatteverket.data import scenario, store, today
from sandbox.skatteverket.store import (
    DEEP_LINK_DAYS,
    DEV_CLIENT_ID,
    DEV_CLIENT_SECRET,
    OMBUD_ORGNR,
    ROLES,
    DeepLink,
)

OMBUD = "/behorighet/ombudshantering/v2"
TAX_ACCOUNT = "/beskattning/skattekonto/v2"
AGI = "/arbetsgivardeklaration/hanteraredovisningsperiod/v1"

TAX_ACCOUNT_READ = "SKAKLAS"
AGI_REGISTER = "AGDREG"
DEFAULT_DAYS_BACK = 555
MAX_DAYS_BACK = 915

Handler = Callable[[Request, str], Awaitable[Response]]


def _money(value: Decimal) -> int | float:
    """A JSON number with no more digits than the amount has (Skatteverket sends whole kronor)."""
    return int(value) if value == value.to_integral_value() else float(value)


def fel(status: int, felkod: str, message: str) -> Response:
    """Skattekonto's error body."""
    return JSONResponse({"felkod": felkod, "felmeddelande": message}, status_code=status)


def agi_error(status: int, kod: str, user: str, developer: str) -> Response:
    return JSONResponse(
        {"kod": kod, "meddelandeTillAnvandare": user, "meddelandeTillUtvecklare": developer},
        status_code=status,
    )


def gateway_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


# ----------------------------------------------------------------------------- token


async def token(request: Request) -> Response:
    st = sandbox(request)
    rt = st.providers["skatteverket"]
    rt.counts["token"] += 1
    if failure := rt.token_failure():
        return gateway_error(failure, "temporarily_unavailable")
    form = await request.form()
    if form.get("grant_type") != "client_credentials":
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    if form.get("client_id") != DEV_CLIENT_ID or form.get("client_secret") != DEV_CLIENT_SECRET:
        return JSONResponse(
            {"error": "invalid_client", "error_description": "Client authentication failed"}, status_code=401
        )
    scope = str(form.get("scope") or "")
    access = store(request).issue_token(DEV_CLIENT_ID, scope, st.clock.time())
    return JSONResponse({"access_token": access, "expires_in": 3600, "token_type": "Bearer", "scope": scope})


# ----------------------------------------------------------------------------- the gate


def api(scope: str) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Gateway keys, correlation id, token and scope, rate limit; the handler gets the client id."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            return await counted(request, "skatteverket", handler.__name__, _gate(request, handler, scope))

        return run

    return decorate


async def _gate(request: Request, handler: Handler, scope: str) -> Response:
    st = sandbox(request)
    rt = st.providers["skatteverket"]
    rt.counts[f"method:{request.method}"] += 1
    if failure := await rt.pre_request():
        return gateway_error(failure, "Internal Server Error")
    headers = request.headers
    if headers.get("client_id") != DEV_CLIENT_ID or headers.get("client_secret") != DEV_CLIENT_SECRET:
        return gateway_error(401, "Invalid client id or secret")
    correlation = headers.get("skv_client_correlation_id", "")
    if not correlation or len(correlation) > 36:
        return gateway_error(400, "skv_client_correlation_id is required (at most 36 characters)")
    rt.counts["correlation_ids"] += 1
    seen = rt.windows.setdefault(("correlation",), deque(maxlen=10000))
    if correlation in seen:
        rt.counts["correlation_reused"] += 1
    seen.append(correlation)
    now = st.clock.time()
    held = store(request).tokens.get(bearer(request) or "")
    if held is None or held[1] <= now:
        return gateway_error(401, "invalid_token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    client_id, _expiry, scopes = held
    wait = rt.hit(("skatteverket", client_id), now)
    if wait is not None:
        rt.counts["rate_limited"] += 1
        return gateway_error(429, "Too Many Requests", {"Retry-After": str(max(1, math.ceil(wait)))})
    if scope not in scopes.split():
        return gateway_error(403, "The required scopes are not authorized")
    return await handler(request, client_id)


def _huvudman(request: Request) -> str:
    return str(request.path_params.get("huvudman", ""))


def _valid_huvudman(value: str) -> bool:
    return len(value) == 12 and value.isdigit() and value.startswith("16")


# ----------------------------------------------------------------------------- ombudshantering


@api("obr")
async def roller(request: Request, client_id: str) -> Response:
    wanted = request.query_params.get("roll")
    roles = [
        {"roll": code, "rollbeskrivning": text} for code, text in ROLES.items() if wanted in (None, code)
    ]
    return JSONResponse({"roller": roles})


def _grant_json(
    request: Request, huvudman: str, role: str, valid_from: date, valid_to: date | None
) -> dict[str, Any]:
    return {
        "huvudman": huvudman,
        "roll": role,
        "rollbeskrivning": ROLES.get(role, role),
        "ombud": OMBUD_ORGNR,
        "giltigFrom": valid_from.isoformat(),
        "giltigTom": valid_to.isoformat() if valid_to else None,
    }


@api("obr")
async def autentisierat_ombud(request: Request, client_id: str) -> Response:
    q = request.query_params
    on = today(request)
    rows = [
        _grant_json(request, g.huvudman, g.role, g.valid_from, g.valid_to)
        for g in store(request).grants
        if (g.valid_to is None or g.valid_to >= on)
        and q.get("huvudman") in (None, g.huvudman)
        and q.get("roll") in (None, g.role)
    ]
    return JSONResponse({"behorigheter": rows})


@api("obr")
async def djuplank_utseombud(request: Request, client_id: str) -> Response:
    huvudman = _huvudman(request)
    if not _valid_huvudman(huvudman):
        return fel(400, "1", "Felaktigt organisationsnummer")
    try:
        body = await request.json()
    except ValueError:
        return fel(400, "4", "Felaktig begäran: JSON saknas")
    roles = body.get("ombudsroller") if isinstance(body, dict) else None
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        return fel(400, "4", f"Okända ombudsroller: {roles!r}")
    st = sandbox(request)
    link = DeepLink(
        secrets.token_urlsafe(16), huvudman, list(roles), st.clock.time() + DEEP_LINK_DAYS * 86400
    )
    store(request).deep_links[link.token] = link
    st.providers["skatteverket"].counts["deep_links"] += 1
    return JSONResponse({"djuplank": f"{public_base(request)}/ombud/utseombud/{link.token}"}, status_code=201)


# ----------------------------------------------------------------------------- skattekonto


def _no_grant(request: Request, huvudman: str, role: str) -> bool:
    return role not in store(request).roles_of(huvudman, today(request))


@api("ska")
async def saldo(request: Request, client_id: str) -> Response:
    huvudman = _huvudman(request)
    if not _valid_huvudman(huvudman):
        return fel(400, "1", "Felaktigt organisationsnummer")
    if _no_grant(request, huvudman, TAX_ACCOUNT_READ):
        return fel(403, "", "Auktorisation saknas")
    try:
        on = date.fromisoformat(request.query_params["datum"]) if "datum" in request.query_params else None
    except ValueError:
        return fel(400, "2", "Felaktigt datum")
    found = scenario(request, huvudman)
    if found is None:
        return fel(404, "3", "Det finns inget skattekonto för organisationsnumret")
    day = on or today(request)
    first_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return JSONResponse(
        {
            "nastaAvstamningsdatum": first_next.isoformat(),
            "senastUppdaterad": f"{today(request).isoformat()}T03:04:05Z",
            "informationstext": [],
            "saldoSkatteverket": _money(found.balance(day)),
            "saldoKronofogden": 0,
            "rantaSkatteverket": 0,
            "rantaKronofogden": 0,
            "ocrNummer": found.ocr,
        }
    )


@api("ska")
async def transaktioner(request: Request, client_id: str) -> Response:
    huvudman = _huvudman(request)
    if not _valid_huvudman(huvudman):
        return fel(400, "1", "Felaktigt organisationsnummer")
    if _no_grant(request, huvudman, TAX_ACCOUNT_READ):
        return fel(403, "", "Auktorisation saknas")
    now = today(request)
    try:
        raw = request.query_params.get("datumFrom")
        since = date.fromisoformat(raw) if raw else now - timedelta(days=DEFAULT_DAYS_BACK)
    except ValueError:
        return fel(400, "2", "Felaktigt datum")
    if since < now - timedelta(days=MAX_DAYS_BACK) or since > now:
        return fel(400, "2", f"datumFrom får vara högst {MAX_DAYS_BACK} dagar bakåt")
    found = scenario(request, huvudman)
    if found is None:
        return fel(404, "3", "Det finns inget skattekonto för organisationsnumret")

    def row(t: Any, upcoming: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "transaktionsdatum": t.booked.isoformat(),
            "ranteberakningsdatum": t.interest_date.isoformat() if t.interest_date else None,
            "transaktionstext": t.text,
            "beloppSkatteverket": _money(t.amount),
        }
        if not upcoming:
            out["transaktionsidentitet"] = t.ident
        if t.due:
            out["forfallodatum"] = t.due.isoformat()
        return out

    return JSONResponse(
        {
            "omfragad": huvudman,
            "datumFrom": since.isoformat(),
            "tidigareTransaktioner": [row(t, False) for t in found.booked if since <= t.booked <= now],
            "kommandeTransaktioner": [row(t, True) for t in found.upcoming],
        }
    )


# ----------------------------------------------------------------------------- AGI


def _period(request: Request) -> str | None:
    period = str(request.path_params.get("period", ""))
    if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
        return None
    return period


async def _declaration(request: Request) -> tuple[Any, str, Response | None]:
    huvudman = _huvudman(request)
    period = _period(request)
    if not _valid_huvudman(huvudman) or period is None:
        return (
            None,
            "",
            agi_error(
                400, "400", "Felaktig arbetsgivare eller period.", "Expected 16+orgnr and a period YYYYMM."
            ),
        )
    if _no_grant(request, huvudman, AGI_REGISTER):
        return (
            None,
            period,
            agi_error(
                403,
                "403",
                "Du saknar behörighet för arbetsgivaren.",
                "Auktorisation saknas: no AGI ombud role.",
            ),
        )
    found = scenario(request, huvudman)
    declaration = next((d for d in found.declarations if d.period == period), None) if found else None
    return declaration, period, None


@api("agdredovisningperiod")
async def kvittenser(request: Request, client_id: str) -> Response:
    declaration, period, problem = await _declaration(request)
    if problem is not None:
        return problem
    huvudman = _huvudman(request)
    receipts = []
    if declaration is not None:
        receipts.append(
            {
                "arbetsgivare": huvudman,
                "period": period,
                "uuidKvittens": declaration.receipt_id,
                "signeradAv": declaration.signed_by,
                "signeradTid": declaration.signed_at.isoformat().replace("+00:00", "Z"),
                "underlag": {
                    "arbetsgivarregistrerad": huvudman,
                    "redovisningsperiod": period,
                    "antalIu": declaration.individual_count,
                    "antalIuTillagda": 0,
                    "antalIuBorttagna": 0,
                },
            }
        )
    return JSONResponse({"kvittenser": receipts})


@api("agdredovisningperiod")
async def summeringsrapport(request: Request, client_id: str) -> Response:
    declaration, period, problem = await _declaration(request)
    if problem is not None:
        return problem
    if declaration is None:
        return agi_error(
            404, "404", "Det finns ingen inlämnad deklaration för perioden.", f"No declaration for {period}."
        )
    return JSONResponse(
        {
            "arbetsgivare": _huvudman(request),
            "redovisningsperiod": period,
            "antalIu": declaration.individual_count,
            "summaArbAvgSlf": _money(declaration.employer_contributions),
            "summaSkatteavdr": _money(declaration.deducted_tax),
        }
    )


def routes() -> list[Route]:
    periods = f"{AGI}/arbetsgivare/{{huvudman}}/redovisningsperioder/{{period}}"
    return [
        Route("/oauth2/v1/sysorg/token", token, methods=["POST"]),
        Route(f"{OMBUD}/roller", roller),
        Route(f"{OMBUD}/ombud/autentisieratOmbud", autentisierat_ombud),
        Route(
            f"{OMBUD}/ombud/autentisieratOmbud/huvudman/{{huvudman}}/djuplank/utseombud",
            djuplank_utseombud,
            methods=["POST"],
        ),
        Route(f"{TAX_ACCOUNT}/skattekonton/{{huvudman}}/saldo", saldo),
        Route(f"{TAX_ACCOUNT}/skattekonton/{{huvudman}}/transaktioner", transaktioner),
        Route(f"{periods}/kvittenser", kvittenser),
        Route(f"{periods}/summeringsrapport", summeringsrapport),
    ]
