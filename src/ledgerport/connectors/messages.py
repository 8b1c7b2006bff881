"""Provider errors as sentences a user can act on."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .http import Forbidden, GrantRevoked, ProviderError, RateLimited

# (provider, provider's error code) -> what the user should know and do.
KNOWN_CODES = {
    ("fortnox", "2001103"): lambda: _(
        "The company has no integration licence in Fortnox. The customer orders one in Fortnox, "
        "then approves the connection again."
    ),
    ("fortnox", "2001101"): lambda: _(
        "The company lacks a licence for a module the connection needs (such as Bokföring) in Fortnox."
    ),
    ("fortnox", "2000663"): lambda: _("The approving user lacks permission in Fortnox for this data."),
    ("spiris", "4002"): lambda: _(
        "The company's Spiris subscription does not include the API module. The customer enables it in Spiris."
    ),
}


def describe(provider: str, exc: Exception) -> str:
    if isinstance(exc, GrantRevoked):
        return _("The provider no longer accepts our access. Send a new activation link to reconnect.")
    if isinstance(exc, ProviderError):
        if known := KNOWN_CODES.get((provider, exc.code)):
            return known()
        if isinstance(exc, RateLimited):
            return _(
                "The provider is limiting how often we may call it. We retry automatically; try again later."
            )
        if isinstance(exc, Forbidden):
            return _("The provider refused access: %(message)s") % {"message": exc.message}
        return _("The provider answered with an error: %(message)s") % {"message": exc.message}
    return _("Could not reach the provider. Try again in a while.")
