"""The pure BankID client against the sandbox over real HTTP, and the animated QR code."""

from __future__ import annotations

import socket

import pytest

from ledgerport.identity.bankid import BankIDClient, BankIDError, BankIDUnavailable, autostart_url, qr_content
from ledgerport.identity.bankid.qr import seconds_since

# BankID's RP guidelines' worked example (qrStartToken, qrStartSecret, t = 0, 1, 2).
TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
SECRET = "d28db9a7-4cde-429e-a983-359be676944c"


@pytest.mark.parametrize(
    ("seconds", "code"),
    [
        (0, "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"),
        (1, "949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"),
        (2, "a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3"),
    ],
)
def test_qr_content_matches_the_guidelines_example(seconds, code):
    assert qr_content(TOKEN, SECRET, seconds) == f"bankid.{TOKEN}.{seconds}.{code}"


def test_qr_seconds_and_autostart_link():
    assert seconds_since(100.0, 100.99) == 0
    assert seconds_since(100.0, 107.2) == 7
    assert seconds_since(100.0, 99.0) == 0
    with pytest.raises(ValueError):
        qr_content(TOKEN, SECRET, -1)
    assert autostart_url("7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6") == (
        "bankid:///?autostarttoken=7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6&redirect=null"
    )


@pytest.fixture
def bankid(sandbox):
    with BankIDClient(f"{sandbox.url}/bankid/rp/v6.0/") as client:
        yield client


def test_auth_collect_complete_against_the_sandbox(sandbox, bankid):
    order = bankid.auth(
        end_user_ip="192.0.2.7",
        user_visible_data="Logga in på **Ledgerport**",
        return_url="http://127.0.0.1:8000/account/login/bankid/?nonce=abc",
        return_risk=True,
    )
    seen = sandbox.client.get("/_control/bankid/orders").json()["orders"][0]
    assert seen["orderRef"] == order.order_ref
    assert seen["userVisibleData"] == "Logga in på **Ledgerport**"
    assert seen["returnUrl"].endswith("nonce=abc") and seen["returnRisk"] is True
    pending = bankid.collect(order.order_ref)
    assert (pending.status, pending.hint_code) == ("pending", "outstandingTransaction")
    sandbox.client.post(
        "/_control/bankid/act",
        json={"orderRef": order.order_ref, "action": "choose", "personalNumber": "191212121212"},
    )
    assert bankid.collect(order.order_ref).hint_code == "userSign"
    sandbox.client.post("/_control/bankid/act", json={"orderRef": order.order_ref, "action": "approve"})
    done = bankid.collect(order.order_ref)
    assert done.status == "complete"
    assert (done.personal_number, done.name, done.risk) == ("191212121212", "Tolvan Tolvansson", "low")


def test_sign_cancel_and_errors(sandbox, bankid):
    with pytest.raises(ValueError):
        bankid.sign(end_user_ip="192.0.2.7", user_visible_data="")
    order = bankid.sign(
        end_user_ip="192.0.2.7", user_visible_data="Attestera lönekörning", personal_number="191212121212"
    )
    with pytest.raises(BankIDError) as err:
        bankid.auth(end_user_ip="192.0.2.7", personal_number="191212121212")
    assert (err.value.error_code, err.value.status) == ("alreadyInProgress", 400)
    bankid.cancel(order.order_ref)
    with pytest.raises(BankIDError) as err:
        bankid.collect(order.order_ref)
    assert (err.value.error_code, err.value.details) == ("invalidParameters", "No such order")
    with pytest.raises(BankIDError) as err:
        bankid.auth(end_user_ip="not an address")
    assert err.value.error_code == "invalidParameters"
    sandbox.fail(1, provider="bankid", status=500)
    with pytest.raises(BankIDError) as err:
        bankid.auth(end_user_ip="192.0.2.7")
    assert (err.value.error_code, err.value.status) == ("internalError", 500)


def test_no_answer_is_unavailable(sandbox):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (
        BankIDClient(f"http://127.0.0.1:{port}/rp/v6.0", timeout=2) as client,
        pytest.raises(BankIDUnavailable),
    ):
        client.auth(end_user_ip="192.0.2.7")
    with BankIDClient(f"{sandbox.url}/health", timeout=2) as client, pytest.raises(BankIDUnavailable):
        client.collect("x")  # a 404 page that is not BankID's JSON
