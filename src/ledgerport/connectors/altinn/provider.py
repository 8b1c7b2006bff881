"""Altinn in the provider registry: Norwegian companies only, connected on its settings page
(`views.py`) rather than by a consent link; nothing is synced yet. See `conf.py` for the
settings it reads and `client.py` for the two ways in. The mva-melding is filed through
Altinn 3 with a person's ID-porten login (`filing.py`, `person_login.py`, `mva_client.py`)."""

from __future__ import annotations

from pyrate_limiter import Duration, Rate

from ..http import ApiClient
from ..oauth import TokenSet
from ..providers import ProviderIdentity, ProviderSpec, register
from . import amelding, filing, person_login, views
from .client import parse_error
from .conf import NAME, SCOPES
from .errors import ERROR_RULES


def identify(api: ApiClient, token_set: TokenSet) -> ProviderIdentity:
    raise NotImplementedError("Altinn is connected on its settings page, not by OAuth")


SPEC = register(
    ProviderSpec(
        name=NAME,
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
        settings_view=views.altinn_settings,
        settings_test_view=views.altinn_test,
        employer_return=amelding.FILING,
        sandbox_api_path="/altinn",
        sandbox_auth_path="/altinn/maskinporten/token",
        vat_return=filing.FILING,
        person_login_view=person_login.start,
        person_login_return_view=person_login.finish,
        error_rules=ERROR_RULES,
    )
)
