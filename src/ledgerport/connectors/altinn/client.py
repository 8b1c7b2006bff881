"""Altinn and Maskinporten for a Norwegian client company (pure: no Django).

Two ways in (research: authorities-and-identity.md §5.1–5.2, norway-formats.md §6.1):

- **Altinn 2 data system** (seed 004): the company registers a data system in Altinn and hands
  us its ID and a password. Altinn 2 closed on 19 June 2026; "Test innlogging" can only say
  whether Altinn knows the ID, never whether ID and password belong to this company.
- **Altinn 3 system user** (production): the company (or the firm, for its clients) approves
  our system user in Altinn; we ask Maskinporten for a token with a JWT grant signed by our
  key, naming the company in `authorization_details` (`urn:altinn:systemuser`,
  `0192:<orgnr>`). A token comes back only when such a system user exists.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SYSTEMUSER_TYPE = "urn:altinn:systemuser"
ORG_AUTHORITY = "iso6523-actorid-upis"
ASSERTION_LIFETIME = 110  # seconds; Maskinporten accepts at most 120
TIMEOUT = 15.0


class AltinnError(Exception):
    """Altinn or Maskinporten answered with an error (`code`, `message`) or not at all."""

    def __init__(self, code: str, message: str, status: int = 0) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def parse_error(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of an error answer, for the provider registry."""
    error = _error(response)
    return error.code, error.message


def _error(response: httpx.Response) -> AltinnError:
    """Both services answer errors as JSON: Maskinporten `{error, error_description}`, the
    Altinn APIs problem details `{title, detail}` (or `{code, message}`)."""
    try:
        body: Any = response.json()
    except ValueError:
        body = {}
    if isinstance(body, list):  # an Altinn app's validation issues: [{code, description}, …]
        issues = [str(i.get("description") or i.get("code")) for i in body if isinstance(i, dict)]
        return AltinnError(str(response.status_code), "; ".join(issues), response.status_code)
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("error") or body.get("code") or body.get("title") or response.status_code)
    message = str(
        body.get("error_description") or body.get("detail") or body.get("message") or response.text[:200]
    )
    return AltinnError(code, message, response.status_code)


