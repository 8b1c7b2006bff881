"""The BankID RP API v6.0 simulator and its test app, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid

import pytest
from stdnum.se import personnummer

from sandbox.bankid.persons import PERSONS

RP = "/bankid/rp/v6.0"
TOLVAN = "191212121212"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def start(api, kind="auth", **body):
    body.setdefault("endUserIp", "192.0.2.10")
    r = api.post(f"{RP}/{kind}", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def collect(api, ref):
    r = api.post(f"{RP}/collect", json={"orderRef": ref})
    assert r.status_code == 200, r.text
    return r.json()


def act(sandbox, **body):
    r = sandbox.client.post("/_control/bankid/act", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def qr(order, seconds):
    code = hmac.new(order["qrStartSecret"].encode(), str(seconds).encode(), hashlib.sha256).hexdigest()
    return f"bankid.{order['qrStartToken']}.{seconds}.{code}"


def test_test_persons_have_valid_personnummer():
    assert all(personnummer.is_valid(p.personal_number) for p in PERSONS)
    assert PERSONS[0].name == "Tolvan Tolvansson" and PERSONS[0].personal_number == TOLVAN


def test_auth_walks_the_hint_codes_a_real_app_produces(sandbox, api):
    order = start(api, userVisibleData=b64("Logga in på Ledgerport"), returnRisk=True)
    assert set(order) == {"orderRef", "autoStartToken", "qrStartToken", "qrStartSecret"}
    for value in order.values():
        uuid.UUID(value)
    ref = order["orderRef"]
    assert collect(api, ref) == {"orderRef": ref, "status": "pending", "hintCode": "outstandingTransaction"}
    act(sandbox, orderRef=ref, action="open")
    assert collect(api, ref)["hintCode"] == "started"
    act(sandbox, orderRef=ref, action="choose", personalNumber=TOLVAN)
    assert collect(api, ref)["hintCode"] == "userSign"
    act(sandbox, orderRef=ref, action="approve")
    done = collect(api, ref)
    assert done["status"] == "complete" and "hintCode" not in done
    data = done["completionData"]
    assert data["user"] == {
        "personalNumber": TOLVAN,
        "name": "Tolvan Tolvansson",
        "givenName": "Tolvan",
        "surname": "Tolvansson",
    }
    assert data["device"]["ipAddress"] == "192.0.2.10"
    assert data["risk"] == "low"
    assert "Logga in på Ledgerport" in base64.b64decode(data["signature"]).decode()
    assert base64.b64decode(data["ocspResponse"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["bankIdIssueDate"])


def test_user_cancel_and_rp_cancel(sandbox, api):
    ref = start(api)["orderRef"]
    act(sandbox, orderRef=ref, action="cancel")
    assert collect(api, ref) == {"orderRef": ref, "status": "failed", "hintCode": "userCancel"}
    other = start(api)["orderRef"]
    assert api.post(f"{RP}/cancel", json={"orderRef": other}).json() == {}
    r = api.post(f"{RP}/collect", json={"orderRef": other})
    assert r.status_code == 400
    assert r.json() == {"errorCode": "invalidParameters", "details": "No such order"}


def test_error_bodies(sandbox, api):
    r = api.get(f"{RP}/auth")
    assert (r.status_code, r.json()["errorCode"]) == (405, "methodNotAllowed")
    r = api.post(f"{RP}/auth", content=b"{}", headers={"Content-Type": "text/plain"})
    assert (r.status_code, r.json()["errorCode"]) == (415, "unsupportedMediaType")
    r = api.post(f"{RP}/auth", content=b"{nope", headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (400, {"errorCode": "invalidParameters", "details": "Invalid JSON"})
    r = api.post(f"{RP}/auth", json={})
    assert r.json() == {"errorCode": "invalidParameters", "details": "Incorrect endUserIp"}
    r = api.post(f"{RP}/auth", json={"endUserIp": "1.2.3.4", "requirement": {"personalNumber": "1912"}})
    assert r.json()["details"] == "Incorrect personalNumber"
    r = api.post(f"{RP}/sign", json={"endUserIp": "1.2.3.4"})
    assert r.json() == {"errorCode": "invalidParameters", "details": "Missing userVisibleData"}
    r = api.post(f"{RP}/auth", json={"endUserIp": "1.2.3.4", "userVisibleData": "not base64!"})
    assert r.json()["details"] == "Incorrect userVisibleData"
    r = api.post(f"{RP}/auth", json={"endUserIp": "1.2.3.4", "returnUrl": "https://x/" + "a" * 600})
    assert r.json()["details"] == "Incorrect returnUrl"
    r = api.post(f"{RP}/nothing", json={})
    assert (r.status_code, r.json()["errorCode"]) == (404, "notFound")
    start(api, requirement={"personalNumber": TOLVAN})
    r = api.post(f"{RP}/auth", json={"endUserIp": "1.2.3.4", "requirement": {"personalNumber": TOLVAN}})
    assert (r.status_code, r.json()["errorCode"]) == (400, "alreadyInProgress")
    sandbox.fail(1, provider="bankid", status=503)
    r = api.post(f"{RP}/auth", json={"endUserIp": "1.2.3.4"})
    assert (r.status_code, r.json()["errorCode"]) == (503, "maintenance")


def test_orders_expire(sandbox, api):
    unopened = start(api)["orderRef"]
    opened = start(api)["orderRef"]
    act(sandbox, orderRef=opened, action="open")
    sandbox.advance_clock(31)
    assert collect(api, unopened)["hintCode"] == "startFailed"
    assert collect(api, opened)["status"] == "pending"
    sandbox.advance_clock(150)
    assert collect(api, opened) == {"orderRef": opened, "status": "failed", "hintCode": "expiredTransaction"}


def test_a_newer_order_of_the_same_person_cancels_the_older(sandbox, api):
    first = start(api)["orderRef"]
    act(sandbox, orderRef=first, action="choose", personalNumber=TOLVAN)
    second = start(api)["orderRef"]
    act(sandbox, orderRef=second, action="choose", personalNumber=TOLVAN)
    assert collect(api, first)["hintCode"] == "cancelled"
    assert collect(api, second)["hintCode"] == "userSign"


def test_required_personal_number_must_match(sandbox, api):
    ref = start(api, requirement={"personalNumber": TOLVAN})["orderRef"]
    act(sandbox, orderRef=ref, action="choose", personalNumber="198501012382")
    assert collect(api, ref) == {"orderRef": ref, "status": "failed", "hintCode": "userMismatch"}


def test_forced_hint_codes(sandbox, api):
    ref = start(api)["orderRef"]
    sandbox.client.post("/_control/bankid/hint", json={"status": "pending", "hintCode": "noClient"})
    assert collect(api, ref)["hintCode"] == "noClient"
    sandbox.client.post(
        "/_control/bankid/hint", json={"orderRef": ref, "status": "failed", "hintCode": "certificateErr"}
    )
    assert collect(api, ref) == {"orderRef": ref, "status": "failed", "hintCode": "certificateErr"}


def test_test_app_reads_the_animated_qr_code_and_approves(sandbox, api):
    order = start(api)
    ref = order["orderRef"]
    index = api.get("/bankid/app")
    assert ref in index.text and "outstandingTransaction" in index.text
    wrong = qr(order, 0)[:-4] + "0000"
    r = api.post("/bankid/app/scan", data={"qr": wrong})
    assert r.status_code == 400 and "qrAuthCode" in r.text
    r = api.post("/bankid/app/scan", data={"qr": "bankid.x.0"})
    assert r.status_code == 400 and "ingen BankID-QR-kod" in r.text
    sandbox.advance_clock(15)
    r = api.post("/bankid/app/scan", data={"qr": qr(order, 0)})
    assert r.status_code == 400 and "för gammal" in r.text
    r = api.post("/bankid/app/scan", data={"qr": qr(order, 15)})
    assert r.status_code == 303 and r.headers["location"] == f"/bankid/app/orders/{ref}"
    assert collect(api, ref)["hintCode"] == "started"
    page = api.get(r.headers["location"])
    assert "Tolvan Tolvansson" in page.text
    api.post(f"/bankid/app/orders/{ref}", data={"action": "choose", "person": TOLVAN})
    assert collect(api, ref)["hintCode"] == "userSign"
    api.post(f"/bankid/app/orders/{ref}", data={"action": "approve"})
    assert collect(api, ref)["status"] == "complete"


@pytest.mark.parametrize("action", ["cancel", "simulate"])
def test_test_app_opened_by_the_autostart_token(sandbox, api, action):
    order = start(api)
    ref = order["orderRef"]
    r = api.get("/bankid/app", params={"autostarttoken": order["autoStartToken"]})
    assert r.status_code == 303 and r.headers["location"].endswith(ref)
    assert collect(api, ref)["hintCode"] == "started"
    data = {"action": action, "hint": "failed:startFailed"}
    api.post(f"/bankid/app/orders/{ref}", data=data)
    expected = "userCancel" if action == "cancel" else "startFailed"
    assert collect(api, ref) == {"orderRef": ref, "status": "failed", "hintCode": expected}
    assert api.get("/bankid/app", params={"autostarttoken": str(uuid.uuid4())}).status_code == 404
