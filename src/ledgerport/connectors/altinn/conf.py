"""Altinn's name in the registry, the scopes asked for, and our Maskinporten client's key.

Base URLs as every provider's (`ProviderSpec.conf`): `ALTINN_API_URL` (Altinn's APIs) and
`ALTINN_AUTH_URL` (Maskinporten's token endpoint), the sandbox by default; `ALTINN_CLIENT_ID`
is our Maskinporten client, `ALTINN_CLIENT_KEY` the path of its private key (PEM) and
`ALTINN_KEY_ID` the key's id.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .. import providers

NAME = "altinn"

# What the system user is asked to do: a-melding and the employees' tax deduction cards.
SCOPES = "skatteetaten:innrapporteringamelding skatteetaten:skattekorttilarbeidsgiver"

# The sandbox's development client's key (demo only, like the sandbox's other dev secrets).
DEV_KEY = Path(__file__).with_name("dev_maskinporten_key.pem")
DEV_KEY_ID = "ledgerport-dev-1"

_env = environ.Env()


def conf() -> dict[str, str]:
    return providers.get(NAME).conf


def signing_key() -> tuple[bytes, str]:
    """Our Maskinporten client's private key (PEM) and its key id. Production configures its
    own; the development key is the sandbox's."""
    path = conf()["client_key"]
    if path:
        return Path(path).read_bytes(), _env.str("ALTINN_KEY_ID", default="")
    if settings.PRODUCTION:
        raise ImproperlyConfigured("ALTINN_CLIENT_KEY must name the Maskinporten client's private key")
    return DEV_KEY.read_bytes(), DEV_KEY_ID


def skatteetaten_url() -> str:
    """Skatteetaten's API host (skattekort): `ALTINN_SKATTEETATEN_URL`, else next to the
    sandbox's Altinn (`…/altinn` → `…/skatteetaten`)."""
    configured = conf().get("skatteetaten_url") or _env.str("ALTINN_SKATTEETATEN_URL", default="")
    if configured:
        return str(configured).rstrip("/")
    api_url = conf()["api_url"]
    return api_url.removesuffix("/altinn") + "/skatteetaten"
