"""The mva-melding's way to the Tax Administration (pure: no Django). Research:
authorities-and-identity.md §5.4, norway-formats.md §6.2.

A person logged in with ID-porten (the melding takes no system user) gives an access token;
- the validation service takes the melding with that token: `POST …/valider` → valideringsresultat;
- Altinn takes an Altinn token the platform exchanges for it
  (`GET {platform}/authentication/api/v1/exchange/id-porten`), and then the app's instance flow:
  create the instance for the organisation → `PUT` the envelope to the data element the instance
  came with → `POST data?dataType=mvamelding` → `PUT process/next` (Utfylling → Bekreftelse →
  Tilbakemelding) → poll `feedback/status` → read valideringsresultat, betalingsinformasjon,
  kvittering.

Every step is decided from the instance as Altinn reports it, so a submission that stopped
half-way continues from where it stopped when called again. Requests go through `ApiClient`
(retries of 429/5xx with Retry-After, typed errors).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from ..http import ApiClient

APP = "skd/mva-melding-innsending-v1"
ENVELOPE_TYPE = "no.skatteetaten.fastsetting.avgift.mva.mvameldinginnsending.v1.0"
MELDING_TYPE = "mvamelding"
EXCHANGE_PATH = "/authentication/api/v1/exchange/id-porten"
VALIDATION_PATH = "/api/mva/grensesnittstoette/mva-melding/valider"
VALIDATION_SCOPE = "skatteetaten:mvameldingvalidering"
INSTANCE_SCOPES = "altinn:instances.read altinn:instances.write"
PAYMENT_NS = "no:skatteetaten:fastsetting:avgift:mva:skattemeldingformerverdiavgift:betalingsinformasjon:v1.0"
XML = "application/xml"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def validate(api: ApiClient, validation_url: str, melding_xml: bytes) -> bytes:
    """The validation service's valideringsresultat (XML) for the melding."""
    response = api.request(
        "POST",
        validation_url.rstrip("/") + VALIDATION_PATH,
        content=melding_xml,
        headers={"Content-Type": XML, "Accept": XML},
    )
    return response.content


def altinn_token(api: ApiClient, platform_url: str) -> str:
    """The Altinn token for the ID-porten token `api` sends (text/plain, or a JSON string)."""
    response = api.request("GET", platform_url.rstrip("/") + EXCHANGE_PATH, headers={"Accept": "text/plain"})
    return response.text.strip().strip('"')


def instances_url(apps_url: str, app: str = APP) -> str:
    return f"{apps_url.rstrip('/')}/{app}/instances"


def instance_create(api: ApiClient, apps_url: str, orgnr: str, app: str = APP) -> dict[str, Any]:
    response = api.request(
        "POST", instances_url(apps_url, app), json={"instanceOwner": {"organisationNumber": orgnr}}
    )
    return dict(response.json())


def instance_get(api: ApiClient, instance_url: str) -> dict[str, Any]:
    return dict(api.request("GET", instance_url).json())


def current_task(instance: dict[str, Any]) -> str | None:
    """The task's name (Utfylling, Bekreftelse, Tilbakemelding); None once the process ended."""
    task = (instance.get("process") or {}).get("currentTask")
    return str(task.get("name") or task.get("elementId")) if isinstance(task, dict) else None


def _element(instance: dict[str, Any], data_type: str) -> dict[str, Any] | None:
    return next((d for d in instance.get("data") or [] if d.get("dataType") == data_type), None)


def _apps_link(element: dict[str, Any]) -> str:
    return str((element.get("selfLinks") or {}).get("apps") or "")


def submit_steps(api: ApiClient, instance: dict[str, Any], envelope_xml: bytes, melding_xml: bytes) -> None:
    """Everything after the instance's creation that has not happened yet, in order: the
    envelope, the melding, then the process to Tilbakemelding."""
    url = str(instance["selfLinks"]["apps"])
    if current_task(instance) == "Utfylling":
        # The envelope again each time (a PUT replaces it): the caller's may be newer.
        envelope = _element(instance, ENVELOPE_TYPE)
        if envelope is not None:
            api.request("PUT", _apps_link(envelope), content=envelope_xml, headers={"Content-Type": XML})
        if _element(instance, MELDING_TYPE) is None:
            api.request(
                "POST",
                f"{url}/data",
                params={"dataType": MELDING_TYPE},
                content=melding_xml,
                headers={"Content-Type": XML, "Content-Disposition": "attachment; filename=mvamelding.xml"},
            )
        api.request("PUT", f"{url}/process/next")
        instance = instance_get(api, url)
    if current_task(instance) == "Bekreftelse":
        api.request("PUT", f"{url}/process/next")


def feedback_provided(api: ApiClient, instance_url: str) -> bool:
    body = api.request("GET", f"{instance_url}/feedback/status").json()
    return bool(body.get("isFeedbackProvided"))


def feedback_wait(api: ApiClient, instance_url: str, *, polls: int, wait: float) -> bool:
    """Poll the feedback status a few times (growing pauses); whether it came."""
    for attempt in range(polls):
        if feedback_provided(api, instance_url):
            return True
        if attempt + 1 < polls:
            time.sleep(wait * (attempt + 1))
    return False


@dataclass(frozen=True)
class FeedbackFiles:
    validation_xml: bytes
    payment_xml: bytes
    receipt_pdf: bytes


def feedback_files(api: ApiClient, instance: dict[str, Any]) -> FeedbackFiles:
    """The data elements the Tax Administration added (b"" for one that is not there)."""

    def read(data_type: str) -> bytes:
        element = _element(instance, data_type)
        return api.request("GET", _apps_link(element)).content if element else b""

    return FeedbackFiles(read("valideringsresultat"), read("betalingsinformasjon"), read("kvittering"))


@dataclass(frozen=True)
class Payment:
    """The betalingsinformasjon: what to pay (negative: to get back), to whom, by when."""

    reference: str
    kid: str
    amount: Decimal
    due: date
    account: str
    pay_to: str


def payment_parse(xml: bytes) -> Payment:
    """ValueError for a document that is not a betalingsinformasjon."""
    root = etree.fromstring(xml, _PARSER)
    if root.tag != f"{{{PAYMENT_NS}}}betalingsinformasjon":
        raise ValueError(f"not a betalingsinformasjon: {root.tag}")

    def text(path: str) -> str:
        found = root.findtext(path, namespaces={"b": PAYMENT_NS})
        if found is None:
            raise ValueError(f"betalingsinformasjon lacks {path}")
        return found.strip()

    try:
        amount = Decimal(text("b:beloep"))
    except InvalidOperation as exc:
        raise ValueError(f"betalingsinformasjon: beloep {text('b:beloep')!r} is not an amount") from exc
    return Payment(
        reference=text("b:innsendingsreferanse"),
        kid=text("b:kundeidentifikasjonsnummer"),
        amount=amount,
        due=date.fromisoformat(text("b:betalingsfrist")),
        account=text("b:betalesTilKonto/b:norskKontonummer"),
        pay_to=text("b:betaleTil"),
    )
