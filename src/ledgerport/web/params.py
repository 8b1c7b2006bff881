"""Parsing of query parameters: a malformed value is ignored (None), never a 500."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

# Beyond a 64-bit database integer; larger numbers are no id, page or index we have.
MAX_INT = 2**63 - 1
# NUMERIC(18, 2): the largest amount a ledger holds.
MAX_AMOUNT = Decimal("1e16")


def int_param(query: Any, name: str, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """The parameter as an int within [minimum, maximum], else None (ASCII digits only)."""
    raw = (query.get(name) or "").strip()
    digits = raw.removeprefix("-")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 19:
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def decimal_param(query: Any, name: str, *, limit: Decimal = MAX_AMOUNT) -> Decimal | None:
    """An amount (Swedish "1 234,50" or "1234.50"), finite and below `limit`, else None."""
    raw = (query.get(name) or "").replace(" ", "").replace("\xa0", "").replace(",", ".")
    try:
        value = Decimal(raw) if raw else None
    except InvalidOperation:
        return None
    if value is None or not value.is_finite() or abs(value) >= limit:
        return None
    return value
