"""Where the mva-melding goes, and our ID-porten client. Each URL from the environment, else the
sandbox next to `ALTINN_API_URL` (as `conf.skatteetaten_url` does); `settings.PROVIDERS["altinn"]`
may name any of them (the keys below) for tests.

- `ALTINN_IDPORTEN_URL`: ID-porten (`/authorize`, `/token`); production `https://idporten.no`,
  test `https://test.idporten.no`.
- `ALTINN_PLATFORM_URL`: Altinn's platform (the token exchange), `https://platform.altinn.no`.
- `ALTINN_APPS_URL`: the service owner's apps host, `https://skd.apps.altinn.no`, and
  `ALTINN_MVA_APP` the app (`skd/mva-melding-innsending-v1`; test `…-etm2`).
- `ALTINN_MVA_VALIDATION_URL`: the validation service's host,
  `https://idporten.api.skatteetaten.no` (test `https://idporten-api-sbstest.sits.no`).
- `ALTINN_IDPORTEN_CLIENT_ID` / `ALTINN_IDPORTEN_CLIENT_SECRET`: our ID-porten client.
"""

from __future__ import annotations

from dataclasses import dataclass

import environ
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .conf import conf
from .mva_client import APP, INSTANCE_SCOPES, VALIDATION_SCOPE

_env = environ.Env()

# What the person's login is asked for: the validation service and Altinn's instances.
LOGIN_SCOPES = f"openid {VALIDATION_SCOPE} {INSTANCE_SCOPES}"


@dataclass(frozen=True)
class MvaConf:
    idporten_url: str
    platform_url: str
    apps_url: str
    app: str
    validation_url: str
    client_id: str
    client_secret: str


def _setting(key: str, env: str, default: str) -> str:
    value = conf().get(key) or _env.str(env, default="") or default
    return str(value).rstrip("/")


def mva_conf() -> MvaConf:
    api_url = conf()["api_url"]  # the sandbox's `…/altinn` by default
    sandbox_root = api_url.removesuffix("/altinn")
    secret = _setting("idporten_client_secret", "ALTINN_IDPORTEN_CLIENT_SECRET", "")
    if not secret:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("ALTINN_IDPORTEN_CLIENT_SECRET must be set")
        secret = "idporten-dev-secret"  # the sandbox's development client
    return MvaConf(
        idporten_url=_setting("idporten_url", "ALTINN_IDPORTEN_URL", sandbox_root + "/idporten"),
        platform_url=_setting("platform_url", "ALTINN_PLATFORM_URL", api_url + "/platform"),
        apps_url=_setting("apps_url", "ALTINN_APPS_URL", api_url + "/apps"),
        app=_setting("mva_app", "ALTINN_MVA_APP", APP).strip("/"),
        validation_url=_setting(
            "mva_validation_url", "ALTINN_MVA_VALIDATION_URL", sandbox_root + "/skatteetaten"
        ),
        client_id=_setting("idporten_client_id", "ALTINN_IDPORTEN_CLIENT_ID", "ledgerport-dev"),
        client_secret=secret,
    )
