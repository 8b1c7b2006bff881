"""Filing the mva-melding simulated (research: authorities-and-identity.md §5.4, norway-formats.md
§6.2; the real feedback set in specs/no-mva-melding/examples/feedback):

- `GET /altinn/platform/authentication/api/v1/exchange/id-porten`: an ID-porten access token
  (Bearer) → an Altinn token (text/plain; 30 minutes, Altinn's JwtValidityMinutes), carrying
  the person and the ID-porten scopes.
- `POST /skatteetaten/api/mva/grensesnittstoette/mva-melding/valider`: the validation service
  (ID-porten token with `skatteetaten:mvameldingvalidering`, `application/xml`) → a
  `valideringsresultat` (mva_rules.py).
- Skatteetaten's Altinn 3 app `skd/mva-melding-innsending-v1` under `/altinn/apps`: `POST
  …/instances` (instanceOwner.organisationNumber; 403 without a role for it) creates the
  instance with its envelope data element; `PUT` the envelope to that element, `POST
  data?dataType=mvamelding` (Content-Disposition with a file name; one only, 409 for another),
  `binaerVedlegg` (file names unique, else 409); `PUT process/next` moves Utfylling →
  Bekreftelse (409 with the validation issues when the melding or the envelope is missing or
  names another organisation than the instance owner) → Tilbakemelding (403 for a filling-only
  role). `GET feedback/status` answers `isFeedbackProvided` false until FEEDBACK_DELAY seconds
  after the submission (a control knob), then the process ends and the data elements
  `valideringsresultat`, `betalingsinformasjon` (a KID with a valid mod-10 check digit, the
  amount and the due date of the term) and `kvittering` (a PDF) are there.
- Every request counts against the provider's rate limit (per token; 429 with Retry-After) and
  the fail knob (`/_control/fail provider=altinn`).
"""

from __future__ import annotations

import math
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lxml import etree
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from sandbox.altinn import mva_rules
from sandbox.altinn.idporten import person_token
from sandbox.altinn.persons import SIGN, person_roles
from sandbox.core.files import make_pdf
from sandbox.core.http import JSONResponse, bearer, query_ci, sandbox

ALTINN_TOKEN_LIFETIME = 1800
FEEDBACK_DELAY = 1.0
ORG = "skd"
APPS = ("mva-melding-innsending-v1", "mva-melding-innsending-etm2")
ENVELOPE_TYPE = "no.skatteetaten.fastsetting.avgift.mva.mvameldinginnsending.v1.0"
ENVELOPE_NS = "no:skatteetaten:fastsetting:avgift:mva:mvameldinginnsending:v1.0"
ENVELOPE_XSD = "no.skatteetaten.fastsetting.avgift.mva.mvameldinginnsending.v1.0.xsd"
PAYMENT_NS = "no:skatteetaten:fastsetting:avgift:mva:skattemeldingformerverdiavgift:betalingsinformasjon:v1.0"
TAX_ACCOUNT = "12345678903"  # as in Skatteetaten's example betalingsinformasjon
SKATTEETATEN_ORGNR = "974761076"
TASKS = {
    "Task_1": ("Utfylling", "data"),
    "Task_2": ("Bekreftelse", "confirmation"),
    "Task_3": ("Tilbakemelding", "feedback"),
}
NEXT_TASK = {"Task_1": "Task_2", "Task_2": "Task_3"}


@dataclass
class AltinnToken:
    pid: str
    scopes: frozenset[str]
    expires: float


@dataclass
class DataElement:
    id: str
    data_type: str
    content_type: str
    filename: str | None
    content: bytes
    created: datetime
    created_by: str
    locked: bool = False


@dataclass
class Instance:
    party_id: str
    guid: str
    app: str
    orgnr: str
    created: datetime
    created_by: str
    task: str | None = "Task_1"
    data: list[DataElement] = field(default_factory=list)
    submitted: float | None = None
    ended: datetime | None = None

    @property
    def id(self) -> str:
        return f"{self.party_id}/{self.guid}"

    def element(self, data_type: str) -> DataElement | None:
        return next((d for d in self.data if d.data_type == data_type), None)


@dataclass
class MvaStore:
    tokens: dict[str, AltinnToken] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)  # "party/guid" -> instance
    feedback_delay: float = FEEDBACK_DELAY


