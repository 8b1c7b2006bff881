"""The sandbox's a-melding API refuses what Skatteetaten's refuses (AMLD_*), files a delivery
once per idempotency key, and gives its feedback only when ready."""

from __future__ import annotations

import copy
import datetime
import uuid
from pathlib import Path

import httpx
import pytest

from ledgerport.amelding import build_leveranse, jsonio, read_csv
from ledgerport.connectors.altinn import client
from ledgerport.connectors.altinn.conf import DEV_KEY, DEV_KEY_ID

ORGNR = "923609016"
SUB_UNIT = "973587102"
CSV = Path(__file__).resolve().parents[1] / "amelding" / "files" / "fjordlys-2026-11.csv"


def token(sandbox, scope="skatteetaten:innrapporteringamelding", orgnr=ORGNR):
    return client.systemuser_token(
        token_url=f"{sandbox.url}/altinn/maskinporten/token",
        client_id="ledgerport-dev",
        scope=scope,
        orgnr=orgnr,
        key_pem=DEV_KEY.read_bytes(),
        kid=DEV_KEY_ID,
    ).access_token


def leveranse(message_id="m-1"):
    summary = read_csv(CSV.read_bytes(), accept_synthetic=True)
    return build_leveranse(
        summary, message_id=message_id, delivered_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    )


def post(sandbox, body, *, month="2026-11", orgnr=ORGNR, bearer=None, headers=None):
    sent = {"Authorization": f"Bearer {bearer or token(sandbox)}", "Content-Type": "application/json"}
    sent.update(headers or {})
    content = body if isinstance(body, bytes) else jsonio.dumps(body).encode()
    return httpx.post(
        f"{sandbox.url}/skatteetaten/amelding/v1/innsending/{month}/{orgnr}",
        content=content,
        headers=sent,
        timeout=10,
    )


def feedback(sandbox, shipment, bearer=None):
    return httpx.get(
        f"{sandbox.url}/skatteetaten/amelding/v1/tilbakemelding/{shipment}",
        headers={"Authorization": f"Bearer {bearer or token(sandbox)}"},
        timeout=10,
    )


def body(document=None, key=None):
    return {"idempotencyKey": key or str(uuid.uuid4()), **(document or leveranse())}


def test_a_delivery_is_received_and_its_feedback_comes_when_ready(sandbox):
    sandbox.control("altinn/amelding", feedback_delay=30)
    answer = post(sandbox, body())
    assert answer.status_code == 200, answer.text
    receipt = answer.json()
    assert set(receipt) == {"dialogId", "forsendelseId", "meldingsId"} and receipt["meldingsId"] == "m-1"
    waiting = feedback(sandbox, receipt["forsendelseId"])
    assert waiting.status_code == 404 and waiting.json()["kode"] == "AMLD_404"
    sandbox.advance_clock(31)
    ready = feedback(sandbox, receipt["forsendelseId"])
    assert ready.status_code == 200
    result = ready.json()
    assert result["mottakstatus"] == "mottatt" and result["avvik"] == []
    assert result["beregnetArbeidsgiveravgift"] == 14590 and result["beregnetForskuddstrekk"] == 31383


def test_the_same_key_files_once_and_another_body_is_409(sandbox):
    key = str(uuid.uuid4())
    first = post(sandbox, body(key=key)).json()
    again = post(sandbox, body(key=key))
    assert again.status_code == 200 and again.json() == first
    changed = post(sandbox, body(leveranse("m-2"), key=key))
    assert changed.status_code == 409 and changed.json()["kode"] == "AMLD_019"
    deliveries = httpx.get(f"{sandbox.url}/_control/altinn/amelding", timeout=10).json()["deliveries"]
    assert len(deliveries) == 1


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"headers": {"Content-Type": "application/xml"}}, 415, "AMLD_1030"),
        ({"headers": {"Accept": "application/xml"}}, 406, "AMLD_1047"),
        ({"month": "2026-10"}, 400, "AMLD_1052"),
    ],
)
def test_json_only_and_the_path_must_match(sandbox, kwargs, status, code):
    answer = post(sandbox, body(), **kwargs)
    assert (answer.status_code, answer.json()["kode"]) == (status, code)


