"""Norwegian identifiers and formats as pure rules (no Django): each `*_clean` returns the
canonical form or raises `NorwegianValueError`; the form fields (`core/norway_fields.py`) turn
that into a message for people.

python-stdnum covers the organisation number, the bank account and the fødselsnummer/D-nummer
(research §6.3); it has no Norwegian postal code or phone module, and it rejects Skatteetaten's
synthetic (Tenor) test persons, whose month is raised by 80: those are rules of our own here.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer, kontonr, orgnr

OSLO = ZoneInfo("Europe/Oslo")


class NorwegianValueError(ValueError):
    pass


def _digits(value: str, *, strip: str = " .-") -> str:
    """The value without the separators people type (spaces, dots, hyphens)."""
    return value.translate({ord(c): None for c in strip}).strip()


def orgnr_clean(value: str) -> str:
    """Organisasjonsnummer: 9 digits, mod 11 (weights 3,2,7,6,5,4,3,2)."""
    number = _digits(value)
    if len(number) != 9 or not number.isdigit():
        raise NorwegianValueError("not 9 digits")
    try:
        return str(orgnr.validate(number))
    except StdnumError as exc:
        raise NorwegianValueError("check digit") from exc


def account_clean(value: str) -> str:
    """Kontonummer: 11 digits, mod 11 (stdnum also takes 7-digit Luhn numbers, which we do not)."""
    number = _digits(value)
    # stdnum reads "0000" + 7 digits as an old 7-digit (Luhn) number: no bank has number 0000.
    if len(number) != 11 or not number.isdigit() or number.startswith("0000"):
        raise NorwegianValueError("not 11 digits")
    try:
        kontonr.validate(number)
        return number
    except StdnumError as exc:
        raise NorwegianValueError("check digit") from exc


def _synthetic_as_real(number: str) -> str:
    """A Tenor test person's number with its month lowered by 80, for the birth-date check."""
    month = int(number[2:4])
    return number[:2] + f"{month - 80:02d}" + number[4:] if month > 80 else number


def is_synthetic_person(number: str) -> bool:
    """Skatteetaten's synthetic test persons (Tenor): month + 80."""
    return len(number) == 11 and number.isdigit() and int(number[2:4]) > 80


def person_clean(value: str, *, accept_synthetic: bool = False) -> str:
    """Fødselsnummer or D-nummer: 11 digits, two check digits (k1, k2) and a real birth date.
    Synthetic test persons (month + 80) only when `accept_synthetic` (test mode)."""
    number = _digits(value)
    if len(number) != 11 or not number.isdigit():
        raise NorwegianValueError("not 11 digits")
    if number[9] != fodselsnummer.calc_check_digit1(number) or number[10] != fodselsnummer.calc_check_digit2(
        number
    ):
        raise NorwegianValueError("check digit")
    if is_synthetic_person(number):
        if not accept_synthetic:
            raise NorwegianValueError("synthetic test person")
        number_for_date = _synthetic_as_real(number)
    else:
        number_for_date = number
    try:
        born = fodselsnummer.get_birth_date(number_for_date)
    except StdnumError as exc:
        raise NorwegianValueError("birth date") from exc
    if born > datetime.datetime.now(OSLO).date():
        raise NorwegianValueError("born in the future")
    return number


def postal_code_clean(value: str) -> str:
    """Postnummer: 4 digits (0001–9999; Bring's register decides which exist)."""
    number = value.strip()
    if not re.fullmatch(r"[0-9]{4}", number) or number == "0000":
        raise NorwegianValueError("not 4 digits")
    return number


_COUNTRY_PREFIX = re.compile(r"^(?:\+47|0047)")


def phone_clean(value: str, *, mobile: bool = False) -> str:
    """A Norwegian phone number: 8 digits, with or without +47/0047. Numbers start with 2–9 (Nkom's
    plan: 0 and 1 begin only short and 5-digit numbers); mobile numbers with 4 or 9."""
    number = _COUNTRY_PREFIX.sub("", _digits(value, strip=" -()"))
    if len(number) != 8 or not number.isdigit() or number[0] in "01":
        raise NorwegianValueError("not 8 digits")
    if mobile and number[0] not in "49":
        raise NorwegianValueError("not a mobile number")
    return number


def date_clean(value: str) -> datetime.date:
    """A date written dd.mm.åååå (31.12.2025), the only form Norwegian forms show."""
    match = re.fullmatch(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})", value.strip())
    if match is None:
        raise NorwegianValueError("not dd.mm.åååå")
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise NorwegianValueError("no such day") from exc


def datasystem_password_clean(value: str) -> str:
    """A data-system password for the authorities' portal: letters A–Z/a–z and digits only, with at least one
    upper-case letter, one lower-case letter and one digit (seed 004: no special characters)."""
    if not re.fullmatch(r"[A-Za-z0-9]+", value):
        raise NorwegianValueError("letters and digits only")
    if not (re.search(r"[A-Z]", value) and re.search(r"[a-z]", value) and re.search(r"[0-9]", value)):
        raise NorwegianValueError("upper, lower and digit")
    return value
