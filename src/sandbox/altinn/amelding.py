"""Skatteetaten's Innrapportering A-melding API and its feedback, simulated (research:
authorities-and-identity.md §5.3, norway-formats.md §4.2), mounted at /skatteetaten/amelding:

- `POST /v1/innsending/{YYYY-MM}/{orgnr}` with a Maskinporten system-user token holding
  `skatteetaten:innrapporteringamelding`, body `{"idempotencyKey": UUID, "leveranse": {…}}`
  (JSON only: AMLD_1030 for another Content-Type, AMLD_1047 for another Accept) →
  `{dialogId, forsendelseId, meldingsId}`. AMLD_1051: the orgnr in the path is not the
  delivery's opplysningspliktig; AMLD_1052: the month differs; AMLD_1062: the reporter is a
  sub-unit, not the main unit; AMLD_1063: the token has no system user (or another
  organisation's). The same idempotency key answers the same again; with another body, 409
  AMLD_019.
- `GET /v1/tilbakemelding/{forsendelseId}` (the feedback API; its path is ours, the real one is
  found through Dialogporten): 404 until the feedback is ready (`feedback_delay` seconds of the
  sandbox clock after the delivery), then the tilbakemelding: mottakstatus `mottatt` or
  `avvist` and the avvik found by the checks below.
- 429 with Retry-After beyond `rate_limit` requests a second per organisation; the "altinn"
  provider's fail/latency knobs apply.
- `/_control/altinn/amelding` (POST {feedback_delay?, rate_limit?}; GET: the deliveries).

The checks are the schema's required fields, identifiers by mod 11 (organisation numbers;
fødselsnummer/D-nummer, Skatteetaten's synthetic test persons included, as in its test
environment), and the sums (sumArbeidsgiveravgift = Σ grunnlag × sats with the øre dropped;
Σ forskuddstrekk per payout date). Seeded for Fjordlys Rådgivning AS (923609016) with its
sub-unit 973587102 and the four synthetic employees of the skattekort sandbox.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import re
import secrets
import uuid
from collections import deque
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from stdnum.no import fodselsnummer, orgnr

from sandbox.core.http import JSONResponse, bearer, counted, sandbox

SCOPE = "skatteetaten:innrapporteringamelding"
# main unit -> its sub-units (the Enhetsregisteret's view the API checks AMLD_1062 against)
SUB_UNITS = {"923609016": ("973587102",)}
EMPLOYEES = {"973587102": ("12838512311", "04919245730", "27867831180", "09819922389")}
DEFAULT_FEEDBACK_DELAY = 2.0
DEFAULT_RATE_LIMIT = 10  # requests a second per organisation
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ID = re.compile(r"^[0-9a-zA-Z_.-]{1,150}$")


@dataclass
class Delivery:
    orgnr: str
    month: str
    key: str
    body_hash: str
    answer: dict[str, str]
    feedback: dict[str, Any]
    ready_at: float


@dataclass
class AmeldingStore:
    deliveries: dict[str, Delivery] = field(default_factory=dict)  # forsendelseId -> delivery
    by_key: dict[str, str] = field(default_factory=dict)  # idempotencyKey -> forsendelseId
    feedback_delay: float = DEFAULT_FEEDBACK_DELAY
    rate_limit: int = DEFAULT_RATE_LIMIT
    windows: dict[str, deque[float]] = field(default_factory=dict)


def _store(request: Request) -> AmeldingStore:
    stores = sandbox(request).stores
    found = stores.get("amelding")
    if not isinstance(found, AmeldingStore):
        found = stores["amelding"] = AmeldingStore()
    return found


def _error(code: str, message: str, status: int = 400, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        {"kode": code, "melding": message, "korrelasjonsid": secrets.token_hex(8)},
        status_code=status,
        headers=headers,
    )


async def _gate(request: Request) -> tuple[str, Response | None]:
    """The token's organisation, or the answer refusing the request."""
    from sandbox.altinn import altinn_store

    state = sandbox(request)
    if failure := await state.providers["altinn"].pre_request():
        return "", _error("AMLD_500", "Intern feil", failure)
    now = state.clock.time()
    issued = altinn_store(request).tokens.get(bearer(request) or "")
    if issued is None or issued.expires < now:
        return "", JSONResponse(
            {"error": "invalid_token"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    if SCOPE not in issued.scopes:
        return "", _error("AMLD_403", f"Tokenet mangler scope {SCOPE}", 403)
    if not issued.orgnr:
        return "", _error("AMLD_1063", "Tokenet inneholder ikke systembruker", 403)
    store = _store(request)
    window = store.windows.setdefault(issued.orgnr, deque())
    while window and window[0] <= now - 1.0:
        window.popleft()
    if len(window) >= store.rate_limit:
        wait = max(1, math.ceil(window[0] + 1.0 - now))
        return "", _error("AMLD_429", "For mange forespørsler", 429, {"Retry-After": str(wait)})
    window.append(now)
    return issued.orgnr, None


def _json_only(request: Request) -> Response | None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return _error("AMLD_1030", "Innsending må ha Content-Type application/json", 415)
    accept = request.headers.get("accept", "*/*").lower()
    if not any(
        a.split(";")[0].strip() in ("application/json", "application/*", "*/*") for a in accept.split(",")
    ):
        return _error("AMLD_1047", "Tjenesten svarer bare med application/json (Accept)", 406)
    return None


async def innsending(request: Request) -> Response:
    return await counted(request, "altinn", "amelding_innsending", _innsending(request))


async def _innsending(request: Request) -> Response:
    token_org, refused = await _gate(request)
    if refused is not None:
        return refused
    if refused := _json_only(request):
        return refused
    month, path_org = request.path_params["month"], request.path_params["orgnr"]
    raw = await request.body()
    try:
        body = json.loads(raw, parse_float=Decimal)
    except ValueError:
        return _error("AMLD_001", "Innholdet er ikke gyldig JSON")
    if not isinstance(body, dict) or not isinstance(body.get("leveranse"), dict):
        return _error("AMLD_001", "Innholdet må ha leveranse")
    key = str(body.get("idempotencyKey") or "")
    try:
        uuid.UUID(key)
    except ValueError:
        return _error("AMLD_001", "idempotencyKey må være en UUID")
    leveranse = body["leveranse"]
    if path_org != token_org:
        return _error("AMLD_1063", f"Systembrukeren gjelder ikke {path_org}", 403)
    if any(path_org in units for units in SUB_UNITS.values()):
        return _error("AMLD_1062", "Opplysningspliktig må være hovedenheten, ikke en underenhet")
    stated_org = str((leveranse.get("opplysningspliktig") or {}).get("norskIdentifikator", ""))
    if stated_org != path_org:
        return _error("AMLD_1051", "Opplysningspliktig i path og i innsending er ulike")
    if str(leveranse.get("kalendermaaned", "")) != month:
        return _error("AMLD_1052", "Periode (kalendermåned) i path og i innsending er ulike")
    store = _store(request)
    digest = hashlib.sha256(raw).hexdigest()
    if key in store.by_key:
        earlier = store.deliveries[store.by_key[key]]
        if earlier.body_hash != digest:
            return _error("AMLD_019", "idempotencyKey er brukt før med et annet innhold", 409)
        return JSONResponse(earlier.answer)
    now = sandbox(request).clock.time()
    shipment = str(uuid.uuid4())
    answer = {
        "dialogId": str(uuid.uuid4()),
        "forsendelseId": shipment,
        "meldingsId": str(leveranse.get("meldingsId", "")),
    }
    feedback = _feedback(store, leveranse, shipment, now)
    store.deliveries[shipment] = Delivery(
        path_org, month, key, digest, answer, feedback, now + store.feedback_delay
    )
    store.by_key[key] = shipment
    return JSONResponse(answer)


async def tilbakemelding(request: Request) -> Response:
    return await counted(request, "altinn", "amelding_tilbakemelding", _tilbakemelding(request))


async def _tilbakemelding(request: Request) -> Response:
    token_org, refused = await _gate(request)
    if refused is not None:
        return refused
    found = _store(request).deliveries.get(request.path_params["shipment"])
    if found is None or found.orgnr != token_org:
        return _error("AMLD_404", "Fant ingen forsendelse med denne id-en", 404)
    if sandbox(request).clock.time() < found.ready_at:
        return _error("AMLD_404", "Tilbakemeldingen er ikke klar ennå", 404)
    return JSONResponse(found.feedback)


# --- the checks -----------------------------------------------------------------------------


def _person_valid(number: str) -> bool:
    """Both check digits; Skatteetaten's test persons (month + 80) are valid in its test
    environment, as are D-numbers (day + 40)."""
    return (
        len(number) == 11
        and number.isdigit()
        and number[9] == fodselsnummer.calc_check_digit1(number)
        and number[10] == fodselsnummer.calc_check_digit2(number)
    )


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _avvik(code: str, severity: str, message: str, path: str) -> dict[str, str]:
    return {"kode": code, "alvorlighetsgrad": severity, "melding": message, "sti": path}


def _check(store: AmeldingStore, leveranse: dict[str, Any]) -> tuple[list[dict[str, str]], int, int]:
    """The avvik, the computed employer's contribution and the withheld tax."""
    avvik: list[dict[str, str]] = []

    def refuse(code: str, message: str, path: str) -> None:
        avvik.append(_avvik(code, "avvisning", message, path))

    for name in (
        "kildesystem",
        "meldingsId",
        "leveringstidspunkt",
        "kalendermaaned",
        "opplysningspliktig",
        "oppgave",
    ):
        if leveranse.get(name) in (None, "", {}):
            refuse("AMLD_S001", f"{name} mangler", f"leveranse/{name}")
    if not ID.match(str(leveranse.get("meldingsId", ""))):
        refuse("AMLD_S002", "meldingsId har ugyldige tegn", "leveranse/meldingsId")
    if not MONTH.match(str(leveranse.get("kalendermaaned", ""))):
        refuse("AMLD_S003", "kalendermaaned må være åååå-mm", "leveranse/kalendermaaned")
    replaces = leveranse.get("erstatterMeldingsId")
    if replaces and not any(d.answer["meldingsId"] == replaces for d in store.deliveries.values()):
        refuse("AMLD_E001", f"erstatterMeldingsId {replaces} finnes ikke", "leveranse/erstatterMeldingsId")
    oppgave = leveranse.get("oppgave") if isinstance(leveranse.get("oppgave"), dict) else {}
    contribution, withheld = Decimal(0), 0
    for u, unit in enumerate(oppgave.get("virksomhet") or []):
        at = f"oppgave/virksomhet[{u}]"
        if not orgnr.is_valid(str(unit.get("norskIdentifikator", ""))):
            refuse("AMLD_V001", "virksomhetens organisasjonsnummer er ugyldig", at)
        for p, person in enumerate(unit.get("inntektsmottaker") or []):
            where = f"{at}/inntektsmottaker[{p}]"
            if not _person_valid(str(person.get("norskIdentifikator", ""))):
                refuse("AMLD_I001", "fødselsnummer eller d-nummer er ugyldig", where)
            if person.get("inntekt") and not person.get("arbeidsforhold"):
                avvik.append(_avvik("AMLD_A001", "øyeblikkelig", "inntekt uten arbeidsforhold", where))
            for t in person.get("forskuddstrekk") or []:
                amount = _amount(t.get("beloep"))
                if amount is None or amount != amount.to_integral_value():
                    refuse("AMLD_F001", "forskuddstrekk må være hele kroner", where)
                else:
                    withheld -= int(amount)
            for i, income in enumerate(person.get("inntekt") or []):
                for name in ("fordel", "utloeserArbeidsgiveravgift", "inngaarIGrunnlagForTrekk", "beloep"):
                    if name not in income:
                        refuse("AMLD_S001", f"{name} mangler", f"{where}/inntekt[{i}]")
        for c in (unit.get("arbeidsgiveravgift") or {}).get("loennOgGodtgjoerelse") or []:
            basis, rate = (
                _amount(c.get("avgiftsgrunnlagBeloep")),
                _amount(c.get("prosentsatsForAvgiftsberegning")),
            )
            if basis is None or rate is None:
                refuse("AMLD_S001", "avgiftsgrunnlag eller sats mangler", f"{at}/arbeidsgiveravgift")
            else:
                contribution += basis * rate / 100
    computed = int(contribution.quantize(Decimal(1), rounding=ROUND_DOWN))
    payment = oppgave.get("betalingsinformasjon") or {}
    stated = _amount(payment.get("sumArbeidsgiveravgift"))
    if stated is None or stated != computed:
        avvik.append(
            _avvik(
                "AMLD_B001",
                "øyeblikkelig",
                f"sumArbeidsgiveravgift er {stated}, beregnet {computed}",
                "oppgave/betalingsinformasjon",
            )
        )
    per_date = payment.get("sumForskuddstrekkPerLoennsutbetalingsdato") or []
    stated_withheld = sum(int(_amount(d.get("beloep")) or 0) for d in per_date)
    if stated_withheld != withheld:
        avvik.append(
            _avvik(
                "AMLD_B002",
                "øyeblikkelig",
                f"sum forskuddstrekk er {stated_withheld}, beregnet {withheld}",
                "oppgave/betalingsinformasjon",
            )
        )
    return avvik, computed, withheld


def _feedback(store: AmeldingStore, leveranse: dict[str, Any], shipment: str, now: float) -> dict[str, Any]:
    avvik, contribution, withheld = _check(store, leveranse)
    rejected = any(a["alvorlighetsgrad"] == "avvisning" for a in avvik)
    return {
        "forsendelseId": shipment,
        "meldingsId": str(leveranse.get("meldingsId", "")),
        "kalendermaaned": str(leveranse.get("kalendermaaned", "")),
        "opplysningspliktig": str((leveranse.get("opplysningspliktig") or {}).get("norskIdentifikator", "")),
        "mottakstidspunkt": datetime.datetime.fromtimestamp(now, datetime.UTC).isoformat(timespec="seconds"),
        "mottakstatus": "avvist" if rejected else "mottatt",
        "antallAvvik": len(avvik),
        "avvik": avvik,
        "beregnetArbeidsgiveravgift": contribution,
        "beregnetForskuddstrekk": withheld,
    }


async def control(request: Request) -> Response:
    store = _store(request)
    if request.method == "POST":
        try:
            data = await request.json()
        except ValueError:
            data = {}
        if isinstance(data, dict):
            if "feedback_delay" in data:
                store.feedback_delay = float(data["feedback_delay"])
            if "rate_limit" in data:
                store.rate_limit = int(data["rate_limit"])
    return JSONResponse(
        {
            "feedback_delay": store.feedback_delay,
            "rate_limit": store.rate_limit,
            "deliveries": [
                {"forsendelseId": k, "orgnr": d.orgnr, "month": d.month, "idempotencyKey": d.key, **d.answer}
                for k, d in store.deliveries.items()
            ],
        }
    )


def routes() -> list[Route]:
    return [
        Route("/v1/innsending/{month}/{orgnr}", innsending, methods=["POST"]),
        Route("/v1/tilbakemelding/{shipment}", tilbakemelding),
    ]


def control_routes() -> list[Route]:
    return [Route("/amelding", control, methods=["GET", "POST"])]
