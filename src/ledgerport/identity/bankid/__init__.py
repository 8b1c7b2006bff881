"""A thin client for BankID's Relying Party API v6.0 (auth, sign, collect, cancel) and the
animated QR code. A library: it imports no Django (import-linter contract `pure-libraries`)."""

from .client import BankIDClient, BankIDError, BankIDUnavailable, Collect, Order
from .qr import autostart_url, qr_content

__all__ = [
    "BankIDClient",
    "BankIDError",
    "BankIDUnavailable",
    "Collect",
    "Order",
    "autostart_url",
    "qr_content",
]
