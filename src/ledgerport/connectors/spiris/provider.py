"""Spiris in the provider registry: consent, limits, error sentences, client and sync.

Spiris answers 4002 alike for a subscription without the API module, a plan without a
module, an approval without a scope and a user without full rights
(../shared/research/bookkeeping-apis.md, the sandbox's error bodies); each needs a
different fix, so the rules also match the message.
"""

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
from .client import SpirisClient, id_token_claims, parse_error
from .sync import SpirisSync


def identify(api: ApiClient, token_set: TokenSet) -> ProviderIdentity:
    company = SpirisClient(api).company_settings()
    claims = id_token_claims(token_set.id_token)
    return ProviderIdentity(
        company.name, company.orgnr, company.company_id, claims.get("name", ""), claims.get("email", "")
    )


def sync(api: ApiClient, log: Log, connection: Connection) -> SpirisSync:
    return SpirisSync(
        SpirisClient(api),
        log,
        company_name=connection.external_company_name or connection.company.name,
        orgnr=connection.external_orgnr or connection.company.orgnr,
    )


def _module_missing(match: re.Match[str], area: str) -> str:
    return _(
        "The company's Spiris plan does not include %(area)s (module %(module)s). If the company "
        "needs it, the customer adds it in Spiris; then sync again."
    ) % {"area": area or _("the data the connection needs"), "module": match.group("module")}


SPEC = register(
    ProviderSpec(
        name="spiris",
        display_name="Spiris",
        logo_accent="purple",
        authorize_path="/connect/authorize",
        token_path="/connect/token",
        # openid profile email: the ID token names who approved, for the consent record.
        scope="ea:api offline_access ea:accounting_readonly ea:purchase_readonly ea:sales_readonly openid profile email",
        rates=(Rate(600, Duration.MINUTE),),  # published: 600 per minute and endpoint
        limit_per_grant=False,  # counted per endpoint, for our whole client
        authorize_extra={
            "prompt": "login",
            "acr_values": "service:44643EB1-3F76-4C1C-A672-402AE8085934 forceselectcompany:true",
        },
        parse_error=parse_error,
        identify=identify,
        sync=sync,
        client=SpirisClient,
        fetched=(
            gettext_lazy("Vouchers with their rows for each fiscal year"),
            gettext_lazy("Attachments linked to vouchers, such as supplier invoices, and customer invoices"),
            gettext_lazy("Company settings, to check that the right company is connected"),
        ),
        requirements=(
            gettext_lazy(
                "The user who approves has full program permission (Fullständig) for the company in Spiris"
            ),
            gettext_lazy("The company has access to Bokföring in Spiris"),
        ),
        error_rules=(
            ErrorRule(
                "4002",
                r"(?i)no access to module: api_standard",
                lambda match, area: _(
                    "The company's Spiris subscription does not include the API module. The customer enables it in Spiris."
                ),
            ),
            ErrorRule("4002", r"(?i)insufficient scope", not_approved("Spiris")),
            ErrorRule("4002", r"(?i)no access to module: (?P<module>\w+)", _module_missing),
            ErrorRule(
                "4002",
                r"(?i)full program permission|fullständig programbehörighet",
                lambda match, area: _(
                    "The Spiris user who approved the connection lacks full program permission "
                    "(Fullständig programbehörighet). Send a new activation link to a user who has it."
                ),
            ),
        ),
        sandbox_api_path="/spiris",
        sandbox_auth_path="/spiris/identity",
    )
)
