"""BankID login through the real views against the sandbox's RP simulator (real HTTP)."""

from __future__ import annotations

import hashlib
import hmac
import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from ledgerport.identity import services
from ledgerport.identity.models import User

TOLVAN = "191212121212"
UNKNOWN = "198501012382"
START = reverse("identity:bankid_start")
COLLECT = reverse("identity:bankid_collect")
QR = reverse("identity:bankid_qr")

# Every hintCode (and an unknown one of each kind) with the Swedish message the person sees.
PENDING_SV = {
    "outstandingTransaction": "Starta BankID-appen och läs av QR-koden, eller öppna BankID på den här enheten.",
    "noClient": "Starta BankID-appen.",
    "started": "Söker efter BankID, det kan ta en liten stund…",
    "userSign": "Skriv in din säkerhetskod i BankID-appen och välj Identifiera.",
    "userMrtd": "Fotografera och läs av din ID-handling med BankID-appen.",
    "userCallConfirm": "Bekräfta samtalet i BankID-appen.",
    "someFuturePendingCode": "Identifiering pågår.",
}
FAILED_SV = {
    "expiredTransaction": "BankID-appen svarar inte. Kontrollera att den är startad",
    "certificateErr": "Det BankID du försöker använda är för gammalt eller spärrat.",
    "userCancel": "Åtgärden avbruten.",
    "cancelled": "Åtgärden avbruten. Försök igen.",
    "startFailed": "Det gick inte att starta BankID-appen eller läsa av QR-koden i tid.",
    "userDeclinedCall": "Samtalet avböjdes i BankID-appen.",
    "notSupportedByUserApp": "Din BankID-app stöder inte det här.",
    "transactionRiskBlocked": "BankID stoppade inloggningen av säkerhetsskäl.",
    "userMismatch": "Det BankID som användes tillhör en annan person än den som ska logga in.",
    "someFutureFailedCode": "Okänt fel. Försök igen.",
}


@pytest.fixture
def bankid(settings, sandbox):
    settings.BANKID_API_URL = f"{sandbox.url}/bankid/rp/v6.0"
    return sandbox


@pytest.fixture
def tolvan(db):
    user = User.objects.create_user(email="tolvan@exempel.se", full_name="Tolvan Tolvansson")
    return services.user_set_personnummer(user=user, number="19121212-1212")


def orders(sandbox):
    return sandbox.client.get("/_control/bankid/orders").json()["orders"]


def act(sandbox, **body):
    response = sandbox.client.post("/_control/bankid/act", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def collect(client):
    return client.post(COLLECT, headers={"HX-Request": "true"})


def message(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_login_via_qr_and_approval(client, bankid, tolvan):
    response = client.post(START)
    assert response.status_code == 302 and response["Location"] == reverse("identity:bankid_wait")
    [order] = orders(bankid)
    assert order["endUserIp"] == "127.0.0.1" and order["returnRisk"] is True
    assert order["userVisibleData"] == "Logga in på Ledgerport"
    page = client.get(response["Location"]).content.decode()
    assert f'href="bankid:///?autostarttoken={order["autoStartToken"]}&amp;redirect=null"' in page
    assert "<svg" in page
    qr = re.search(r'data-qr="(bankid\.[^"]+)"', page).group(1)
    _, token, seconds, code = qr.split(".")
    assert token == order["qrStartToken"]
    # The sandbox's test app checks the code with the secret, which never reached the page.
    scanned = bankid.client.post("/bankid/app/scan", data={"qr": qr})
    assert scanned.status_code == 303, scanned.text
    assert re.fullmatch(r"[0-9a-f]{64}", code) and int(seconds) >= 0
    assert "qrStartSecret" not in page
    assert "Söker efter BankID" in message(collect(client))
    act(bankid, orderRef=order["orderRef"], action="choose", personalNumber=TOLVAN)
    asked = bankid.stats()["bankid"]["api:collect"]
    client.post(COLLECT)  # within a second of the last collect: answered without asking BankID
    assert bankid.stats()["bankid"]["api:collect"] == asked
    before = client.session.session_key
    time.sleep(1.05)
    assert PENDING_SV["userSign"] in message(collect(client))
    act(bankid, orderRef=order["orderRef"], action="approve")
    time.sleep(1.05)
    done = collect(client)
    assert done.status_code == 200 and done["HX-Redirect"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(tolvan.pk)
    assert client.session.session_key != before
    assert client.get(QR).status_code == 286  # the order is gone with the login


def test_every_hint_code_has_a_clear_swedish_message(bankid, db):
    for hint, text in PENDING_SV.items():
        client = Client()
        client.post(START)
        bankid.client.post("/_control/bankid/hint", json={"status": "pending", "hintCode": hint})
        response = collect(client)
        assert response.status_code == 200 and text in message(response), hint
    for hint, text in FAILED_SV.items():
        client = Client()  # a session starts ten orders in ten minutes at most
        client.post(START)
        bankid.client.post("/_control/bankid/hint", json={"status": "failed", "hintCode": hint})
        response = collect(client)
        assert response.status_code == 286 and text in message(response), hint
        assert "Försök igen" in message(response)  # the retry button


def test_an_unknown_personnummer_is_told_so_and_not_logged_in(client, bankid, tolvan):
    client.post(START)
    act(bankid, action="choose", personalNumber=UNKNOWN)
    act(bankid, action="approve")
    response = collect(client)
    assert response.status_code == 286
    assert "Det finns inget konto för det här BankID:t." in message(response)
    assert "_auth_user_id" not in client.session


def test_cancel_cancels_at_bankid(client, bankid, db):
    client.post(START)
    assert len(orders(bankid)) == 1
    response = client.post(reverse("identity:bankid_cancel"), follow=True)
    assert "Inloggningen med BankID avbröts." in message(response)
    assert orders(bankid) == []
    assert client.get(reverse("identity:bankid_wait")).status_code == 302
    assert collect(client).status_code == 286


def test_a_new_start_replaces_the_sessions_order_and_starts_are_limited(client, bankid, db):
    client.post(START)
    client.post(START)
    assert len(orders(bankid)) == 1
    for _ in range(8):
        client.post(START)
    refused = client.post(START, follow=True)
    assert "För många BankID-försök på kort tid." in message(refused)


def test_bankid_errors_are_messages_not_500s(client, bankid, db):
    bankid.fail(1, provider="bankid", status=503)
    response = client.post(START, follow=True)
    assert "Internt tekniskt fel. Försök igen." in message(response)
    client.post(START)
    bankid.fail(1, provider="bankid", status=500)
    response = collect(client)
    assert response.status_code == 200 and "Internt tekniskt fel" in message(response)  # keeps polling


def test_the_qr_code_is_the_specs_hmac_of_the_seconds(client, bankid, db):
    client.post(START)
    content = re.search(r'data-qr="([^"]+)"', client.get(QR).content.decode()).group(1)
    _, token, seconds, code = content.split(".")
    assert token == orders(bankid)[0]["qrStartToken"]
    # The secret is only in the sandbox and the session: recompute from the session's copy.
    order = client.session["bankid_order"]
    expected = hmac.new(order["qr_secret"].encode(), seconds.encode(), hashlib.sha256).hexdigest()
    assert code == expected
