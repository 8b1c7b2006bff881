"""The SAF-T library's problems in the user's language: line and element, then what is wrong.

The library words its problems in English with a code and the values (`params`); the texts
here say the same through gettext. An unknown code falls back to the library's English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

_TEXTS: dict[str, Callable[[Mapping[str, str]], str]] = {
    "not-xml": lambda p: _("the file is not a well-formed XML file (%(detail)s)") % p,
    "not-saft": lambda p: (
        _("the file is XML but not a SAF-T Financial file (its root element is %(found)s)") % p
    ),
    "namespace": lambda p: (
        _("the root element AuditFile is in the namespace %(found)s, not in SAF-T Financial's %(expected)s")
        % p
    ),
    "version": lambda p: _("%(version)s is not a SAF-T Financial version (1.10, 1.20 or 1.30)") % p,
    "schema": lambda p: _("the file does not follow the SAF-T %(version)s schema: %(detail)s") % p,
    "missing": lambda p: _("the element %(name)s is missing") % p,
    "not-number": lambda p: _("%(name)s is not a number (%(value)s)") % p,
    "not-date": lambda p: _("%(name)s is not a date (%(value)s)") % p,
    "period-order": lambda p: _("the selection ends (%(end)s) before it starts (%(start)s)") % p,
    "unbalanced": lambda p: (
        _("the transaction %(transaction)s does not balance: debit %(debit)s, credit %(credit)s") % p
    ),
    "totals": lambda p: (
        _("%(name)s in the file says %(stated)s, but the transactions add up to %(found)s") % p
    ),
    # warnings
    "schema-other": lambda p: _("the file says version %(declared)s but follows the %(schema)s schema") % p,
    "duplicate-account": lambda p: _("the account %(account)s is listed twice; the last one is used") % p,
    "account-balance": lambda p: (
        _(
            "account %(account)s: opening balance %(opening)s plus the transactions %(movement)s is not "
            "the closing balance %(closing)s the file states"
        )
        % p
    ),
}


def describe(code: str, params: Mapping[str, Any], fallback: str) -> str:
    """One problem's text (without where it is) in the active language."""
    text = _TEXTS.get(code)
    if text is None:
        return fallback
    try:
        return text({key: str(value) for key, value in params.items()})
    except KeyError:  # a problem without the values its text names
        return fallback


def where(line: int, element: str) -> str:
    """ "Line 12, element <TotalDebit>" (either part may be missing)."""
    parts = []
    if line:
        parts.append(_("Line %(line)s") % {"line": line})
    if element:
        parts.append(_("element <%(element)s>") % {"element": element})
    return ", ".join(parts)


def message(line: int, element: str, code: str, params: Mapping[str, Any], fallback: str) -> str:
    place = where(line, element)
    detail = describe(code, params, fallback)
    return f"{place}: {detail}" if place else detail