def mva_store(request: Request) -> MvaStore:
    stores = sandbox(request).stores
    found = stores.get("altinn_mva")
    if not isinstance(found, MvaStore):
        found = stores["altinn_mva"] = MvaStore()
    return found


def _now(request: Request) -> datetime:
    return sandbox(request).clock.now()


def _stamp(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if moment else None


def party_id(orgnr: str) -> str:
    """Altinn's party id of an organisation (stable per organisation number)."""
    return str(50_000_000 + int(orgnr) % 10_000_000)


def _problem(status: int, title: str, detail: str) -> Response:
    return JSONResponse({"type": "about:blank", "title": title, "status": status, "detail": detail}, status)


async def _gate(request: Request, key: str) -> Response | None:
    """The fail knob and the rate limit (per token), as every sandbox provider has them."""
    rt = sandbox(request).providers["altinn"]
    if failure := await rt.pre_request():
        return _problem(failure, "Internal Server Error", "the sandbox was told to fail")
    wait = rt.hit(("altinn", key), sandbox(request).clock.time())
    if wait is not None:
        rt.counts["rate_limited"] += 1
        return Response(status_code=429, headers={"Retry-After": str(max(1, math.ceil(wait)))})
    return None


# --- Altinn platform: the token exchange -------------------------------------------------------


async def exchange(request: Request) -> Response:
    held = person_token(request, bearer(request))
    if held is None:
        return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if refused := await _gate(request, bearer(request) or ""):
        return refused
    token = "altinn." + secrets.token_urlsafe(32)
    mva_store(request).tokens[token] = AltinnToken(
        held.grant.pid, frozenset(held.grant.scopes), sandbox(request).clock.time() + ALTINN_TOKEN_LIFETIME
    )
    return PlainTextResponse(token)


# --- Skatteetaten's validation service ---------------------------------------------------------


async def validate(request: Request) -> Response:
    held = person_token(request, bearer(request))
    if held is None:
        return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if refused := await _gate(request, bearer(request) or ""):
        return refused
    if "skatteetaten:mvameldingvalidering" not in held.grant.scopes:
        return _problem(403, "Forbidden", "the token lacks the scope skatteetaten:mvameldingvalidering")
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/xml":
        return _problem(415, "Unsupported Media Type", "send the mva-melding as application/xml")
    body = await request.body()
    return Response(mva_rules.result_xml(mva_rules.validate(body)), media_type="application/xml")


# --- The app's instances -----------------------------------------------------------------------


def _person(request: Request, write: bool) -> tuple[AltinnToken | None, Response | None]:
    found = mva_store(request).tokens.get(bearer(request) or "")
    if found is None or found.expires <= sandbox(request).clock.time():
        return None, Response(status_code=401)
    needed = "altinn:instances.write" if write else "altinn:instances.read"
    if needed not in found.scopes:
        return None, _problem(403, "Forbidden", f"the token lacks the scope {needed}")
    return found, None


def _links(request: Request, instance: Instance, element: DataElement | None = None) -> dict[str, str]:
    host = f"{request.url.scheme}://{request.url.netloc}"
    apps = f"{host}{request.scope.get('root_path', '')}/{ORG}/{instance.app}/instances/{instance.id}"
    platform = f"{host}/altinn/platform/storage/api/v1/instances/{instance.id}"
    if element is not None:
        return {"apps": f"{apps}/data/{element.id}", "platform": f"{platform}/data/{element.id}"}
    return {"apps": apps, "platform": platform}


def _element_json(request: Request, instance: Instance, element: DataElement) -> dict[str, Any]:
    return {
        "id": element.id,
        "instanceGuid": instance.guid,
        "dataType": element.data_type,
        "filename": element.filename,
        "contentType": element.content_type,
        "blobStoragePath": f"{ORG}/{instance.app}/{instance.guid}/data/{element.id}",
        "selfLinks": _links(request, instance, element),
        "size": len(element.content),
        "locked": element.locked,
        "refs": [],
        "isRead": True,
        "created": _stamp(element.created),
        "createdBy": element.created_by,
        "lastChanged": _stamp(element.created),
        "lastChangedBy": element.created_by,
    }


def _process_json(instance: Instance) -> dict[str, Any]:
    current = None
    if instance.task is not None:
        name, kind = TASKS[instance.task]
        current = {
            "flow": int(instance.task[-1]) + 1,
            "started": _stamp(instance.created),
            "elementId": instance.task,
            "name": name,
            "altinnTaskType": kind,
            "actions": {"read": True, "write": instance.task != "Task_3"},
        }
    return {
        "started": _stamp(instance.created),
        "startEvent": "StartEvent_1",
        "currentTask": current,
        "ended": _stamp(instance.ended),
        "endEvent": "EndEvent_1" if instance.ended else None,
    }


def _instance_json(request: Request, instance: Instance) -> dict[str, Any]:
    done = instance.ended is not None
    return {
        "id": instance.id,
        "instanceOwner": {
            "partyId": instance.party_id,
            "personNumber": None,
            "organisationNumber": instance.orgnr,
        },
        "appId": f"{ORG}/{instance.app}",
        "org": ORG,
        "selfLinks": _links(request, instance),
        "dueBefore": None,
        "visibleAfter": _stamp(instance.created),
        "process": _process_json(instance),
        "status": {
            "isArchived": done,
            "archived": _stamp(instance.ended),
            "isSoftDeleted": False,
            "isHardDeleted": False,
            "readStatus": 1,
            "substatus": {
                "label": "Mottatt",
                "description": "Mva-meldingen er levert og mottatt av Skatteetaten.",
            }
            if done
            else None,
        },
        "data": [_element_json(request, instance, d) for d in instance.data],
        "created": _stamp(instance.created),
        "createdBy": instance.created_by,
        "lastChanged": _stamp(instance.ended or instance.created),
        "lastChangedBy": SKATTEETATEN_ORGNR if done else instance.created_by,
    }


def _app(request: Request) -> Response | None:
    if request.path_params["org"] != ORG or request.path_params["app"] not in APPS:
        return _problem(404, "Not Found", "no such app")
    return None


async def _json(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def instance_create(request: Request) -> Response:
    if missing := _app(request):
        return missing
    person, refused = _person(request, write=True)
    if refused is not None or person is None:
        return refused or Response(status_code=401)
    if limited := await _gate(request, person.pid):
        return limited
    owner = (await _json(request)).get("instanceOwner") or {}
    orgnr = str(owner.get("organisationNumber") or "") if isinstance(owner, dict) else ""
    if not (orgnr.isdigit() and len(orgnr) == 9):
        return _problem(400, "Bad Request", "instanceOwner.organisationNumber is required")
    if orgnr not in person_roles(person.pid):
        return Response(status_code=403)  # Altinn's apps answer a missing role with an empty 403
    now = _now(request)
    instance = Instance(
        party_id(orgnr), str(uuid.uuid4()), request.path_params["app"], orgnr, now, person.pid
    )
    instance.data.append(
        DataElement(str(uuid.uuid4()), ENVELOPE_TYPE, "application/xml", None, b"", now, person.pid)
    )
    mva_store(request).instances[instance.id] = instance
    return JSONResponse(_instance_json(request, instance), 201)


def _feedback_due(request: Request, instance: Instance) -> None:
    """Skatteetaten's feedback arrives FEEDBACK_DELAY seconds after the submission."""
    if instance.task != "Task_3" or instance.submitted is None:
        return
    if sandbox(request).clock.time() < instance.submitted + mva_store(request).feedback_delay:
        return
    melding = instance.element("mvamelding")
    content = melding.content if melding else b""
    now = _now(request)
    for data_type, media, name, body in (
        (
            "valideringsresultat",
            "text/xml",
            "valideringsresultat.xml",
            mva_rules.result_xml(mva_rules.validate(content)),
        ),
        ("betalingsinformasjon", "text/xml", "betalingsinformasjon.xml", _payment(instance, content)),
        ("kvittering", "application/pdf", "kvittering.pdf", _receipt(instance, content)),
    ):
        instance.data.append(
            DataElement(str(uuid.uuid4()), data_type, media, name, body, now, SKATTEETATEN_ORGNR, True)
        )
    for element in instance.data:
        element.locked = True
    instance.task = None
    instance.ended = now


async def _instance(
    request: Request, write: bool
) -> tuple[Instance | None, AltinnToken | None, Response | None]:
    if missing := _app(request):
        return None, None, missing
    person, refused = _person(request, write=write)
    if refused is not None or person is None:
        return None, None, refused or Response(status_code=401)
    if limited := await _gate(request, person.pid):
        return None, None, limited
    key = f"{request.path_params['party']}/{request.path_params['guid']}"
    instance = mva_store(request).instances.get(key)
    if instance is None:
        return None, None, _problem(404, "Not Found", f"no instance {key}")
    if instance.orgnr not in person_roles(person.pid):
        return None, None, Response(status_code=403)
    _feedback_due(request, instance)
    return instance, person, None


async def instance_get(request: Request) -> Response:
    instance, _, refused = await _instance(request, write=False)
    if instance is None:
        return refused or Response(status_code=404)
    return JSONResponse(_instance_json(request, instance))


def _filename(request: Request) -> str | None:
    disposition = request.headers.get("content-disposition", "")
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename" and value.strip('"'):
            return value.strip('"')
    return None


async def data_put(request: Request) -> Response:
    instance, person, refused = await _instance(request, write=True)
    if instance is None or person is None:
        return refused or Response(status_code=404)
    element = next((d for d in instance.data if d.id == request.path_params["data"]), None)
    if element is None:
        return _problem(404, "Not Found", "no such data element")
    if instance.task != "Task_1" or element.locked:
        return _problem(409, "Conflict", "the data element is locked: the instance is past Utfylling")
    body = await request.body()
    if element.data_type == ENVELOPE_TYPE and (problem := _envelope_problem(body)):
        return _problem(400, "Bad Request", problem)
    element.content = body
    element.content_type = request.headers.get("content-type", element.content_type).split(";")[0]
    return JSONResponse(_element_json(request, instance, element))


async def data_post(request: Request) -> Response:
    instance, person, refused = await _instance(request, write=True)
    if instance is None or person is None:
        return refused or Response(status_code=404)
    data_type = query_ci(request, "dataType") or ""
    if data_type not in ("mvamelding", "binaerVedlegg"):
        return _problem(400, "Bad Request", f"Element type {data_type or '(none)'} not allowed for instance")
    if instance.task != "Task_1":
        return _problem(409, "Conflict", "data can only be added in Utfylling")
    filename = _filename(request)
    if not filename:
        return _problem(400, "Bad Request", "Content-Disposition with a file name is required")
    if data_type == "mvamelding" and instance.element("mvamelding") is not None:
        return _problem(409, "Conflict", "Reached maximum allowed number of elements (1) of type mvamelding")
    attachments = [d.filename for d in instance.data if d.data_type == "binaerVedlegg"]
    if data_type == "binaerVedlegg" and filename in attachments:
        return _problem(409, "Conflict", f"an attachment named {filename} exists already")
    element = DataElement(
        str(uuid.uuid4()),
        data_type,
        request.headers.get("content-type", "application/octet-stream").split(";")[0],
        filename,
        await request.body(),
        _now(request),
        person.pid,
    )
    instance.data.append(element)
    return JSONResponse(_element_json(request, instance, element), 201)


async def data_get(request: Request) -> Response:
    instance, _, refused = await _instance(request, write=False)
    if instance is None:
        return refused or Response(status_code=404)
    element = next((d for d in instance.data if d.id == request.path_params["data"]), None)
    if element is None:
        return _problem(404, "Not Found", "no such data element")
    return Response(element.content, media_type=element.content_type)


def _envelope_problem(body: bytes) -> str:
    """The konvolutt must be its XSD's (the namespace may be left out, as Skatteetaten's own
    example does)."""
    root = mva_rules.melding_root(body)
    if root is None:
        return "the envelope is not XML"
    if root.tag == "mvaMeldingInnsending":
        for element in root.iter():
            if isinstance(element.tag, str) and not element.tag.startswith("{"):
                element.tag = f"{{{ENVELOPE_NS}}}{element.tag}"
    checker = mva_rules.schema(ENVELOPE_XSD)
    if not checker.validate(root.getroottree()):
        return "the envelope is not valid: " + "; ".join(e.message for e in checker.error_log)[:500]
    return ""


def _orgnr_of(body: bytes, path: str) -> str:
    root = mva_rules.melding_root(body)
    if root is None:
        return ""
    found = root.xpath(f"string(//*[local-name()='{path}']/*[local-name()='organisasjonsnummer'])")
    return str(found).strip()


def _issues(instance: Instance) -> list[dict[str, Any]]:
    """What Utfylling's validation finds before the confirm step (Altinn's ValidationIssue)."""
    issues: list[dict[str, Any]] = []

    def issue(code: str, description: str) -> None:
        issues.append({"severity": 1, "code": code, "description": description, "source": "Custom"})

    envelope, melding = instance.element(ENVELOPE_TYPE), instance.element("mvamelding")
    if envelope is None or not envelope.content:
        issue("MissingEnvelope", "Konvolutten (MvaMeldingInnsending) er ikke lastet opp")
    elif _orgnr_of(envelope.content, "norskIdentifikator") != instance.orgnr:
        issue("WrongOrganisation", "Konvolutten gjelder en annen organisasjon enn instanseieren")
    if melding is None:
        issue("MissingMvamelding", "Mva-meldingen er ikke lastet opp")
    else:
        root = mva_rules.melding_root(melding.content)
        if root is None or not mva_rules.schema(mva_rules.MELDING_XSD).validate(root.getroottree()):
            issue("InvalidMvamelding", "Mva-meldingen er ikke gyldig i henhold til XSD")
        if _orgnr_of(melding.content, "skattepliktig") != instance.orgnr:
            issue("WrongOrganisation", "Mva-meldingen gjelder en annen organisasjon enn instanseieren")
    return issues


async def process_next(request: Request) -> Response:
    instance, person, refused = await _instance(request, write=True)
    if instance is None or person is None:
        return refused or Response(status_code=404)
    if instance.task not in NEXT_TASK:
        return _problem(409, "Conflict", "the process waits for Skatteetaten's feedback or has ended")
    if instance.task == "Task_1" and (issues := _issues(instance)):
        return JSONResponse(issues, 409)
    if instance.task == "Task_2" and person_roles(person.pid).get(instance.orgnr) != SIGN:
        return Response(status_code=403)  # filling-only roles may not complete the submission
    instance.task = NEXT_TASK[instance.task]
    if instance.task == "Task_3":
        instance.submitted = sandbox(request).clock.time()
        for element in instance.data:
            element.locked = True
    return JSONResponse(_process_json(instance))


async def feedback_status(request: Request) -> Response:
    instance, _, refused = await _instance(request, write=False)
    if instance is None:
        return refused or Response(status_code=404)
    return JSONResponse({"isFeedbackProvided": instance.ended is not None})


# --- The feedback's files ----------------------------------------------------------------------


PERIOD_END_MONTH = {
    "januar-februar": 2,
    "mars-april": 4,
    "mai-juni": 6,
    "juli-august": 8,
    "september-oktober": 10,
    "november-desember": 12,
}


def due_date(period: str, year: int) -> date:
    """The term's payment deadline: the 10th of the second month after the term (mai-juni: 31
    August). Terms other than two months: the 10th of the second month after the year's end
    for yearly ones, else two months' 10th after the month named last."""
    if period == "mai-juni":
        return date(year, 8, 31)
    months = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ]
    end = PERIOD_END_MONTH.get(period)
    if end is None:
        named = [i + 1 for i, m in enumerate(months) if m in period]
        end = max(named) if named else 12
    month, add_year = end + 2, 0
    if month > 12:
        month, add_year = month - 12, 1
    return date(year + add_year, month, 10)


def kid_for(orgnr: str, year: int, period: str) -> str:
    """A KID with a mod-10 (Luhn) check digit: organisation number, year, term."""
    number = f"{orgnr}{year % 100:02d}{PERIOD_END_MONTH.get(period, 0):02d}"
    return number + str(luhn_digit(number))


def luhn_digit(number: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(number)):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return (10 - total % 10) % 10


def _melding_facts(content: bytes) -> tuple[str, str, int, str, Decimal]:
    """(orgnr, period element name, year, period, fastsattMerverdiavgift)."""
    root = mva_rules.melding_root(content)
    if root is None:
        return "", "skattleggingsperiodeToMaaneder", 0, "", Decimal(0)

    def text(path: str) -> str:
        return str(root.xpath(f"string({path})")).strip()

    period_element = root.xpath("//*[local-name()='skattleggingsperiode']/*[local-name()='periode']/*")
    name = etree.QName(period_element[0]).localname if period_element else "skattleggingsperiodeToMaaneder"
    year = text("//*[local-name()='skattleggingsperiode']/*[local-name()='aar']")
    amount = text("//*[local-name()='fastsattMerverdiavgift']") or "0"
    return (
        text("//*[local-name()='skattepliktig']/*[local-name()='organisasjonsnummer']"),
        name,
        int(year) if year.isdigit() else 0,
        period_element[0].text.strip() if period_element and period_element[0].text else "",
        Decimal(amount),
    )


def _payment(instance: Instance, content: bytes) -> bytes:
    orgnr, period_name, year, period, amount = _melding_facts(content)
    root = etree.Element(f"{{{PAYMENT_NS}}}betalingsinformasjon", nsmap={None: PAYMENT_NS})

    def add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        child = etree.SubElement(parent, f"{{{PAYMENT_NS}}}{name}")
        if text is not None:
            child.text = text
        return child

    add(root, "innsendingsreferanse", instance.id)
    add(add(root, "skattepliktig"), "organisasjonsnummer", orgnr or instance.orgnr)
    term = add(root, "skattleggingsperiode")
    add(add(term, "periode"), period_name, period)
    add(term, "aar", str(year))
    add(root, "kundeidentifikasjonsnummer", kid_for(instance.orgnr, year, period))
    add(root, "beloep", str(amount))
    add(root, "betaleTil", "Skatteetaten")
    add(root, "betalingsfrist", due_date(period, year).isoformat() if year else "")
    add(add(root, "betalesTilKonto"), "norskKontonummer", TAX_ACCOUNT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _receipt(instance: Instance, content: bytes) -> bytes:
    orgnr, _, year, period, amount = _melding_facts(content)
    return make_pdf(
        [
            "Kvittering for mottatt mva-melding",
            f"Organisasjonsnummer: {orgnr}",
            f"Termin: {period} {year}",
            f"Fastsatt merverdiavgift: {amount} kr",
            f"Referanse: {instance.id}",
            f"Mottatt: {_stamp(instance.ended or datetime.now(UTC))}",
        ],
        title="Kvittering mva-melding",
    )


async def control_feedback(request: Request) -> Response:
    """POST {delay}: seconds from the submission until Skatteetaten's feedback is there."""
    data = await _json(request)
    store = mva_store(request)
    store.feedback_delay = float(data.get("delay", FEEDBACK_DELAY))
    return JSONResponse({"delay": store.feedback_delay})


async def control_instances(request: Request) -> Response:
    """GET: the instances created, per organisation (tests count them)."""
    return JSONResponse(
        {
            "instances": [
                {"id": i.id, "orgnr": i.orgnr, "task": i.task, "data": [d.data_type for d in i.data]}
                for i in mva_store(request).instances.values()
            ]
        }
    )


def platform_routes() -> list[Route]:
    return [Route("/authentication/api/v1/exchange/id-porten", exchange)]


def validation_routes() -> list[Route]:
    return [Route("/grensesnittstoette/mva-melding/valider", validate, methods=["POST"])]


def app_routes() -> list[Route]:
    base = "/{org}/{app}/instances"
    one = base + "/{party}/{guid}"
    return [
        Route(base, instance_create, methods=["POST"]),
        Route(one, instance_get),
        Route(one + "/data", data_post, methods=["POST"]),
        Route(one + "/data/{data}", data_put, methods=["PUT"]),
        Route(one + "/data/{data}", data_get, methods=["GET"]),
        Route(one + "/process/next", process_next, methods=["PUT"]),
        Route(one + "/feedback/status", feedback_status),
    ]


def control_routes() -> list[Route]:
    from sandbox.altinn.idporten import control_expire

    return [
        Route("/feedback", control_feedback, methods=["POST"]),
        Route("/instances", control_instances),
        Route("/idporten/expire", control_expire, methods=["POST"]),
    ]
