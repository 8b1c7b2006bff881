"""BankID login: one order per browser session, kept server-side in the session.

The session holds the orderRef and the QR secret (never sent to the browser: the QR is drawn
on the server), so only the browser that started an order can collect it. The session key is
rotated by `login()` when the order completes. Nothing here logs or stores the personnummer:
the user is found by its keyed digest.
"""

from __future__ import annotations

import logging
import time

from django.http import HttpRequest
from django.utils.translation import gettext

from . import bankid_messages as texts
from . import personnummer
from .bankid.client import COMPLETE, FAILED
from .bankid_orders import Progress, SessionOrders, qr_text
from .logins import BANKID, login_as
from .selectors import user_by_personnummer
from .throttling import client_ip

logger = logging.getLogger(__name__)

ORDER_KEY = "bankid_order"
ORDERS = SessionOrders(ORDER_KEY, "auth")
# An order started to prove who someone is (accepting an invitation), not to log in: on
# completion the session holds the person's digest and ciphertext for a few minutes.
VERIFY = "verify"
VERIFIED_KEY = "bankid_verified"
VERIFIED_SECONDS = 300
# The personnummer (ciphertext) a "verify" order requires, set by the page that asks (an
# invitation for a known person): BankID then lets only that person answer.
REQUIRE_KEY = "bankid_require"


def order_start(request: HttpRequest, purpose: str = "login") -> str | None:
    """Start an auth order for this session (`purpose`: "login", or VERIFY to identify the
    person without logging in); None, or the message saying why not."""
    verify = purpose == VERIFY
    required = request.session.get(REQUIRE_KEY) if verify else None
    return ORDERS.start(
        request,
        lambda bankid: bankid.auth(
            end_user_ip=client_ip(request),
            user_visible_data=gettext("Identify yourself to Ledgerport")
            if verify
            else gettext("Log in to Ledgerport"),
            return_risk=True,
            personal_number=personnummer.decrypt(required) if required else None,
        ),
        purpose=VERIFY if verify else "login",
    )


def order_active(request: HttpRequest) -> dict[str, object] | None:
    return ORDERS.active(request)


def order_qr(request: HttpRequest) -> str | None:
    """The QR code's text right now (it changes every second), or None without an order."""
    order = order_active(request)
    return None if order is None else qr_text(order)


def order_cancel(request: HttpRequest) -> bool:
    """Cancel this session's order at BankID (if any) and forget it."""
    return ORDERS.cancel(request)


def order_collect(request: HttpRequest) -> Progress:
    """Ask BankID about this session's order; on completion log its person in."""
    order = order_active(request)
    if order is None:
        return Progress(str(texts.NO_ORDER), "error", done=True)
    result = ORDERS.collect(request, order)
    if isinstance(result, Progress):
        return result
    if order.get("purpose") == VERIFY:
        return _verified(request, result.personal_number, result.risk, result.name, str(order["ref"]))
    return _complete(request, result.personal_number, result.risk, str(order["ref"]))


def _verified(request: HttpRequest, number: str, risk: str, name: str, order_ref: str) -> Progress:
    """Keep who BankID identified (digest and ciphertext, never the number in clear) for the
    page that asked; nobody is logged in here."""
    if risk == "high":
        logger.warning("BankID identification refused for high risk, order %s", order_ref)
        return Progress(str(texts.RISK_REFUSED), FAILED, done=True)
    try:
        verified = {"digest": personnummer.digest(number), "ciphertext": personnummer.encrypt(number)}
    except ValueError:
        return Progress(str(texts.NO_ACCOUNT), FAILED, done=True)
    request.session[VERIFIED_KEY] = {**verified, "name": name, "at": time.time()}
    logger.info("BankID identification completed, order %s", order_ref)
    return Progress("", COMPLETE, done=True)


def verify_require(request: HttpRequest, ciphertext: str) -> None:
    """The next "verify" order of this session may be answered only by this person."""
    request.session[REQUIRE_KEY] = ciphertext


def verified_person(request: HttpRequest) -> dict[str, str] | None:
    """Who BankID identified for this session in the last few minutes (consumed by the caller)."""
    verified = request.session.get(VERIFIED_KEY)
    if not isinstance(verified, dict) or time.time() - float(verified.get("at", 0)) > VERIFIED_SECONDS:
        request.session.pop(VERIFIED_KEY, None)
        return None
    return {key: str(verified.get(key, "")) for key in ("digest", "ciphertext", "name")}


def verified_forget(request: HttpRequest) -> None:
    request.session.pop(VERIFIED_KEY, None)


def _complete(request: HttpRequest, number: str, risk: str, order_ref: str) -> Progress:
    if risk == "high":
        logger.warning("BankID login refused for high risk, order %s", order_ref)
        return Progress(str(texts.RISK_REFUSED), FAILED, done=True)
    try:
        user = user_by_personnummer(number)
    except ValueError:  # stdnum's ValidationError: BankID sent no valid personnummer
        user = None
    if user is None:
        logger.info("BankID login without an account, order %s", order_ref)
        return Progress(str(texts.NO_ACCOUNT), FAILED, done=True)
    login_as(request, user, BANKID)  # rotates the session key
    logger.info("BankID login: user %s from %s, order %s", user.pk, client_ip(request), order_ref)
    return Progress("", COMPLETE, done=True, user=user)
