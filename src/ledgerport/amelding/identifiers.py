"""Norwegian identifiers by their check digits, with python-stdnum (no Django here, so not
`core/norway.py`, which the Django forms use). Skatteetaten's synthetic test persons (Tenor:
the month raised by 80), which stdnum rejects, pass only when the caller accepts them."""

from __future__ import annotations

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer, orgnr


def orgnr_valid(value: str) -> bool:
    if len(value) != 9 or not value.isdigit():
        return False
    try:
        orgnr.validate(value)
    except StdnumError:
        return False
    return True


def person_valid(value: str, *, accept_synthetic: bool = False) -> bool:
    """Fødselsnummer or D-nummer: 11 digits, both check digits, a real birth date."""
    if len(value) != 11 or not value.isdigit():
        return False
    if value[9] != fodselsnummer.calc_check_digit1(value) or value[10] != fodselsnummer.calc_check_digit2(
        value
    ):
        return False
    month = int(value[2:4])
    if month > 80:
        if not accept_synthetic:
            return False
        value = value[:2] + f"{month - 80:02d}" + value[4:]
    try:
        fodselsnummer.get_birth_date(value)
    except StdnumError:
        return False
    return True
