"""Altinn in the provider registry: Norwegian companies only, connected on a settings page
(`connectors:altinn_settings`) rather than by a consent link, nothing synced yet.

Base URLs as every provider's: `ALTINN_API_URL` (Altinn's APIs) and `ALTINN_AUTH_URL`
(Maskinporten's token endpoint), the sandbox by default; `ALTINN_CLIENT_ID` is our Maskinporten
client, `ALTINN_CLIENT_KEY` the path of its private key (PEM) and `ALTINN_KEY_ID` the key's id.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyrate_limiter import Duration, Rate

from ..http import ApiClient
from ..oauth import TokenSet
from ..providers import ProviderIdentity, ProviderSpec, register
from .client import parse_error

_env = environ.Env()

# What the system user is asked to do: a-melding and the employees' tax deduction cards.
SCOPES = "skatteetaten:innrapporteringamelding skatteetaten:skattekorttilarbeidsgiver"

# The sandbox's development client's key (demo only, like the sandbox's other dev secrets).
DEV_KEY = Path(__file__).with_name("dev_maskinporten_key.pem")
DEV_KEY_ID = "ledgerport-dev-1"


def identify(api: ApiClient, token_set: TokenSet) -> ProviderIdentity:
    raise NotImplementedError("Altinn is connected on its settings page, not by OAuth")


def signing_key() -> tuple[bytes, str]:
    """Our Maskinporten client's private key (PEM) and its key id. Production must configure
    its own; the development key is the sandbox's."""
    path = SPEC.conf["client_key"]
    if path:
        return Path(path).read_bytes(), _env.str("ALTINN_KEY_ID", default="")
    if settings.PRODUCTION:
        raise ImproperlyConfigured("ALTINN_CLIENT_KEY must name the Maskinporten client's private key")
    return DEV_KEY.read_bytes(), DEV_KEY_ID


SPEC = register(
    ProviderSpec(
        name="altinn",
        display_name="Altinn",
        logo_accent="teal",
        authorize_path="",
        token_path="",  # ALTINN_AUTH_URL is Maskinporten's token endpoint itself
        scope=SCOPES,
        rates=(Rate(10, Duration.SECOND),),
        limit_per_grant=False,
        limit_per_client=True,
        parse_error=parse_error,
        identify=identify,
        provides_ledger=False,
        countries=("NO",),
        settings_url_name="connectors:altinn_settings",
        sandbox_api_path="/altinn",
        sandbox_auth_path="/altinn/maskinporten/token",
    )
)
