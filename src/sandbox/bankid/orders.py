"""BankID orders as the RP API and the test app see them.

An order's life, as a real BankID app drives it:
  pending/outstandingTransaction  created, no app has it yet
  pending/started                 the app opened it (QR scanned or autostart token), looking for an ID
  pending/userSign                a person (an ID) was chosen; the app asks for the security code
  complete                        approved: completionData with the person
  failed/userCancel               cancelled in the app
  failed/cancelled                a newer order for the same person replaced it
  failed/startFailed              no app opened it within `start_timeout` seconds
  failed/expiredTransaction       not completed within `ttl` seconds
The RP's /cancel removes the order (collect then answers invalidParameters "No such order").
A forced state (`/_control/bankid/hint`, the test app's "Simulera") overrides the walk, so every
message of the product can be shown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from typing import Any

from sandbox.bankid.persons import Person
from sandbox.core.state import SandboxState

START_TIMEOUT = 30.0  # seconds an order waits for an app to open it
ORDER_TTL = 180.0  # seconds an order lives in all
KEEP_FINISHED = 300.0  # seconds a finished order can still be collected
QR_MAX_AGE = 10  # a scanned QR code older than this many seconds is refused


@dataclass
class Order:
    kind: str  # "auth" | "sign"
    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str
    created: float
    end_user_ip: str
    requirement: dict[str, Any]
    user_visible_data: str = ""  # decoded text
    return_url: str = ""
    return_risk: bool = False
    status: str = "pending"
    hint_code: str = "outstandingTransaction"
    opened_at: float | None = None
    finished_at: float | None = None
    person: Person | None = None
    completion: dict[str, Any] = field(default_factory=dict)
    forced: bool = False

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"orderRef": self.order_ref, "status": self.status}
        if self.status == "complete":
            body["completionData"] = self.completion
        else:
            body["hintCode"] = self.hint_code
        return body

    @property
    def required_number(self) -> str:
        return str(self.requirement.get("personalNumber") or "")


@dataclass
class OrderBook:
    orders: dict[str, Order] = field(default_factory=dict)
    start_timeout: float = START_TIMEOUT
    ttl: float = ORDER_TTL

    def create(
        self, *, kind: str, now: float, end_user_ip: str, requirement: dict[str, Any], **extra: Any
    ) -> Order:
        order = Order(
            kind=kind,
            order_ref=str(uuid.uuid4()),
            auto_start_token=str(uuid.uuid4()),
            qr_start_token=str(uuid.uuid4()),
            qr_start_secret=str(uuid.uuid4()),
            created=now,
            end_user_ip=end_user_ip,
            requirement=requirement,
            **extra,
        )
        self.orders[order.order_ref] = order
        return order

    def in_progress_for(self, number: str, now: float) -> Order | None:
        for order in self.live(now):
            if order.status == "pending" and number and number in (order.required_number, _number(order)):
                return order
        return None

    def live(self, now: float) -> list[Order]:
        """Every order still known, after applying timeouts (finished ones linger a while)."""
        for ref, order in list(self.orders.items()):
            self.tick(order, now)
            if order.finished_at is not None and now - order.finished_at > KEEP_FINISHED:
                del self.orders[ref]
        return list(self.orders.values())

    def get(self, order_ref: str, now: float) -> Order | None:
        self.live(now)
        return self.orders.get(order_ref)

    def tick(self, order: Order, now: float) -> None:
        if order.status != "pending" or order.forced:
            return
        if order.opened_at is None and now - order.created > self.start_timeout:
            self.fail(order, "startFailed", now)
        elif now - order.created > self.ttl:
            self.fail(order, "expiredTransaction", now)

    def fail(self, order: Order, hint: str, now: float) -> None:
        order.status, order.hint_code, order.finished_at = "failed", hint, now

    def open(self, order: Order, now: float) -> None:
        """An app received the order (QR scanned / autostart token used)."""
        if order.status == "pending" and order.opened_at is None:
            order.opened_at = now
            order.hint_code = "started"

    def choose(self, order: Order, person: Person, now: float) -> None:
        """The user picked an ID in the app: now the app asks for the security code."""
        if order.status != "pending":
            return
        if order.required_number and order.required_number != person.personal_number:
            self.fail(order, "userMismatch", now)
            return
        # A person has one order at a time: an older pending one of theirs is cancelled.
        for other in self.live(now):
            if other is not order and other.status == "pending" and _number(other) == person.personal_number:
                self.fail(other, "cancelled", now)
        order.person = person
        order.hint_code = "userSign"

    def approve(self, order: Order, now: float) -> None:
        person = order.person
        if order.status != "pending" or person is None:
            return
        order.status, order.finished_at = "complete", now
        order.completion = _completion(order, person, now)

    def find_by_qr(self, content: str, now: float) -> tuple[Order | None, str]:
        """The order a scanned QR code belongs to, or why it was refused."""
        parts = content.strip().split(".")
        if len(parts) != 4 or parts[0] != "bankid" or not parts[2].isdigit():
            return None, "Det här är ingen BankID-QR-kod."
        token, seconds, code = parts[1], int(parts[2]), parts[3]
        order = next((o for o in self.live(now) if o.qr_start_token == token), None)
        if order is None:
            return None, "QR-koden hör inte till någon pågående beställning."
        expected = hmac.new(order.qr_start_secret.encode(), str(seconds).encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, code):
            return None, "QR-kodens kontrollsumma stämmer inte (qrAuthCode)."
        age = (now - order.created) - seconds
        if age < -1 or age > QR_MAX_AGE:
            return (
                None,
                f"QR-koden är för gammal ({seconds} s in i beställningen, nu {now - order.created:.0f} s).",
            )
        return order, ""


def _number(order: Order) -> str:
    return order.person.personal_number if order.person else ""


def _completion(order: Order, person: Person, now: float) -> dict[str, Any]:
    signature = (
        f'<?xml version="1.0" encoding="UTF-8"?><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">'
        f"<Object><bankIdSignedData><usrVisibleData>{order.user_visible_data}</usrVisibleData>"
        f"<srvInfo><nonce>{order.order_ref}</nonce></srvInfo></bankIdSignedData></Object>"
        f"<!-- sandbox: not a real signature --></Signature>"
    )
    data: dict[str, Any] = {
        "user": {
            "personalNumber": person.personal_number,
            "name": person.name,
            "givenName": person.given_name,
            "surname": person.surname,
        },
        "device": {
            "ipAddress": order.end_user_ip,
            "uhi": base64.b64encode(hashlib.sha256(person.personal_number.encode()).digest()[:20]).decode(),
        },
        "bankIdIssueDate": "2024-01-15",
        "signature": base64.b64encode(signature.encode()).decode(),
        "ocspResponse": base64.b64encode(b"sandbox OCSP response " + order.order_ref.encode()).decode(),
    }
    if order.requirement.get("mrtd"):
        data["stepUp"] = {"mrtd": True}
    if order.return_risk:
        data["risk"] = "low"
    return data


def book(state: SandboxState) -> OrderBook:
    store = state.stores.get("bankid")
    if not isinstance(store, OrderBook):
        store = state.stores["bankid"] = OrderBook()
    return store
