"""Structured creditor references: a Swedish OCR number (Luhn) or an ISO 11649 RF reference."""

from __future__ import annotations

from stdnum import iso11649
from stdnum.exceptions import ValidationError

from .checkdigits import luhn_valid
from .problems import Invalid


def check_ocr(text: str) -> str:
    """The reference as it is paid with, or `Invalid` saying why a bank would refuse it."""
    compact = text.replace(" ", "")
    if compact[:2].upper() == "RF":
        try:
            return str(iso11649.validate(compact))
        except ValidationError as exc:
            raise Invalid("rf", ocr=text, detail=str(exc)) from exc
    if not compact.isdigit():
        raise Invalid("ocr_format", ocr=text)
    if not 2 <= len(compact) <= 25:
        raise Invalid("ocr_length", ocr=text)
    if not luhn_valid(compact):
        raise Invalid("ocr_check", ocr=text)
    return compact
