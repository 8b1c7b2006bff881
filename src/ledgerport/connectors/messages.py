"""Provider errors as sentences a user can act on.

Errors are recognised by the provider's code *and* message (each provider's `error_rules`
in its spec): one code can need different fixes. Anything not recognised shows the
provider's own text.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from . import providers
from .http import Forbidden, GrantRevoked, ProviderError, RateLimited
from .providers import Describe


def not_approved(provider: str) -> Describe:
    """For a provider's rule: the grant lacks a permission the data needs."""
    return lambda match, area: (
        _(
            "The approval in %(provider)s does not include %(area)s. Send a new activation link; the "
            "customer approves every permission asked for."
        )
        % {"provider": provider, "area": area or _("the data the connection needs")}
    )


def _known(provider: str, exc: ProviderError, area: str) -> str | None:
    try:
        rules = providers.get(provider).error_rules
    except KeyError:
        return None
    for rule in rules:
        if rule.code != exc.code:
            continue
        if match := re.search(rule.pattern, exc.message or ""):
            return rule.describe(match, area.lower())
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
