"""The sandbox's ID-porten, Altinn token exchange, validation service and the mva-melding app
refuse what the real ones refuse and answer in their shapes."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from lxml import etree

from sandbox.altinn.mva import due_date, kid_for, luhn_digit

SPECS = Path(__file__).resolve().parents[2] / "../shared/specs/no-mva-melding"
XSD = SPECS / "xsd"
REDIRECT = "http://127.0.0.1:9/cb"
CLIENT = ("ledgerport-dev", "idporten-dev-secret")
SCOPES = "openid skatteetaten:mvameldingvalidering altinn:instances.read altinn:instances.write"
SIGNER = "15838510075"
APP = "/altinn/apps/skd/mva-melding-innsending-v1/instances"


def authorize(api: httpx.Client, helpers, **changes) -> httpx.Response:
    verifier, challenge = helpers.pkce_pair()
    params = {
        "client_id": "ledgerport-dev",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": SCOPES,
        "state": "s1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **changes,
    }
    response = api.get("/idporten/authorize", params={k: v for k, v in params.items() if v is not None})
    response.verifier = verifier  # type: ignore[attr-defined]
    return response


def login(api: httpx.Client, helpers, pid: str = SIGNER, scopes: str = SCOPES) -> dict:
    page = authorize(api, helpers, scope=scopes)
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text).group(1)
    chosen = api.post("/idporten/login", data={"request_id": request_id, "pid": pid})
    assert chosen.status_code == 303, chosen.text
    code = re.search(r"code=([^&]+)", chosen.headers["location"]).group(1)
    tokens = api.post(
        "/idporten/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": page.verifier,
        },
        auth=CLIENT,
    )
    assert tokens.status_code == 200, tokens.text
    return tokens.json()


def altinn(api: httpx.Client, access_token: str) -> dict[str, str]:
    exchanged = api.get(
        "/altinn/platform/authentication/api/v1/exchange/id-porten",
        headers={"Authorization": f"Bearer {access_token}"},
    )
    assert exchanged.status_code == 200, exchanged.text
    return {"Authorization": f"Bearer {exchanged.text}"}


def melding(orgnr: str = "923609016", name: str = "mvakode3.xml") -> bytes:
    xml = (SPECS / "examples/melding" / name).read_bytes()
    return re.sub(rb"(<skattepliktig>\s*<organisasjonsnummer>)\d+", rb"\g<1>" + orgnr.encode(), xml)


def validate(api: httpx.Client, token: str, body: bytes) -> etree._Element:
    response = api.post(
        "/skatteetaten/api/mva/grensesnittstoette/mva-melding/valider",
        content=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"},
    )
    assert response.status_code == 200, response.text
    result = etree.fromstring(response.content)
    schema = etree.XMLSchema(
        etree.parse(str(XSD / "no.skatteetaten.fastsetting.avgift.mva.valideringsresultat.v1.xsd"))
    )
    assert schema.validate(result), schema.error_log
    return result


def codes(result: etree._Element) -> set[str]:
    return set(result.xpath("//*[local-name()='avvikKode']/text()"))


@pytest.fixture
def tokens(sandbox, api, helpers):
    return login(api, helpers)


def test_pkce_is_required(sandbox, api, helpers):
    refused = authorize(api, helpers, code_challenge=None, code_challenge_method=None)
    assert refused.status_code == 302 and "error=invalid_request" in refused.headers["location"]
    assert authorize(api, helpers, redirect_uri="https://evil.example/cb").status_code == 400


def test_a_wrong_verifier_and_a_reused_code_are_refused(sandbox, api, helpers):
    page = authorize(api, helpers)
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text).group(1)
    chosen = api.post("/idporten/login", data={"request_id": request_id, "pid": SIGNER})
    code = re.search(r"code=([^&]+)", chosen.headers["location"]).group(1)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": "x" * 50,
    }
    assert api.post("/idporten/token", data=data, auth=CLIENT).json()["error"] == "invalid_grant"
    data["code_verifier"] = page.verifier
    assert api.post("/idporten/token", data=data, auth=CLIENT).json()["error"] == "invalid_grant"  # used


def test_the_login_page_refuses_a_wrong_number(sandbox, api, helpers):
    page = authorize(api, helpers)
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text).group(1)
    wrong = api.post("/idporten/login", data={"request_id": request_id, "pid_typed": "15838510076"})
    assert wrong.status_code == 400 and "gyldig fødselsnummer" in wrong.text
    typed = api.post("/idporten/login", data={"request_id": request_id, "pid_typed": "158385 10075"})
    assert typed.status_code == 303


def test_tokens_live_120_seconds_and_refresh_tokens_once(sandbox, api, tokens):
    assert tokens["expires_in"] == 120
    sandbox.advance_clock(121)
    exchanged = api.get(
        "/altinn/platform/authentication/api/v1/exchange/id-porten",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert exchanged.status_code == 401
    data = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    fresh = api.post("/idporten/token", data=data, auth=CLIENT)
    assert fresh.status_code == 200 and fresh.json()["refresh_token"] != tokens["refresh_token"]
    assert api.post("/idporten/token", data=data, auth=CLIENT).json()["error"] == "invalid_grant"


def test_the_validation_service_checks_token_scope_and_media_type(sandbox, api, helpers, tokens):
    url = "/skatteetaten/api/mva/grensesnittstoette/mva-melding/valider"
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.post(url, content=melding(), headers={"Content-Type": "application/xml"}).status_code == 401
    assert (
        api.post(url, content=melding(), headers={**bearer, "Content-Type": "text/plain"}).status_code == 415
    )
    narrow = login(api, helpers, scopes="openid altinn:instances.read")
    assert (
        api.post(
            url,
            content=melding(),
            headers={"Authorization": f"Bearer {narrow['access_token']}", "Content-Type": "application/xml"},
        ).status_code
        == 403
    )


def test_the_rules_answer_with_their_codes(sandbox, api, tokens):
    token = tokens["access_token"]
    assert validate(api, token, melding()).findtext("{*}avvikVedMeldingslevering") == "ingen avvik"
    kroner = melding().replace(
        b"<merverdiavgift>5000</merverdiavgift>", b"<merverdiavgift>5000.40</merverdiavgift>"
    )
    result = validate(api, token, kroner)
    assert {"R082", "R018"} <= codes(result)
    assert result.findtext("{*}avvikVedMeldingslevering") == "ugyldig skattemelding"
    assert codes(
        validate(api, token, melding().replace(b"<mvaKode>3</mvaKode>", b"<mvaKode>7</mvaKode>"))
    ) == {"R053"}
    off = melding().replace(b"<grunnlag>20000</grunnlag>", b"<grunnlag>30000</grunnlag>")
    assert codes(validate(api, token, off)) == {"R019"}
    broken = validate(
        api, token, melding().replace(b"<meldingskategori>alminnelig", b"<meldingskategori>annen")
    )
    assert codes(broken) == {"XSD"} and broken.findtext("{*}avvik/{*}xmlLinjenummer")


def _instance(api: httpx.Client, headers: dict[str, str]) -> dict:
    created = api.post(APP, json={"instanceOwner": {"organisationNumber": "923609016"}}, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()


def _envelope(orgnr: str = "923609016") -> bytes:
    xml = (SPECS / "examples/feedback/konvolutt.xml").read_bytes()
    return xml.replace(b"911158612", orgnr.encode())


def test_the_instance_flow_to_the_feedback(sandbox, api, tokens):
    headers = altinn(api, tokens["access_token"])
    instance = _instance(api, headers)
    assert (
        instance["data"][0]["dataType"] == "no.skatteetaten.fastsetting.avgift.mva.mvameldinginnsending.v1.0"
    )
    base = instance["selfLinks"]["apps"]
    assert api.put(f"{base}/process/next", headers=headers).status_code == 409  # nothing uploaded
    put = api.put(
        instance["data"][0]["selfLinks"]["apps"],
        content=_envelope(),
        headers={**headers, "Content-Type": "application/xml"},
    )
    assert put.status_code == 200, put.text
    upload = {
        **headers,
        "Content-Type": "application/xml",
        "Content-Disposition": "attachment; filename=mva.xml",
    }
    assert api.post(f"{base}/data?dataType=mvamelding", content=melding(), headers=upload).status_code == 201
    assert api.post(f"{base}/data?dataType=mvamelding", content=melding(), headers=upload).status_code == 409
    pdf = {
        **headers,
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename=vedlegg.pdf",
    }
    assert (
        api.post(f"{base}/data?dataType=binaerVedlegg", content=b"%PDF-1.4", headers=pdf).status_code == 201
    )
    assert (
        api.post(f"{base}/data?dataType=binaerVedlegg", content=b"%PDF-1.4", headers=pdf).status_code == 409
    )
    assert api.post(f"{base}/data?dataType=noe", content=b"x", headers=pdf).status_code == 400
    sandbox.client.post("/_control/altinn/mva/feedback", json={"delay": 5})
    assert api.put(f"{base}/process/next", headers=headers).json()["currentTask"]["name"] == "Bekreftelse"
    assert api.put(f"{base}/process/next", headers=headers).json()["currentTask"]["name"] == "Tilbakemelding"
    assert api.post(f"{base}/data?dataType=binaerVedlegg", content=b"x", headers=pdf).status_code == 409
    assert api.get(f"{base}/feedback/status", headers=headers).json() == {"isFeedbackProvided": False}
    sandbox.advance_clock(5)
    assert api.get(f"{base}/feedback/status", headers=headers).json() == {"isFeedbackProvided": True}
    done = api.get(base, headers=headers).json()
    assert done["process"]["currentTask"] is None and done["status"]["substatus"]["label"] == "Mottatt"
    files = {d["dataType"]: d for d in done["data"]}
    payment = etree.fromstring(
        api.get(files["betalingsinformasjon"]["selfLinks"]["apps"], headers=headers).content
    )
    schema = etree.XMLSchema(
        etree.parse(
            str(
                XSD
                / "no.skatteetaten.fastsetting.avgift.mva.skattemeldingformerverdiavgift.betalingsinformasjon.v1.0.xsd"
            )
        )
    )
    assert schema.validate(payment), schema.error_log
    kid = payment.findtext("{*}kundeidentifikasjonsnummer")
    assert luhn_digit(kid[:-1]) == int(kid[-1])
    assert payment.findtext("{*}beloep") == "5000" and payment.findtext("{*}betalingsfrist") == "2021-06-10"
    assert api.get(files["kvittering"]["selfLinks"]["apps"], headers=headers).content.startswith(b"%PDF")


def test_roles_decide_who_may_create_and_complete(sandbox, api, helpers):
    nobody = altinn(api, login(api, helpers, pid="27917410033")["access_token"])
    refused = api.post(APP, json={"instanceOwner": {"organisationNumber": "923609016"}}, headers=nobody)
    assert refused.status_code == 403 and refused.content == b""
    filler = altinn(api, login(api, helpers, pid="02899010070")["access_token"])
    instance = _instance(api, filler)
    base = instance["selfLinks"]["apps"]
    api.put(
        instance["data"][0]["selfLinks"]["apps"],
        content=_envelope(),
        headers={**filler, "Content-Type": "application/xml"},
    )
    upload = {
        **filler,
        "Content-Type": "application/xml",
        "Content-Disposition": "attachment; filename=m.xml",
    }
    api.post(f"{base}/data?dataType=mvamelding", content=melding(), headers=upload)
    assert api.put(f"{base}/process/next", headers=filler).status_code == 200
    assert api.put(f"{base}/process/next", headers=filler).status_code == 403


def test_another_organisations_melding_is_not_confirmed(sandbox, api, tokens):
    headers = altinn(api, tokens["access_token"])
    instance = _instance(api, headers)
    base = instance["selfLinks"]["apps"]
    api.put(
        instance["data"][0]["selfLinks"]["apps"],
        content=_envelope(),
        headers={**headers, "Content-Type": "application/xml"},
    )
    upload = {
        **headers,
        "Content-Type": "application/xml",
        "Content-Disposition": "attachment; filename=m.xml",
    }
    api.post(f"{base}/data?dataType=mvamelding", content=melding("911158612"), headers=upload)
    issues = api.put(f"{base}/process/next", headers=headers)
    assert issues.status_code == 409 and issues.json()[0]["code"] == "WrongOrganisation"


def test_requests_beyond_the_limit_get_429_with_retry_after(sandbox, api, tokens):
    sandbox.ratelimit("altinn", limit=2, window=10)
    headers = altinn(api, tokens["access_token"])  # the exchange counts as one
    statuses = [
        api.post(APP, json={"instanceOwner": {"organisationNumber": "923609016"}}, headers=headers)
        for _ in range(3)
    ]
    assert [r.status_code for r in statuses][-1] == 429
    assert int(statuses[-1].headers["Retry-After"]) >= 1


@pytest.mark.parametrize(
    ("period", "year", "due"),
    [
        ("januar-februar", 2026, "2026-04-10"),
        ("mai-juni", 2026, "2026-08-31"),
        ("november-desember", 2026, "2027-02-10"),
    ],
)
def test_due_dates_of_the_terms(period, year, due):
    assert due_date(period, year).isoformat() == due


def test_kid_has_a_mod10_check_digit():
    kid = kid_for("923609016", 2026, "mars-april")
    total = sum(
        (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
        for i, d in enumerate(int(c) for c in reversed(kid))
    )
    assert total % 10 == 0
