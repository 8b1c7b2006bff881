"""Skatteverket's APIs as an ombud (pure: no Django).

- Authentication (../shared/research/authorities-and-identity.md §1.1–1.2): a client-credentials
  token from the token endpoint, over mutual TLS with the firm's organisation certificate when
  one is configured (without, the URL is called plainly: the sandbox). Every API call carries the
  gateway's keys (`Client_Id`, `Client_Secret`) and a fresh correlation id.
- Base paths are appended to the API host; a configured URL that already ends in one of them
  (or holds a prefix such as `/enkeltesttjanst`) works too (`api_root`).
- Role codes come from `GET /roller`, matched by their description; none is written here.
- Read only: every call is a GET except the token and the deep-link POST, which creates a link
  and writes nothing at Skatteverket (tests/connectors/skatteverket check it).
- Amounts: Skatteverket's sign, negative = debt. Parsed as Decimal, never float.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx

from ..http import ApiClient, ProviderError, error_for

log = logging.getLogger(__name__)

OMBUD = "/behorighet/ombudshantering/v2"
TAX_ACCOUNT = "/beskattning/skattekonto/v2"
AGI_PERIODS = "/arbetsgivardeklaration/hanteraredovisningsperiod/v1"
BASE_PATHS = (OMBUD, TAX_ACCOUNT, AGI_PERIODS)

# Ombudshantering, Skattekonto (REST), AGI redovisningsperiod.
SCOPES = "obr ska agdredovisningperiod"

# The two roles the firm asks for, as Skatteverket describes them in `/roller` (seed 000).
TAX_ACCOUNT_READ_ROLE = "Skattekonto, bara läsbehörighet"
AGI_REGISTER_ROLE = "Registerombud arbetsgivardeklaration"
REQUIRED_ROLES = (TAX_ACCOUNT_READ_ROLE, AGI_REGISTER_ROLE)

CORRELATION_HEADER = "skv_client_correlation_id"
TOKEN_EARLY = 120.0  # seconds: a token is renewed this long before it expires


def api_root(api_url: str) -> str:
    """The host (and any prefix) the base paths are appended to."""
    url = api_url.rstrip("/")
    for base in BASE_PATHS:
        if url.endswith(base):
            return url[: -len(base)]
    return url


def huvudman(orgnr: str) -> str:
    """Skatteverket's 12-digit identity of a legal person: "16" + the 10-digit org number."""
    digits = "".join(ch for ch in orgnr if ch.isdigit())
    if len(digits) == 12:
        return digits
    if len(digits) != 10:
        raise ValueError(f"An org number has 10 digits, not {orgnr!r}")
    return "16" + digits


def gateway_headers(client_id: str, client_secret: str) -> dict[str, str]:
    return {"Client_Id": client_id, "Client_Secret": client_secret}


def correlation_headers() -> dict[str, str]:
    """A fresh correlation id (≤ 36 characters) for one request."""
    return {CORRELATION_HEADER: str(uuid.uuid4())}


def transport(client_cert: str = "", client_key: str = "", ca_cert: str = "") -> httpx.HTTPTransport | None:
    """Mutual TLS with the organisation certificate when one is configured."""
    if not client_cert and not ca_cert:
        return None
    cert: tuple[str, str] | str | None = (client_cert, client_key) if client_key else (client_cert or None)
    return httpx.HTTPTransport(cert=cert, verify=ca_cert or True)


