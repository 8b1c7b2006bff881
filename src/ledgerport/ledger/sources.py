"""Where a year's ledger came from: an uploaded SIE file, or a source that registered itself.

The ledger names no provider: the connectors register theirs at start-up (each provider's
name and display name), and the model fields take their choices from `choices()` (a
callable: a new source needs no migration).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SIE = "sie"
SAFT = "saft"  # a Norwegian SAF-T Financial file (saft_import.py)

_labels: dict[str, str | Promise] = {SIE: _("SIE file"), SAFT: _("SAF-T file")}


def register(code: str, label: str | Promise) -> None:
    _labels[code] = label


def unregister(code: str) -> None:
    if code not in (SIE, SAFT):
        _labels.pop(code, None)


def choices() -> list[tuple[str, str | Promise]]:
    return list(_labels.items())


def label(code: str) -> str:
    """The source's name for people; an unknown (no longer registered) source shows its code."""
    return str(_labels.get(code, code))
