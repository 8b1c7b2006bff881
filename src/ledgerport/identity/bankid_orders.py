"""One BankID order per browser session and purpose: start, QR code, collect, cancel.

Serves the login (`bankid_login.py`) and the signing of cases (`cases/signing.py`). The order
is kept server-side in the session under the purpose's key: the QR secret never reaches the
browser (the QR is drawn on the server), so only the browser that started an order can collect
it. What a completed order means is the caller's: `collect` hands the completed answer back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

from . import bankid_messages as texts
from .bankid import BankIDClient, BankIDError, Collect, Order, qr_content
from .bankid.client import FAILED, PENDING
from .bankid.qr import seconds_since

if TYPE_CHECKING:
    from .models import User

logger = logging.getLogger(__name__)

STARTS_KEY = "bankid_starts"
# Starts per session within the window, whatever the purpose (BankID orders are not free, and
# a loop of starts would only annoy the user's app). Per session, not per address: see
# throttling.py.
MAX_STARTS = 10
STARTS_WINDOW = 600.0
# BankID: collect every two seconds, never more than once a second.
MIN_COLLECT_INTERVAL = 1.0
TRANSIENT_ERRORS = {"unavailable", "internalError", "maintenance", "requestTimeout"}


def client() -> BankIDClient:
    return BankIDClient(
        settings.BANKID_API_URL,
        cert=settings.BANKID_CERT_FILE or None,
        key=settings.BANKID_KEY_FILE or None,
        ca=settings.BANKID_CA_FILE or None,
        timeout=settings.BANKID_TIMEOUT,
    )


@dataclass(frozen=True)
class Progress:
    """What the waiting page shows after a collect. `done`: stop polling."""

    message: str
    status: str  # pending | failed | complete | error
    done: bool
    user: User | None = None


@dataclass(frozen=True)
class SessionOrders:
    """The orders of one purpose, kept in the session under `key`. `kind` names the order in
    the log ("auth", "sign"); `pending` words a hint code for the waiting page."""

    key: str
    kind: str
    pending: Callable[[str], object] = texts.pending_message

    def start(
        self, request: HttpRequest, place: Callable[[BankIDClient], Order], **kept: object
    ) -> str | None:
        """Place an order (`place` calls /auth or /sign) for this session, keeping `kept` with
        it; None, or the message saying why not."""
        now = time.time()
        starts = [t for t in request.session.get(STARTS_KEY, []) if now - t < STARTS_WINDOW]
        if len(starts) >= MAX_STARTS:
            return str(texts.TOO_MANY_STARTS)
        self.cancel(request)  # one order per session: a new start replaces the old
        try:
            with client() as bankid:
                order = place(bankid)
        except BankIDError as err:
            logger.warning("BankID %s refused: %s", self.kind, err.error_code)
            return str(texts.error_message(err.error_code))
        request.session[STARTS_KEY] = [*starts, now]
        request.session[self.key] = {
            **kept,
            "ref": order.order_ref,
            "auto": order.auto_start_token,
            "qr_token": order.qr_start_token,
            "qr_secret": order.qr_start_secret,
            "started": time.time(),
            "collected": 0.0,
            "hint": "outstandingTransaction",
        }
        return None

    def active(self, request: HttpRequest) -> dict[str, object] | None:
        order = request.session.get(self.key)
        return order if isinstance(order, dict) else None

    def cancel(self, request: HttpRequest) -> bool:
        """Cancel this session's order at BankID (if any) and forget it."""
        order = request.session.pop(self.key, None)
        if not isinstance(order, dict):
            return False
        try:
            with client() as bankid:
                bankid.cancel(str(order["ref"]))
        except BankIDError as err:
            # Already finished or gone at BankID: nothing left to cancel.
            logger.info("BankID cancel: %s", err.error_code)
        return True

    def pending_message(self, hint: str) -> str:
        return str(self.pending(hint))

    def collect(self, request: HttpRequest, order: dict[str, object]) -> Progress | Collect:
        """Ask BankID about `order` (this session's): the progress to show, or BankID's
        answer once the order is complete (then the session has forgotten it)."""
        now = time.time()
        if now - float(order["collected"]) < MIN_COLLECT_INTERVAL:  # type: ignore[arg-type]
            return Progress(self.pending_message(str(order["hint"])), PENDING, done=False)
        try:
            with client() as bankid:
                result = bankid.collect(str(order["ref"]))
        except BankIDError as err:
            if err.error_code in TRANSIENT_ERRORS:
                logger.warning("BankID collect failed: %s", err.error_code)
                return Progress(str(texts.error_message(err.error_code)), "error", done=False)
            request.session.pop(self.key, None)  # e.g. invalidParameters: the order is gone
            return Progress(str(texts.error_message(err.error_code)), "error", done=True)
        if result.status == PENDING:
            order.update(collected=now, hint=result.hint_code)
            request.session.modified = True
            return Progress(self.pending_message(result.hint_code), PENDING, done=False)
        request.session.pop(self.key, None)
        if result.status == FAILED:
            return Progress(str(texts.failed_message(result.hint_code)), FAILED, done=True)
        return result


def qr_text(order: dict[str, object]) -> str:
    """The QR code's text for `order` right now (it changes every second)."""
    seconds = seconds_since(float(order["started"]), time.time())  # type: ignore[arg-type]
    return qr_content(str(order["qr_token"]), str(order["qr_secret"]), seconds)
