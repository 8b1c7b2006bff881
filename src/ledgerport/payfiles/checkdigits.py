"""The check-digit rules of Swedish payment numbers (Luhn = mod 10, mod 11)."""

from __future__ import annotations


def luhn_valid(digits: str) -> bool:
    """Luhn over all digits, the last being the check digit (bankgiro, plusgiro, OCR)."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def luhn_digit(digits: str) -> str:
    """The check digit that makes `digits` + it Luhn-valid."""
    return next(d for d in "0123456789" if luhn_valid(digits + d))


def mod11_valid(digits: str) -> bool:
    """Weights 1, 2, … 10, 1, 2 … from the right; the weighted sum is a multiple of 11."""
    if not digits.isdigit():
        return False
    total = sum(int(char) * (position % 10 + 1) for position, char in enumerate(reversed(digits)))
    return total % 11 == 0


def mod11_digit(digits: str) -> str | None:
    """The check digit that makes `digits` + it mod-11-valid; None when it would be 10."""
    return next((d for d in "0123456789" if mod11_valid(digits + d)), None)
