"""Skatteetaten's Innrapportering A-melding API and its feedback API (pure: httpx, no Django).

`POST {base}/v1/innsending/{YYYY-MM}/{orgnr}` with `{"idempotencyKey", "leveranse"}` as JSON
and a Maskinporten system-user token with `skatteetaten:innrapporteringamelding` answers
`{dialogId, forsendelseId, meldingsId}`; the feedback (tilbakemelding) is read from
`{base}/v1/tilbakemelding/{forsendelseId}`, 404 until it is ready. Errors are
`{kode: AMLD_…, melding}`. A 429 is waited out (its Retry-After, a few times) and sent again:
the idempotency key makes sending again safe.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from ledgerport.amelding import jsonio

from .client import TIMEOUT, AltinnError

SCOPE = "skatteetaten:innrapporteringamelding"
SUBMIT_PATH = "/v1/innsending/{month}/{orgnr}"
FEEDBACK_PATH = "/v1/tilbakemelding/{shipment}"
RETRIES_ON_429 = 3
MAX_WAIT = 5.0


@dataclass(frozen=True)
class Submitted:
    dialog_id: str
    shipment_id: str  # forsendelseId
    message_id: str  # meldingsId


def _error(response: httpx.Response) -> AltinnError:
    try:
        body: Any = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("kode") or body.get("error") or response.status_code)
    message = str(body.get("melding") or body.get("error_description") or response.text[:200])
    return AltinnError(code, message, response.status_code)


def _send(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    for attempt in range(RETRIES_ON_429 + 1):
        try:
            response = client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise AltinnError("unreachable", str(exc) or type(exc).__name__) from exc
        if response.status_code != 429 or attempt == RETRIES_ON_429:
            return response
        try:
            wait = float(response.headers.get("retry-after", "1"))
        except ValueError:
            wait = 1.0
        time.sleep(min(max(wait, 0.1), MAX_WAIT))
    raise AssertionError("unreachable")  # pragma: no cover


def submit(
    *,
    api_url: str,
    token: str,
    month: str,
    orgnr: str,
    leveranse: dict[str, Any],
    idempotency_key: str,
    transport: httpx.BaseTransport | None = None,
) -> Submitted:
    """Send the month's delivery; the same key sends it once however often it is called."""
    body = jsonio.dumps({"idempotencyKey": idempotency_key, **leveranse}).encode()
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    url = api_url.rstrip("/") + SUBMIT_PATH.format(month=month, orgnr=orgnr)
    with httpx.Client(timeout=TIMEOUT, transport=transport) as client:
        response = _send(client, "POST", url, content=body, headers=headers)
    if response.status_code not in (200, 201):
        raise _error(response)
    answer = response.json()
    return Submitted(str(answer["dialogId"]), str(answer["forsendelseId"]), str(answer["meldingsId"]))


def feedback(
    *, api_url: str, token: str, shipment_id: str, transport: httpx.BaseTransport | None = None
) -> dict[str, Any] | None:
    """The tilbakemelding, or None while it is not ready."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    url = api_url.rstrip("/") + FEEDBACK_PATH.format(shipment=shipment_id)
    with httpx.Client(timeout=TIMEOUT, transport=transport) as client:
        response = _send(client, "GET", url, headers=headers)
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise _error(response)
    answer = response.json()
    if not isinstance(answer, dict):
        raise AltinnError("invalid", "the feedback is not a JSON object", 200)
    return answer
