"""Altinn's errors on the way of the mva-melding, as sentences (connectors/messages.py rules).

Altinn's apps answer a missing role with an empty 403 (the code is then the status), a step out
of order or a refused upload with 409 (problem details titled "Conflict", or the validation
issues of the "Utfylling" step as a list)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ..providers import ErrorRule


def _no_role(match: re.Match[str], area: str) -> str:
    return _(
        "Altinn refused: the person logged in with ID-porten has no role that may file the VAT "
        "return for this company (such as Regnskapsfører med signeringsrett). Have the role "
        "delegated in Altinn, or let someone who has it file."
    )


def _conflict(match: re.Match[str], area: str) -> str:
    return _("Altinn did not accept the VAT return as it stands: %(detail)s") % {
        "detail": match.group(0) or _("no reason was given")
    }


ERROR_RULES = (
    ErrorRule("403", "", _no_role),
    ErrorRule("Forbidden", "", _no_role),
    ErrorRule("409", "(?s).*", _conflict),
    ErrorRule("Conflict", "(?s).*", _conflict),
)