def test_the_orgnr_in_the_path_and_body_must_match(sandbox):
    document = leveranse()
    document["leveranse"]["opplysningspliktig"]["norskIdentifikator"] = "974760673"
    answer = post(sandbox, body(document))
    assert (answer.status_code, answer.json()["kode"]) == (400, "AMLD_1051")


def test_a_sub_unit_cannot_report(sandbox):
    sandbox.control("altinn/systemusers", orgnr=SUB_UNIT)
    answer = post(sandbox, body(), orgnr=SUB_UNIT, bearer=token(sandbox, orgnr=SUB_UNIT))
    assert (answer.status_code, answer.json()["kode"]) == (400, "AMLD_1062")


def test_a_token_without_system_user_or_scope_is_refused(sandbox):
    without = _token_without_system_user(sandbox)
    answer = post(sandbox, body(), bearer=without)
    assert (answer.status_code, answer.json()["kode"]) == (403, "AMLD_1063")
    wrong_scope = post(sandbox, body(), bearer=token(sandbox, scope="skatteetaten:skattekorttilarbeidsgiver"))
    assert wrong_scope.status_code == 403
    assert post(sandbox, body(), bearer="nope").status_code == 401


def _token_without_system_user(sandbox):
    import time

    from joserfc import jwt
    from joserfc.jwk import RSAKey

    now = int(time.time())
    claims = {
        "aud": sandbox.url + "/",
        "iss": "ledgerport-dev",
        "scope": "skatteetaten:innrapporteringamelding",
        "iat": now,
        "exp": now + 100,
        "jti": uuid.uuid4().hex,
    }
    assertion = jwt.encode(
        {"alg": "RS256", "kid": DEV_KEY_ID}, claims, RSAKey.import_key(DEV_KEY.read_bytes())
    )
    answer = httpx.post(
        f"{sandbox.url}/altinn/maskinporten/token",
        data={"grant_type": client.JWT_BEARER, "assertion": assertion},
        timeout=10,
    )
    return answer.json()["access_token"]


def test_the_checks_answer_with_avvik(sandbox):
    sandbox.control("altinn/amelding", feedback_delay=0)
    document = copy.deepcopy(leveranse())
    person = document["leveranse"]["oppgave"]["virksomhet"][0]["inntektsmottaker"][0]
    person["norskIdentifikator"] = "12838512312"  # wrong check digit
    document["leveranse"]["oppgave"]["betalingsinformasjon"]["sumArbeidsgiveravgift"] = 1
    receipt = post(sandbox, body(document)).json()
    result = feedback(sandbox, receipt["forsendelseId"]).json()
    assert result["mottakstatus"] == "avvist"
    codes = {(a["kode"], a["alvorlighetsgrad"]) for a in result["avvik"]}
    assert ("AMLD_I001", "avvisning") in codes and ("AMLD_B001", "øyeblikkelig") in codes


def test_a_replacement_must_name_a_received_melding(sandbox):
    sandbox.control("altinn/amelding", feedback_delay=0)
    document = leveranse("m-9")
    document["leveranse"]["erstatterMeldingsId"] = "never-sent"
    receipt = post(sandbox, body(document)).json()
    assert feedback(sandbox, receipt["forsendelseId"]).json()["avvik"][0]["kode"] == "AMLD_E001"
    post(sandbox, body(leveranse("m-1")))
    document["leveranse"]["erstatterMeldingsId"] = "m-1"
    receipt = post(sandbox, body(document)).json()
    assert feedback(sandbox, receipt["forsendelseId"]).json()["mottakstatus"] == "mottatt"


def test_too_many_requests_are_429_with_retry_after(sandbox):
    sandbox.control("altinn/amelding", rate_limit=2)
    bearer = token(sandbox)
    answers = [feedback(sandbox, "x", bearer=bearer).status_code for _ in range(3)]
    assert answers[:2] == [404, 404]
    limited = feedback(sandbox, "x", bearer=bearer)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