def parse_error(response: httpx.Response) -> tuple[str, str]:
    """Skattekonto `{felkod, felmeddelande}`, AGI `{kod, meddelandeTillAnvandare,
    meddelandeTillUtvecklare}`, the gateway's `{"error": …}` and OAuth's `{error, error_description}`."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:300] or response.reason_phrase
    if not isinstance(body, dict):
        return "", response.text[:300] or response.reason_phrase
    if "felkod" in body:
        return str(body["felkod"]), str(body.get("felmeddelande") or response.reason_phrase)
    if "kod" in body:
        user = str(body.get("meddelandeTillAnvandare") or "")
        developer = str(body.get("meddelandeTillUtvecklare") or "")
        return str(body["kod"]), " — ".join(m for m in (user, developer) if m) or response.reason_phrase
    if "error" in body:
        message = str(body.get("error_description") or body["error"])
        return str(body["error"]) if "error_description" in body else "", message
    return "", response.reason_phrase


class ClientCredentials:
    """The firm's client-credentials token, cached until shortly before it expires (thread-safe).

    The secret goes in the form body only (never logged); the token is the firm's own, one for
    every company it is ombud for."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str = SCOPES,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        clock: Any = time.monotonic,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self.scope = scope
        self._transport = transport
        self._timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._token = ""
        self._expires = 0.0
        self.fetched = 0  # tokens fetched, for tests

    def __call__(self) -> str:
        with self._lock:
            if not self._token or self._clock() >= self._expires - TOKEN_EARLY:
                self._fetch()
            return self._token

    def invalidate(self) -> None:
        """A 401: the next call fetches a new token."""
        with self._lock:
            self._token = ""

    def _fetch(self) -> None:
        with httpx.Client(timeout=self._timeout, transport=self._transport) as http:
            response = http.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self._secret,
                    "scope": self.scope,
                },
                headers={"Accept": "application/json", **correlation_headers()},
            )
        if not response.is_success:
            raise error_for(response, parse_error)
        body = response.json()
        self._token = str(body["access_token"])
        self._expires = self._clock() + float(body.get("expires_in", 3600))
        self.fetched += 1
        log.info("Skatteverket token fetched (expires in %s s)", body.get("expires_in"))


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Role:
    code: str
    description: str


@dataclass(frozen=True)
class Grant:
    """One role a company (huvudman) has given the authenticated ombud."""

    huvudman: str
    role: str
    description: str
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Balance:
    balance: Decimal  # saldoSkatteverket; negative = debt
    interest: Decimal  # rantaSkatteverket
    ocr: str
    next_reconciliation: date | None
    updated_at: datetime | None


@dataclass(frozen=True)
class Transaction:
    ident: str
    booked: date
    interest_date: date | None
    text: str
    amount: Decimal  # beloppSkatteverket; negative = debt
    due: date | None


@dataclass(frozen=True)
class Receipt:
    period: str  # YYYYMM
    receipt_id: str
    signed_by: str
    signed_at: datetime | None
    individual_count: int


