"""Provider errors as sentences a user can act on.

Errors are recognised by the provider's code *and* message: Spiris answers 4002 alike for a
subscription without the API module, a plan without a module, an approval without a scope
and a user without full rights (../shared/research/bookkeeping-apis.md, the sandbox's error
bodies), and each needs a different fix. Anything not recognised shows the provider's own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from .http import Forbidden, GrantRevoked, ProviderError, RateLimited

Describe = Callable[[re.Match[str], str], str]


def _not_approved(provider: str) -> Describe:
    return lambda match, area: (
        _(
            "The approval in %(provider)s does not include %(area)s. Send a new activation link; the "
            "customer approves every permission asked for."
        )
        % {"provider": provider, "area": area or _("the data the connection needs")}
    )


# (provider, code, pattern the provider's message must match) -> what the user should know and do.
# The first match wins; a rule without pattern takes every message of its code.
RULES: list[tuple[str, str, str, Describe]] = [
    (
        "fortnox",
        "2001103",
        "",
        lambda match, area: _(
            "The company has no integration licence in Fortnox. The customer orders one in Fortnox, "
            "then approves the connection again."
        ),
    ),
    (
        "fortnox",
        "2001101",
        "",
        lambda match, area: (
            _(
                "The company has no Fortnox licence for %(area)s. If the company uses it, the customer "
                "adds the licence in Fortnox; then sync again."
            )
            % {"area": area}
            if area
            else _(
                "The company lacks a licence for a module the connection needs (such as Bokföring) in Fortnox."
            )
        ),
    ),
    ("fortnox", "2000663", "", _not_approved("Fortnox")),
    (
        "fortnox",
        "2003275",
        r"(?i)behörighet för (?P<register>[^.]+)",
        lambda match, area: (
            _(
                "The Fortnox user who approved the connection may not read %(register)s. The company's "
                "Fortnox administrator gives that user the right; then sync again."
            )
            % {"register": match.group("register")}
        ),
    ),
    (
        "spiris",
        "4002",
        r"(?i)no access to module: api_standard",
        lambda match, area: _(
            "The company's Spiris subscription does not include the API module. The customer enables it in Spiris."
        ),
    ),
    ("spiris", "4002", r"(?i)insufficient scope", _not_approved("Spiris")),
    (
        "spiris",
        "4002",
        r"(?i)no access to module: (?P<module>\w+)",
        lambda match, area: (
            _(
                "The company's Spiris plan does not include %(area)s (module %(module)s). If the company "
                "needs it, the customer adds it in Spiris; then sync again."
            )
            % {"area": area or _("the data the connection needs"), "module": match.group("module")}
        ),
    ),
    (
        "spiris",
        "4002",
        r"(?i)full program permission|fullständig programbehörighet",
        lambda match, area: _(
            "The Spiris user who approved the connection lacks full program permission "
            "(Fullständig programbehörighet). Send a new activation link to a user who has it."
        ),
    ),
]


def _known(provider: str, exc: ProviderError, area: str) -> str | None:
    for rule_provider, code, pattern, text in RULES:
        if (rule_provider, code) != (provider, exc.code):
            continue
        if match := re.search(pattern, exc.message or ""):
            return text(match, area.lower())
    return None


def describe(provider: str, exc: Exception, *, area: str = "") -> str:
    """What went wrong and how to fix it; `area` names the data asked for (say, supplier invoices)."""
    if isinstance(exc, GrantRevoked):
        return _("The provider no longer accepts our access. Send a new activation link to reconnect.")
    if isinstance(exc, ProviderError):
        if known := _known(provider, exc, area):
            return known
        if isinstance(exc, RateLimited):
            return _(
                "The provider is limiting how often we may call it. We retry automatically; try again later."
            )
        if isinstance(exc, Forbidden):
            return _("The provider refused access: %(message)s") % {"message": exc.message}
        return _("The provider answered with an error: %(message)s") % {"message": exc.message}
    return _("Could not reach the provider. Try again in a while.")
