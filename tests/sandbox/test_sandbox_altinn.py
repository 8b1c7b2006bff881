"""The sandbox's Maskinporten and Altinn data-system check refuse what the real ones refuse."""

from __future__ import annotations

import time

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from ledgerport.connectors.altinn import client
from ledgerport.connectors.altinn.conf import DEV_KEY, DEV_KEY_ID

ORGNR = "923609016"
SCOPE = "skatteetaten:skattekorttilarbeidsgiver"


def token_url(sandbox):
    return f"{sandbox.url}/altinn/maskinporten/token"


def grant(sandbox, assertion):
    return httpx.post(
        token_url(sandbox), data={"grant_type": client.JWT_BEARER, "assertion": assertion}, timeout=10
    )


def assertion(sandbox, key=None, **changes):
    now = int(time.time())
    claims = {
        "aud": sandbox.url + "/",
        "iss": "ledgerport-dev",
        "scope": SCOPE,
        "iat": now,
        "exp": now + 100,
        "jti": changes.pop("jti", f"j-{time.time_ns()}"),
        "authorization_details": client.systemuser_authorization(ORGNR),
    }
    claims.update(changes)
    signing = key or RSAKey.import_key(DEV_KEY.read_bytes())
    return jwt.encode({"alg": "RS256", "kid": DEV_KEY_ID}, claims, signing)


def test_a_correct_grant_gets_a_system_user_token(sandbox):
    token = client.systemuser_token(
        token_url=token_url(sandbox),
        client_id="ledgerport-dev",
        scope=SCOPE,
        orgnr=ORGNR,
        key_pem=DEV_KEY.read_bytes(),
        kid=DEV_KEY_ID,
    )
    assert token.access_token and token.systemuser_id and token.orgnr == ORGNR


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"aud": "https://maskinporten.no/"}, "invalid_grant"),
        ({"exp": int(time.time()) + 600}, "invalid_grant"),  # lives longer than 120 s
        ({"iat": int(time.time()) - 300, "exp": int(time.time()) - 200}, "invalid_grant"),  # expired
        ({"iss": "someone-else"}, "invalid_client"),
        ({"scope": "skatteetaten:everything"}, "invalid_scope"),
        (
            {"authorization_details": client.systemuser_authorization("999999999")},
            "invalid_authorization_details",
        ),
        ({"authorization_details": [{"type": "urn:altinn:other"}]}, "invalid_authorization_details"),
    ],
)
def test_a_wrong_grant_is_refused(sandbox, changes, error):
    response = grant(sandbox, assertion(sandbox, **changes))
    assert response.status_code == 400 and response.json()["error"] == error


def test_a_foreign_key_or_a_replay_is_refused(sandbox):
    stranger = RSAKey.generate_key(2048, private=True)
    assert grant(sandbox, assertion(sandbox, key=stranger)).json()["error"] == "invalid_grant"
    once = assertion(sandbox, jti="same")
    assert grant(sandbox, once).status_code == 200
    assert grant(sandbox, once).json()["error"] == "invalid_grant"


def test_the_data_system_check_tells_only_whether_the_id_exists(sandbox):
    found = client.datasystem_check(f"{sandbox.url}/altinn", "41975")
    assert found is not None and found.name
    assert client.datasystem_check(f"{sandbox.url}/altinn", "12345") is None


def test_skattekort_needs_a_system_user_token_for_the_employer(sandbox):
    url = f"{sandbox.url}/skatteetaten/api/forskudd/bestillSkattekort/"
    assert httpx.post(url, json={}, headers={"Authorization": "Bearer nope"}).status_code == 401
    token = client.systemuser_token(
        token_url=token_url(sandbox),
        client_id="ledgerport-dev",
        scope=SCOPE,
        orgnr=ORGNR,
        key_pem=DEV_KEY.read_bytes(),
        kid=DEV_KEY_ID,
    )
    other = {
        "inntektsaar": "2026",
        "bestillingstype": "HENT_ALLE_OPPGITTE",
        "forespoerselOmSkattekortTilArbeidsgiver": {
            "arbeidsgiver": [
                {
                    "arbeidsgiveridentifikator": {"organisasjonsnummer": "974760673"},
                    "arbeidstakeridentifikator": ["12838512311"],
                }
            ]
        },
    }
    response = httpx.post(url, json=other, headers={"Authorization": f"Bearer {token.access_token}"})
    assert response.status_code == 403 and response.json()["kode"] == "FOR_002"
    cards = client.skattekort_fetch(
        api_url=f"{sandbox.url}/skatteetaten",
        token=token.access_token,
        orgnr=ORGNR,
        income_year=2026,
        employees=["12838512311"],
        email="a@b.no",
        mobile="91234567",
        wait=0.05,
    )
    assert [c.result for c in cards] == ["skattekortopplysningerOK"]
