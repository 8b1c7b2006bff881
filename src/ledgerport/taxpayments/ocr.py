"""The OCR number a Swedish company pays its tax account with, when the Tax Agency's own is not
synced: "16", the 10-digit organisation number and a Luhn check digit (python-stdnum)."""

from __future__ import annotations

import re

from stdnum import luhn

TAX_AGENCY_BANKGIRO = "5050-1055"


def ocr_number(orgnr: str) -> str:
    digits = re.sub(r"\D", "", orgnr)
    if len(digits) == 12:  # a sole trader's personnummer with the century: the OCR uses 10 digits
        digits = digits[2:]
    if len(digits) != 10:
        raise ValueError(f"not a Swedish organisation number: {orgnr!r}")
    base = "16" + digits
    return base + luhn.calc_check_digit(base)