def _request(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    try:
        return client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise AltinnError("unreachable", str(exc) or type(exc).__name__) from exc


@dataclass(frozen=True)
class DataSystem:
    """What Altinn tells about a registered data system ID."""

    system_id: str
    name: str
    system_type: str


def datasystem_check(
    api_url: str, system_id: str, *, transport: httpx.BaseTransport | None = None
) -> DataSystem | None:
    """Whether Altinn knows the data system ID (None: it does not). Only the ID is checked:
    Altinn 2 never told a vendor whether a password matches or which company owns the ID."""
    with httpx.Client(timeout=TIMEOUT, transport=transport) as client:
        response = _request(client, "GET", f"{api_url.rstrip('/')}/datasystems/{system_id}")
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise _error(response)
    body = response.json()
    return DataSystem(
        str(body.get("systemId", system_id)), str(body.get("name", "")), str(body.get("type", ""))
    )


def systemuser_authorization(orgnr: str) -> list[dict[str, Any]]:
    """The rich authorization request naming the organisation the system user acts for."""
    return [{"type": SYSTEMUSER_TYPE, "systemuser_org": {"authority": ORG_AUTHORITY, "ID": f"0192:{orgnr}"}}]


def grant_assertion(
    *,
    client_id: str,
    audience: str,
    scope: str,
    orgnr: str,
    key_pem: bytes,
    kid: str = "",
    now: float | None = None,
) -> str:
    """The JWT Maskinporten takes as grant: issued by our client, for Maskinporten, short-lived,
    signed RS256 with our key (its `kid` names the key registered with the client)."""
    issued = int(now if now is not None else time.time())
    key = RSAKey.import_key(key_pem)
    header: dict[str, Any] = {"alg": "RS256"}
    if kid:
        header["kid"] = kid
    claims = {
        "aud": audience,
        "iss": client_id,
        "scope": scope,
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME,
        "jti": str(uuid.uuid4()),
        "authorization_details": systemuser_authorization(orgnr),
    }
    return jwt.encode(header, claims, key)


@dataclass(frozen=True)
class SystemUserToken:
    access_token: str
    expires_in: int
    scope: str
    systemuser_id: str  # the system user Maskinporten found for the organisation
    orgnr: str


def systemuser_token(
    *,
    token_url: str,
    client_id: str,
    scope: str,
    orgnr: str,
    key_pem: bytes,
    kid: str = "",
    audience: str = "",
    transport: httpx.BaseTransport | None = None,
) -> SystemUserToken:
    """A Maskinporten token for the company's system user; AltinnError when none is approved.

    `audience` is Maskinporten's issuer (`https://test.maskinporten.no/`); by default the
    token URL's origin with a trailing slash, as Maskinporten documents it."""
    if not audience:
        url = httpx.URL(token_url)
        audience = f"{url.scheme}://{url.netloc.decode()}/"
    assertion = grant_assertion(
        client_id=client_id, audience=audience, scope=scope, orgnr=orgnr, key_pem=key_pem, kid=kid
    )
    with httpx.Client(timeout=TIMEOUT, transport=transport) as client:
        response = _request(
            client, "POST", token_url, data={"grant_type": JWT_BEARER, "assertion": assertion}
        )
    if response.status_code != 200:
        raise _error(response)
    body = response.json()
    systemuser_id = ""
    for detail in body.get("authorization_details") or []:
        if isinstance(detail, dict) and detail.get("type") == SYSTEMUSER_TYPE:
            ids = detail.get("systemuser_id") or []
            systemuser_id = str(ids[0]) if isinstance(ids, list) and ids else str(ids or "")
    return SystemUserToken(
        access_token=str(body["access_token"]),
        expires_in=int(body.get("expires_in", 0)),
        scope=str(body.get("scope", "")),
        systemuser_id=systemuser_id,
        orgnr=orgnr,
    )


# --- Skattekort til arbeidsgiver (research §5.5; norway-formats.md §5) -----------------------

SKATTEKORT_SCOPE = "skatteetaten:skattekorttilarbeidsgiver"
ORDER_PATH = "/api/forskudd/bestillSkattekort/"
ANSWER_PATH = "/api/forskudd/skattekortTilArbeidsgiver/svar/{ref}"


@dataclass(frozen=True)
class Deduction:
    """One `forskuddstrekk` of a card: a table (number, its percentage), a flat percentage, or
    a frikort (an amount free of tax). `months` is antallMaanederForTrekk where given."""

    code: str  # trekkode, e.g. loennFraHovedarbeidsgiver
    kind: str  # "table" | "percent" | "free"
    table: str = ""
    percent: Decimal | None = None
    months: Decimal | None = None
    free_amount: Decimal | None = None


@dataclass(frozen=True)
class TaxCard:
    employee: str
    result: str  # resultatForSkattekort, e.g. skattekortopplysningerOK, ikkeSkattekort
    income_year: str
    issued: str = ""
    card_id: str = ""
    deductions: tuple[Deduction, ...] = ()
    extra: tuple[str, ...] = ()


def _decimal(value: Any) -> Decimal | None:
    # Through str: the JSON's 10.5 must not become a binary fraction.
    return None if value is None else Decimal(str(value))


def _deduction(entry: dict[str, Any]) -> Deduction:
    code = str(entry.get("trekkode", ""))
    if isinstance(entry.get("trekktabell"), dict):
        table = entry["trekktabell"]
        return Deduction(
            code,
            "table",
            table=str(table.get("tabellnummer", "")),
            percent=_decimal(table.get("prosentsats")),
            months=_decimal(table.get("antallMaanederForTrekk")),
        )
    if isinstance(entry.get("trekkprosent"), dict):
        rate = entry["trekkprosent"]
        return Deduction(
            code,
            "percent",
            percent=_decimal(rate.get("prosentsats")),
            months=_decimal(rate.get("antallMaanederForTrekk")),
        )
    free = entry.get("frikort")
    if not isinstance(free, dict):
        free = {}
    return Deduction(code, "free", free_amount=_decimal(free.get("frikortbeloep")))


def parse_tax_cards(body: dict[str, Any]) -> list[TaxCard]:
    """The answer's employees, of every employer in it; AltinnError for a refused request."""
    status = str(body.get("status", ""))
    if status not in ("FORESPOERSEL_OK", "INGEN_ENDRINGER"):
        raise AltinnError(status or "unknown", "Skatteetaten refused the request")
    cards = []
    for employer in body.get("arbeidsgiver") or []:
        for person in employer.get("arbeidstaker") or []:
            card = person.get("skattekort") or {}
            cards.append(
                TaxCard(
                    employee=str(person.get("arbeidstakeridentifikator", "")),
                    result=str(person.get("resultatForSkattekort", "")),
                    income_year=str(person.get("inntektsaar", "")),
                    issued=str(card.get("utstedtDato", "")),
                    card_id=str(card.get("skattekortidentifikator", "")),
                    deductions=tuple(
                        _deduction(e) for e in card.get("forskuddstrekk") or [] if isinstance(e, dict)
                    ),
                    extra=tuple(str(x) for x in person.get("tilleggsopplysning") or []),
                )
            )
    return cards


def skattekort_fetch(
    *,
    api_url: str,
    token: str,
    orgnr: str,
    income_year: int,
    employees: list[str],
    email: str,
    mobile: str,
    polls: int = 10,
    wait: float = 0.3,
    transport: httpx.BaseTransport | None = None,
) -> list[TaxCard]:
    """Order the employees' cards for the year (HENT_ALLE_OPPGITTE), then fetch the answer,
    which is 204 until Skatteetaten has it ready."""
    request = {
        "inntektsaar": str(income_year),
        "bestillingstype": "HENT_ALLE_OPPGITTE",
        "kontaktinformasjon": {"epostadresse": email, "mobiltelefonummer": mobile},
        "varslingstype": "INGEN_VARSEL",
        "forespoerselOmSkattekortTilArbeidsgiver": {
            "arbeidsgiver": [
                {
                    "arbeidsgiveridentifikator": {"organisasjonsnummer": orgnr},
                    "arbeidstakeridentifikator": employees,
                }
            ]
        },
    }
    headers = {"Authorization": f"Bearer {token}"}
    base = api_url.rstrip("/")
    with httpx.Client(timeout=TIMEOUT, transport=transport, headers=headers) as client:
        response = _request(client, "POST", base + ORDER_PATH, json=request)
        if response.status_code != 200:
            raise _error(response)
        ref = str(response.json()["bestillingsreferanse"])
        for attempt in range(polls):
            response = _request(client, "GET", base + ANSWER_PATH.format(ref=ref))
            if response.status_code == 200:
                return parse_tax_cards(response.json())
            if response.status_code != 204:
                raise _error(response)
            time.sleep(wait * (attempt + 1))
    raise AltinnError("not_ready", "Skatteetaten had no answer yet")
