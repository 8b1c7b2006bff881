"""Skatteverket in the provider registry: appointment as ombud, the firm's own token, limits,
error sentences, client and the tax-account sync.

Consent is no OAuth round trip: the company's signatory appoints the platform as ombud at
Skatteverket (`providers.OmbudConsent`, `connectors/ombud.py`). Every call uses the platform's
client-credentials token (one per process, whatever the company) and counts against one
limit for the whole platform (≈ 4 requests a second).
"""

from __future__ import annotations

import threading
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyrate_limiter import Duration, Rate

from ..http import ApiClient
from ..models import Connection
from ..oauth import TokenSet
from ..providers import ErrorRule, OmbudConsent, ProviderIdentity, ProviderSpec, limiter_for, register
from ..sync_base import DataLog
from .client import (
    SCOPES,
    ClientCredentials,
    SkatteverketClient,
    api_root,
    correlation_headers,
    gateway_headers,
    parse_error,
    transport,
)
from .sync import SkatteverketSync

_tokens: dict[tuple[str, ...], ClientCredentials] = {}
_tokens_lock = threading.Lock()


def _credentials(conf: dict[str, str]) -> ClientCredentials:
    """The process's token source for this configuration (a new one when settings change)."""
    key = (
        conf["auth_url"],
        conf["client_id"],
        conf["client_secret"],
        conf["client_cert"],
        conf["client_key"],
    )
    with _tokens_lock:
        source = _tokens.get(key)
        if source is None:
            source = ClientCredentials(
                conf["auth_url"],
                conf["client_id"],
                conf["client_secret"],
                scope=SCOPES,
                transport=transport(conf["client_cert"], conf["client_key"], conf["ca_cert"]),
            )
            _tokens[key] = source
        return source


def api_client(connection_id: int) -> ApiClient:
    conf = SPEC.conf
    credentials = _credentials(conf)
    return ApiClient(
        base_url=api_root(conf["api_url"]),
        token=credentials,
        parse_error=parse_error,
        acquire=limiter_for(SPEC.name).acquire,
        rate_key=lambda path: SPEC.rate_key(connection_id, path),
        on_unauthorized=credentials.invalidate,
        transport=transport(ca_cert=conf["ca_cert"]),
        headers=gateway_headers(conf["client_id"], conf["client_secret"]),
        request_headers=correlation_headers,
    )


def identify(api: ApiClient, token_set: TokenSet) -> ProviderIdentity:
    raise NotImplementedError("Skatteverket is connected by appointment as ombud, not OAuth")


def sync(api: ApiClient, log: DataLog, connection: Connection) -> SkatteverketSync:
    return SkatteverketSync(SkatteverketClient(api), log, connection)


def _deep_link(api: ApiClient, orgnr: str) -> str:
    return SkatteverketClient(api).deep_link(orgnr)


def _missing_roles(api: ApiClient, orgnr: str) -> list[str]:
    return SkatteverketClient(api).missing_roles(orgnr, timezone.localdate())


def _no_grant(match: Any, area: str) -> str:
    return _(
        "Skatteverket refused: we are not the company's ombud for %(area)s. A signatory of the "
        "company appoints us through a new activation link."
    ) % {"area": area or _("this data")}


SPEC = register(
    ProviderSpec(
        name="skatteverket",
        display_name="Skatteverket",
        logo_accent="blue",
        authorize_path="",
        token_path="",  # SKATTEVERKET_AUTH_URL is the token endpoint itself
        scope=SCOPES,
        rates=(Rate(4, Duration.SECOND),),  # observed: about 4 requests a second per consumer
        limit_per_grant=False,
        limit_per_client=True,
        parse_error=parse_error,
        identify=identify,
        sync=sync,
        client=SkatteverketClient,
        api_client=api_client,
        provides_ledger=False,
        ombud=OmbudConsent(
            deep_link=_deep_link,
            missing_roles=_missing_roles,
            roles=(
                gettext_lazy("Tax account, read only (Skattekonto, bara läsbehörighet)"),
                gettext_lazy("Employer declaration register ombud (Registerombud arbetsgivardeklaration)"),
            ),
            signatory=gettext_lazy("Only a signatory (firmatecknare) of the company can appoint an ombud."),
        ),
        fetched=(
            gettext_lazy("The tax account's transactions and balance"),
            gettext_lazy(
                "Receipts and totals of the employer declarations at company level (not per employee)"
            ),
            gettext_lazy("Read only: nothing is changed at Skatteverket"),
        ),
        requirements=(
            gettext_lazy("A signatory (firmatecknare) of the company logs in at Skatteverket with BankID"),
            gettext_lazy("The company has a tax account and is registered as an employer"),
        ),
        error_rules=(
            ErrorRule("", r"(?i)auktorisation saknas", _no_grant),
            ErrorRule("403", r"(?i)auktorisation saknas", _no_grant),
            ErrorRule(
                "3",
                r"",
                lambda match, area: _("Skatteverket has no tax account for the company's org number."),
            ),
            ErrorRule(
                "",
                r"(?i)required scopes are not authorized",
                lambda match, area: _(
                    "Skatteverket's gateway refused our application for this API. The platform's "
                    "administrator checks the API subscriptions in Skatteverket's developer portal."
                ),
            ),
        ),
        sandbox_api_path="/skatteverket",
        sandbox_auth_path="/skatteverket/oauth2/v1/sysorg/token",
    )
)