@dataclass(frozen=True)
class Summary:
    period: str
    employer_contributions: Decimal  # SummaArbAvgSlf
    deducted_tax: Decimal  # SummaSkatteavdr
    individual_count: int


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def _amount(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _items(body: Any, *keys: str) -> list[dict[str, Any]]:
    """A list answer, bare or under one of `keys`."""
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    for key in keys:
        if isinstance(body, dict) and isinstance(body.get(key), list):
            return [item for item in body[key] if isinstance(item, dict)]
    return []


class SkatteverketClient:
    """The calls the firm makes as ombud, on an ApiClient whose base URL is the API root."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def close(self) -> None:
        self.api.close()

    def _get(self, path: str, **params: Any) -> Any:
        response = self.api.request("GET", path, params={k: v for k, v in params.items() if v} or None)
        return json.loads(response.content or b"null", parse_float=Decimal)

    # ---- ombudshantering

    def roles(self) -> list[Role]:
        body = self._get(f"{OMBUD}/roller")
        return [
            Role(str(r.get("roll", "")), str(r.get("rollbeskrivning", ""))) for r in _items(body, "roller")
        ]

    def role_codes(self, descriptions: Iterable[str] = REQUIRED_ROLES) -> list[str]:
        """The codes of the roles described so (`/roller`); LookupError names one not offered."""
        by_description = {role.description.casefold(): role.code for role in self.roles()}
        codes = []
        for description in descriptions:
            code = by_description.get(description.casefold())
            if code is None:
                raise LookupError(f"Skatteverket offers no role {description!r}")
            codes.append(code)
        return codes

    def grants(self, orgnr: str) -> list[Grant]:
        """The roles the company has given the authenticated ombud (current and future)."""
        body = self._get(f"{OMBUD}/ombud/autentisieratOmbud", huvudman=huvudman(orgnr))
        return [
            Grant(
                str(g.get("huvudman", "")),
                str(g.get("roll", "")),
                str(g.get("rollbeskrivning", "")),
                _day(g.get("giltigFrom")),
                _day(g.get("giltigTom")),
            )
            for g in _items(body, "behorigheter", "ombudsbehorigheter")
        ]

    def missing_roles(self, orgnr: str, on: date, descriptions: Iterable[str] = REQUIRED_ROLES) -> list[str]:
        """The roles (descriptions) the company has not given us, valid on `on`."""
        wanted = list(descriptions)
        codes = dict(zip(wanted, self.role_codes(wanted), strict=True))
        held = {g.role for g in self.grants(orgnr) if g.valid_on(on)}
        return [description for description, code in codes.items() if code not in held]

    def deep_link(self, orgnr: str, descriptions: Iterable[str] = REQUIRED_ROLES) -> str:
        """A link into "Ombud och behörigheter" with the roles pre-filled (valid 3 weeks). It
        creates a link only; the company's signatory makes the grant by signing there."""
        codes = self.role_codes(descriptions)
        path = f"{OMBUD}/ombud/autentisieratOmbud/huvudman/{huvudman(orgnr)}/djuplank/utseombud"
        response = self.api.request("POST", path, json={"ombudsroller": codes})
        return str(response.json()["djuplank"])

    # ---- skattekonto

    def balance(self, orgnr: str, on: date | None = None) -> Balance:
        body = self._get(f"{TAX_ACCOUNT}/skattekonton/{huvudman(orgnr)}/saldo", datum=on and on.isoformat())
        return Balance(
            balance=_amount(body.get("saldoSkatteverket")),
            interest=_amount(body.get("rantaSkatteverket")),
            ocr=str(body.get("ocrNummer") or ""),
            next_reconciliation=_day(body.get("nastaAvstamningsdatum")),
            updated_at=_moment(body.get("senastUppdaterad")),
        )

    def transactions(
        self, orgnr: str, since: date | None = None
    ) -> tuple[list[Transaction], list[Transaction]]:
        """(booked, upcoming) from `since` (Skatteverket's default: about 555 days back)."""
        body = self._get(
            f"{TAX_ACCOUNT}/skattekonton/{huvudman(orgnr)}/transaktioner",
            datumFrom=since and since.isoformat(),
        )

        def rows(key: str) -> list[Transaction]:
            out = []
            for t in _items(body, key):
                booked = _day(t.get("transaktionsdatum")) or _day(t.get("forfallodatum"))
                if booked is None:
                    raise ProviderError(200, f"A tax-account row has no date: {t!r}"[:300])
                out.append(
                    Transaction(
                        ident=str(t.get("transaktionsidentitet") or ""),
                        booked=booked,
                        interest_date=_day(t.get("ranteberakningsdatum")),
                        text=str(t.get("transaktionstext") or ""),
                        amount=_amount(t.get("beloppSkatteverket")),
                        due=_day(t.get("forfallodatum")),
                    )
                )
            return out

        return rows("tidigareTransaktioner"), rows("kommandeTransaktioner")

    # ---- AGI, hantera redovisningsperiod

    def _period_path(self, orgnr: str, period: str) -> str:
        return f"{AGI_PERIODS}/arbetsgivare/{huvudman(orgnr)}/redovisningsperioder/{period}"

    def receipts(self, orgnr: str, period: str) -> list[Receipt]:
        """The period's receipts (empty until someone has signed a declaration)."""
        body = self._get(f"{self._period_path(orgnr, period)}/kvittenser")
        out = []
        for k in _items(body, "kvittenser"):
            basis: dict[str, Any] = k["underlag"] if isinstance(k.get("underlag"), dict) else {}
            out.append(
                Receipt(
                    period=str(k.get("period") or period),
                    receipt_id=str(k.get("uuidKvittens") or ""),
                    signed_by=str(k.get("signeradAv") or ""),
                    signed_at=_moment(k.get("signeradTid")),
                    individual_count=int(basis.get("antalIu") or 0),
                )
            )
        return out

    def summary(self, orgnr: str, period: str) -> Summary:
        """The period's totals (summeringsrapport): employer contributions and deducted tax."""
        body = self._get(f"{self._period_path(orgnr, period)}/summeringsrapport")
        return Summary(
            period=str(body.get("redovisningsperiod") or period),
            employer_contributions=_amount(body.get("summaArbAvgSlf")),
            deducted_tax=_amount(body.get("summaSkatteavdr")),
            individual_count=int(body.get("antalIu") or 0),
        )
