"""Organisation numbers per country, validated with python-stdnum (no hand-written checksums)."""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

_MODULES = {"SE": se_orgnr, "NO": no_orgnr}


class InvalidOrgnr(ValueError):
    pass


def compact(country: str, number: str) -> str:
    """The digits-only form; raises InvalidOrgnr with a readable reason."""
    module = _MODULES.get(country)
    if module is None:
        raise InvalidOrgnr(_("Unknown country %(country)s") % {"country": country})
    try:
        return str(module.validate(number))
    except StdnumError as exc:
        raise InvalidOrgnr(_("%(number)s is not a valid organisation number") % {"number": number}) from exc


@lru_cache(maxsize=4096)  # a client list formats hundreds per page, the same ones each time
def display(country: str, number: str) -> str:
    """556036-0793 for Sweden, 923 609 016 for Norway."""
    module = _MODULES.get(country)
    return str(module.format(number)) if module else number


def is_valid(country: str, number: str) -> bool:
    try:
        compact(country, number)
    except InvalidOrgnr:
        return False
    return True
