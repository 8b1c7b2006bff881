"""What differs between providers: endpoints, scopes, limits, consent texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pyrate_limiter import Duration, Rate

from . import oauth, ratelimit


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    display_name: str
    authorize_path: str
    token_path: str
    scope: str
    rates: tuple[Rate, ...]
    # Whether the limit is per grant (Fortnox: per access token) or per endpoint for our
    # whole client (Spiris).
    limit_per_grant: bool
    authorize_extra: dict[str, str] = field(default_factory=dict)
    fetched: tuple[str | Promise, ...] = ()
    requirements: tuple[str | Promise, ...] = ()

    @property
    def conf(self) -> dict[str, str]:
        return settings.PROVIDERS[self.name]

    def endpoints(self) -> oauth.Endpoints:
        conf = self.conf
        return oauth.Endpoints(
            authorize_url=conf["auth_url"] + self.authorize_path,
            token_url=conf["auth_url"] + self.token_path,
            client_id=conf["client_id"],
            client_secret=conf["client_secret"],
            scope=self.scope,
            redirect_uri=settings.PUBLIC_URL + reverse("connectors:callback", args=[self.name]),
        )

    def rate_key(self, connection_id: int, path: str) -> str:
        if self.limit_per_grant:
            return f"{self.name}:{connection_id}"
        # Spiris counts per endpoint: /v2/vouchers/123 and /v2/vouchers/456 share /v2/vouchers.
        parts = [p for p in path.split("?")[0].split("/") if p and not p[0].isdigit()]
        return f"{self.name}:" + "/".join(parts[:2])


FORTNOX = ProviderSpec(
    name="fortnox",
    display_name="Fortnox",
    authorize_path="/auth",
    token_path="/token",
    scope="bookkeeping archive connectfile supplierinvoice invoice companyinformation settings",
    # Published: 25 per 5 s sliding window. No margin: permits count from the answer.
    rates=(Rate(25, Duration.SECOND * 5),),
    limit_per_grant=True,
    authorize_extra={"access_type": "offline"},
    fetched=(
        _("The general ledger: every voucher of each fiscal year, as in a SIE 4 file"),
        _("Documents attached to vouchers in Bokföring, Leverantörer and Fakturering"),
        _("Company information, to check that the right company is connected"),
    ),
    requirements=(
        _("The company has an integration licence in Fortnox"),
        _("A user who is system administrator in Fortnox approves the connection"),
        _("The company has the module Bokföring"),
    ),
)

SPIRIS = ProviderSpec(
    name="spiris",
    display_name="Spiris",
    authorize_path="/connect/authorize",
    token_path="/connect/token",
    # openid profile email: the ID token names who approved, for the consent record.
    scope="ea:api offline_access ea:accounting_readonly ea:purchase_readonly ea:sales_readonly openid profile email",
    rates=(Rate(600, Duration.MINUTE),),  # published: 600 per minute and endpoint
    limit_per_grant=False,
    authorize_extra={
        "prompt": "login",
        "acr_values": "service:44643EB1-3F76-4C1C-A672-402AE8085934 forceselectcompany:true",
    },
    fetched=(
        _("Vouchers with their rows for each fiscal year"),
        _("Attachments linked to vouchers, such as supplier invoices, and customer invoices"),
        _("Company settings, to check that the right company is connected"),
    ),
    requirements=(
        _("The user who approves has full program permission (Fullständig) for the company in Spiris"),
        _("The company has access to Bokföring in Spiris"),
    ),
)

OAUTH_PROVIDERS: dict[str, ProviderSpec] = {spec.name: spec for spec in (FORTNOX, SPIRIS)}


def spec_for(name: str) -> ProviderSpec:
    return OAUTH_PROVIDERS[name]


@cache
def limiter_for(name: str) -> ratelimit.SharedLimiter:
    """One limiter per provider and process; its buckets are shared across processes."""
    spec = spec_for(name)
    url = settings.RATE_LIMIT_URL
    if url.startswith("redis"):
        make = ratelimit.redis_buckets(url, prefix="ledgerport:ratelimit")
    else:
        make = ratelimit.sqlite_buckets(url.removeprefix("sqlite:///"))
    return ratelimit.SharedLimiter(list(spec.rates), make)
