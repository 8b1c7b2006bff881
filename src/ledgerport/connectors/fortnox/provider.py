"""Fortnox in the provider registry: consent, limits, error sentences, client and sync."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyrate_limiter import Duration, Rate

from ..http import ApiClient
from ..messages import not_approved
from ..models import Connection
from ..oauth import TokenSet
from ..providers import ErrorRule, ProviderIdentity, ProviderSpec, register
from ..sync_base import Log
from .client import FortnoxClient, parse_error
from .sync import FortnoxSync


def identify(api: ApiClient, token_set: TokenSet) -> ProviderIdentity:
    client = FortnoxClient(api)
    info = client.company_information()
    me = client.me()
    return ProviderIdentity(info.name, info.orgnr, info.tenant_id, me.name, me.email)


def sync(api: ApiClient, log: Log, connection: Connection) -> FortnoxSync:
    return FortnoxSync(FortnoxClient(api), log)


def _licence(match: re.Match[str], area: str) -> str:
    if area:
        return _(
            "The company has no Fortnox licence for %(area)s. If the company uses it, the customer "
            "adds the licence in Fortnox; then sync again."
        ) % {"area": area}
    return _("The company lacks a licence for a module the connection needs (such as Bokföring) in Fortnox.")


def _register_right(match: re.Match[str], area: str) -> str:
    return _(
        "The Fortnox user who approved the connection may not read %(register)s. The company's "
        "Fortnox administrator gives that user the right; then sync again."
    ) % {"register": match.group("register")}


SPEC = register(
    ProviderSpec(
        name="fortnox",
        display_name="Fortnox",
        logo_accent="green",
        authorize_path="/auth",
        token_path="/token",
        scope="bookkeeping archive connectfile supplierinvoice invoice companyinformation settings",
        # Published: 25 per 5 s sliding window. No margin: permits count from the answer.
        rates=(Rate(25, Duration.SECOND * 5),),
        limit_per_grant=True,  # counted per access token
        authorize_extra={"access_type": "offline"},
        parse_error=parse_error,
        identify=identify,
        sync=sync,
        client=FortnoxClient,
        fetched=(
            gettext_lazy("The general ledger: every voucher of each fiscal year, as in a SIE 4 file"),
            gettext_lazy("Documents attached to vouchers in Bokföring, Leverantörer and Fakturering"),
            gettext_lazy("Company information, to check that the right company is connected"),
        ),
        requirements=(
            gettext_lazy("The company has an integration licence in Fortnox"),
            gettext_lazy("A user who is system administrator in Fortnox approves the connection"),
            gettext_lazy("The company has the module Bokföring"),
        ),
        error_rules=(
            ErrorRule(
                "2001103",
                "",
                lambda match, area: _(
                    "The company has no integration licence in Fortnox. The customer orders one in Fortnox, "
                    "then approves the connection again."
                ),
            ),
            ErrorRule("2001101", "", _licence),
            ErrorRule("2000663", "", not_approved("Fortnox")),
            ErrorRule("2003275", r"(?i)behörighet för (?P<register>[^.]+)", _register_right),
        ),
        sandbox_api_path="/fortnox",
        sandbox_auth_path="/fortnox/oauth-v1",
    )
)
