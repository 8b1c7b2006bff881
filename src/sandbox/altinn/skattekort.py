"""Skatteetaten's tax deduction cards for employers (skattekort til arbeidsgiver), simulated
(research: authorities-and-identity.md §5.5, norway-formats.md §5; NAV's JSON fixtures):

- `POST /skatteetaten/api/forskudd/bestillSkattekort/` with a Maskinporten system-user token
  holding `skatteetaten:skattekorttilarbeidsgiver`, for the organisation the token names →
  `{dialogreferanse, bestillingsreferanse}`; errors `FOR_001`–`FOR_003` (400).
- `GET /skatteetaten/api/forskudd/skattekortTilArbeidsgiver/svar/{ref}` → 204 while not ready
  (the first poll), then the answer per employee.

Seeded for Fjordlys Rådgivning AS (923609016): four of Skatteetaten's synthetic test persons
(month + 80): a table card, a percentage card, a frikort and one without a card.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.core.http import JSONResponse, bearer

SCOPE = "skatteetaten:skattekorttilarbeidsgiver"
BESTILLINGSTYPER = ("HENT_ALLE_OPPGITTE", "HENT_KUN_ENDRING")


def _card(card_id: int, *entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "utstedtDato": "{year_before}-12-04",
        "skattekortidentifikator": card_id,
        "forskuddstrekk": list(entries),
    }


# employee -> (resultatForSkattekort, skattekort or None, tilleggsopplysning)
CARDS: dict[str, tuple[str, dict[str, Any] | None, list[str]]] = {
    "12838512311": (
        "skattekortopplysningerOK",
        _card(
            70112,
            {
                "trekkode": "loennFraHovedarbeidsgiver",
                "trekktabell": {
                    "tabelltype": "trekktabellForLoenn",
                    "tabellnummer": "8115",
                    "prosentsats": 35,
                    "antallMaanederForTrekk": 10.5,
                },
            },
            {"trekkode": "loennFraBiarbeidsgiver", "trekkprosent": {"prosentsats": 35}},
        ),
        [],
    ),
    "04919245730": (
        "skattekortopplysningerOK",
        _card(
            70113,
            {
                "trekkode": "loennFraHovedarbeidsgiver",
                "trekkprosent": {"prosentsats": 28, "antallMaanederForTrekk": 12},
            },
        ),
        [],
    ),
    "27867831180": (
        "skattekortopplysningerOK",
        _card(70114, {"trekkode": "loennFraHovedarbeidsgiver", "frikort": {"frikortbeloep": 65000}}),
        [],
    ),
    "09819922389": ("ikkeSkattekort", None, []),
}
ORGNR = "923609016"


@dataclass
class Order:
    orgnr: str
    year: str
    employees: list[str]
    polls: int = 0


@dataclass
class SkattekortStore:
    orders: dict[str, Order] = field(default_factory=dict)


def _store(request: Request) -> SkattekortStore:
    from sandbox.core.http import sandbox

    stores = sandbox(request).stores
    found = stores.get("skattekort")
    if not isinstance(found, SkattekortStore):
        found = stores["skattekort"] = SkattekortStore()
    return found


def _error(code: str, message: str, status: int = 400) -> Response:
    return JSONResponse(
        {"kode": code, "melding": message, "korrelasjonsid": secrets.token_hex(8)}, status_code=status
    )


def _token_org(request: Request) -> tuple[str | None, Response | None]:
    from sandbox.altinn import altinn_store

    token = bearer(request)
    issued = altinn_store(request).tokens.get(token or "")
    if issued is None or issued.expires < _now(request):
        return None, JSONResponse({"error": "invalid_token"}, status_code=401)
    if SCOPE not in issued.scopes or not issued.orgnr:
        return None, _error("FOR_003", "Tokenet mangler scope eller systembruker", 403)
    return issued.orgnr, None


def _now(request: Request) -> float:
    from sandbox.core.http import sandbox

    return sandbox(request).clock.time()


async def order(request: Request) -> Response:
    orgnr, refused = _token_org(request)
    if refused is not None:
        return refused
    try:
        body = await request.json()
    except ValueError:
        return _error("FOR_001", "Ugyldig JSON")
    if not isinstance(body, dict):
        return _error("FOR_001", "Ugyldig forespørsel")
    year = str(body.get("inntektsaar", ""))
    if not (year.isdigit() and len(year) == 4):
        return _error("FOR_001", "inntektsaar mangler eller er ugyldig")
    if body.get("bestillingstype") not in BESTILLINGSTYPER:
        return _error("FOR_001", "bestillingstype er ugyldig")
    employers = (body.get("forespoerselOmSkattekortTilArbeidsgiver") or {}).get("arbeidsgiver") or []
    if len(employers) != 1:
        return _error("FOR_002", "Forespørselen må ha én arbeidsgiver")
    employer = employers[0]
    if (employer.get("arbeidsgiveridentifikator") or {}).get("organisasjonsnummer") != orgnr:
        return _error("FOR_002", "Arbeidsgiveren er ikke systembrukerens organisasjon", 403)
    employees = [str(e) for e in employer.get("arbeidstakeridentifikator") or []]
    if body["bestillingstype"] == "HENT_ALLE_OPPGITTE" and not employees:
        return _error("FOR_002", "HENT_ALLE_OPPGITTE krever arbeidstakere")
    ref = "SBX" + secrets.token_hex(4).upper()
    _store(request).orders[ref] = Order(orgnr, year, employees)
    return JSONResponse({"dialogreferanse": secrets.token_hex(8), "bestillingsreferanse": ref})


def _employee(number: str, year: str, orgnr: str) -> dict[str, Any]:
    result, card, extra = CARDS.get(number, ("ugyldigFoedselsEllerDnummer", None, []))
    if orgnr != ORGNR and result == "skattekortopplysningerOK":
        result, card = "ikkeSkattekort", None
    answer: dict[str, Any] = {
        "arbeidstakeridentifikator": number,
        "resultatForSkattekort": result,
        "inntektsaar": year,
    }
    if card is not None:
        answer["skattekort"] = {**card, "utstedtDato": card["utstedtDato"].format(year_before=int(year) - 1)}
    if extra:
        answer["tilleggsopplysning"] = extra
    return answer


async def answer(request: Request) -> Response:
    _, refused = _token_org(request)
    if refused is not None:
        return refused
    found = _store(request).orders.get(request.path_params["ref"])
    if found is None:
        return Response(status_code=204)
    found.polls += 1
    if found.polls == 1:
        return Response(status_code=204)  # not ready yet
    return JSONResponse(
        {
            "status": "FORESPOERSEL_OK",
            "arbeidsgiver": [
                {
                    "arbeidsgiveridentifikator": {"organisasjonsnummer": found.orgnr},
                    "arbeidstaker": [_employee(n, found.year, found.orgnr) for n in found.employees],
                }
            ],
        }
    )


def routes() -> list[Route]:
    return [
        Route("/api/forskudd/bestillSkattekort/", order, methods=["POST"]),
        Route("/api/forskudd/skattekortTilArbeidsgiver/svar/{ref}", answer),
    ]
