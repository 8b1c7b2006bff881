"""A provider that exists only in the tests: one package, one registration, nothing else.

`test_provider_registry.py` discovers this package and shows that the provider appears on
the connections page, in the CLI and in the model choices without any other code change.
"""

from __future__ import annotations

import httpx

from ledgerport.connectors.http import ApiClient
from ledgerport.connectors.oauth import TokenSet
from ledgerport.connectors.providers import ErrorRule, ProviderIdentity, ProviderSpec, register


def parse_error(response: httpx.Response) -> tuple[str, str]:
    return str(response.status_code), response.text


def identify(api: ApiClient, token_set: TokenSet) -> ProviderIdentity:
    return ProviderIdentity("Acme Books AB", "5560360793", "acme-1", "Ada", "ada@example.com")


SPEC = register(
    ProviderSpec(
        name="acme",
        display_name="Acme Books",
        logo_accent="green",
        authorize_path="/authorize",
        token_path="/token",
        scope="ledger",
        rates=(),
        limit_per_grant=True,
        parse_error=parse_error,
        identify=identify,
        fetched=("Every voucher",),
        requirements=("An Acme Books account",),
        error_rules=(ErrorRule("418", "", lambda match, area: "Acme Books is a teapot today."),),
        sandbox_api_path="/acme",
        sandbox_auth_path="/acme/oauth",
    )
)
