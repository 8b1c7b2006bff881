"""The animated QR code and the same-device start link, as BankID's RP guidelines define them.

The QR shows `bankid.{qrStartToken}.{t}.{qrAuthCode}`, where t is the whole seconds since the
auth/sign response arrived and qrAuthCode = hex(HMAC-SHA256(key=qrStartSecret, msg=str(t))).
It is computed on the server every second: qrStartSecret never leaves the backend.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from urllib.parse import urlencode


def qr_auth_code(qr_start_secret: str, seconds: int) -> str:
    return hmac.new(qr_start_secret.encode(), str(seconds).encode(), hashlib.sha256).hexdigest()


def qr_content(qr_start_token: str, qr_start_secret: str, seconds: int) -> str:
    """The QR code's text `seconds` whole seconds after the order started."""
    if seconds < 0:
        raise ValueError("seconds since the order started cannot be negative")
    return f"bankid.{qr_start_token}.{seconds}.{qr_auth_code(qr_start_secret, seconds)}"


def seconds_since(started: float, now: float) -> int:
    """Whole seconds between two epoch times (never negative: clocks may step back)."""
    return max(0, math.floor(now - started))


def autostart_url(auto_start_token: str) -> str:
    """Opens the BankID app on this device. `redirect=null`: the app does not open another
    page when done; the browser page that started the order keeps collecting."""
    return "bankid:///?" + urlencode({"autostarttoken": auto_start_token, "redirect": "null"})
