"""Structured creditor references: a Swedish OCR number (Luhn) or an ISO 11649 RF reference."""

from __future__ import annotations

from stdnum import iso11649
from stdnum.exceptions import ValidationError

from .checkdigits import luhn_valid


def check_ocr(text: str) -> str:
    """The reference as it is paid with, or ValueError saying why a bank would refuse it."""
    compact = text.replace(" ", "")
    if compact[:2].upper() == "RF":
        try:
            return str(iso11649.validate(compact))
        except ValidationError as exc:
            raise ValueError(f"RF reference {text!r} is not valid ({exc})") from exc
    if not compact.isdigit():
        raise ValueError(f"OCR number {text!r} may contain only digits")
    if not 2 <= len(compact) <= 25:
        raise ValueError(f"OCR number {text!r} must have 2 to 25 digits")
    if not luhn_valid(compact):
        raise ValueError(f"OCR number {text!r} has a wrong check digit")
    return compact
