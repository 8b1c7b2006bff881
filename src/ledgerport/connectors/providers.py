"""The provider registry: what differs between providers, one `ProviderSpec` each.

Each provider is one package under `connectors/` whose `provider.py` registers its spec;
`ConnectorsConfig.ready()` imports them all (`autodiscover`). Everything else (views,
templates, tasks, the CLI, settings, model choices) asks this registry, so adding a
provider is adding a package — no other code names one.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import environ
import httpx
from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from pyrate_limiter import Rate

from . import oauth, ratelimit

if TYPE_CHECKING:
    from .http import ApiClient

_env = environ.Env()

# re.Match of the rule's pattern, the area asked for (may be "") -> the sentence for the user.
Describe = Callable[[re.Match[str], str], str]


@dataclass(frozen=True)
class ErrorRule:
    """A provider error recognised by its code and a pattern its message must match ("" = any)."""

    code: str
    pattern: str
    describe: Describe


@dataclass(frozen=True)
class ProviderIdentity:
    """Who the approved grant belongs to: the provider's company and the approving user."""

    company_name: str
    orgnr: str
    company_id: str
    approver_name: str
    approver_email: str


@dataclass(frozen=True)
class OmbudConsent:
    """Consent by appointing the platform as the company's agent (ombud) at an authority: the
    platform asks for a pre-filled deep link, the company's signatory signs there, and the
    grant is verified through the authority's API (no OAuth round trip, no per-company token)."""

    # (api, orgnr) -> the deep link into the authority's e-service, with the roles pre-filled.
    deep_link: Callable[[ApiClient, str], str]
    # (api, orgnr) -> the roles (described for people) the company has not given us; [] = granted.
    missing_roles: Callable[[ApiClient, str], list[str]]
    # The roles asked for, as the consent page names them.
    roles: tuple[str | Promise, ...] = ()
    # Who may appoint, for the consent page.
    signatory: str | Promise = ""


class PersonLoginRequired(Exception):
    """The call needs a person's own login at the provider (ID-porten for the Norwegian VAT
    return, say) and the user has none that is valid: send the user to `login_url` (it
    returns to `next_url`, given when raised from a view's call) and call again."""

    def __init__(self, login_url: str) -> None:
        super().__init__(login_url)
        self.login_url = login_url


@dataclass(frozen=True)
class VatReturnFeedback:
    """Where a filed VAT return stands at the authority, as the provider reports it."""

    reference: str  # the authority's id of the filing (the instance id)
    done: bool  # the authority has given its feedback (the files below are final)
    validation_xml: bytes = b""  # the validation result (valideringsresultat), b"" until done
    payment_xml: bytes = b""  # the payment information (betalingsinformasjon), b"" if none
    receipt_pdf: bytes = b""  # the receipt (kvittering), b"" if none


@dataclass(frozen=True)
class VatReturnFiling:
    """Filing a company's VAT return (the mva-melding) through the provider. Each call may
    raise PersonLoginRequired(login_url); errors of the provider raise ProviderError."""

    # (company, user, melding_xml, next_url) -> the authority's validation result (XML bytes).
    validate: Callable[[Any, Any, bytes, str], bytes]
    # (company, user, envelope_xml, melding_xml, next_url) -> the feedback so far.
    submit: Callable[[Any, Any, bytes, bytes, str], VatReturnFeedback]
    # (company, user, reference, next_url) -> the feedback so far (poll until done).
    feedback: Callable[[Any, Any, str, str], VatReturnFeedback]


@dataclass(frozen=True)
class EmployerReturnReceipt:
    """Where a month's employer return (the a-melding) stands at the authority."""

    reference: str  # the authority's id of the delivery (forsendelseId)
    message_id: str  # the return's own meldingsId, as the authority echoes it
    done: bool  # the feedback (tilbakemelding) has come
    accepted: bool  # the feedback accepts the return (False while not done)
    feedback: dict[str, Any] = field(default_factory=dict)  # the feedback as the provider returns it


@dataclass(frozen=True)
class EmployerReturnFiling:
    """Filing a month's employer return (the a-melding) through the provider, with the firm's
    machine login (no person involved). Errors of the provider raise ProviderError."""

    # (company, "YYYY-MM", the delivery as JSON (the `leveranse` object), idempotency key (a
    # UUID the caller keeps, so a retried call files once)) -> the receipt so far.
    submit: Callable[[Any, str, dict[str, Any], str], EmployerReturnReceipt]
    # (company, reference) -> the receipt so far (poll until done).
    feedback: Callable[[Any, str], EmployerReturnReceipt]


@dataclass(frozen=True)
class ProviderSpec:
    name: str  # the stored key (Connection.provider, ledger source) and the URL segment
    display_name: str
    # OAuth 2 consent (authorization code + PKCE), paths below the provider's auth URL.
    authorize_path: str
    token_path: str
    scope: str
    # Published rate limits (with our margin), and whether they count per grant or per
    # endpoint for our whole client.
    rates: tuple[Rate, ...]
    limit_per_grant: bool
    # (status, body) of an error response -> (code, message).
    parse_error: Callable[[httpx.Response], tuple[str, str]]
    # Who approved: read with the fresh grant right after the code exchange.
    identify: Callable[[ApiClient, oauth.TokenSet], ProviderIdentity]
    # The sync entry point, (api, log: sync_base.Log, connection) -> sync_base.ProviderSync:
    # the provider half of a run (None: the provider is not synced). Typed loosely because
    # sync_base and models import this module.
    sync: Callable[[ApiClient, Any, Any], Any] | None = None
    # The provider's API client on a connection's ApiClient (for scripts and the shell).
    client: Callable[[ApiClient], Any] | None = None
    authorize_extra: dict[str, str] = field(default_factory=dict)
    # The limits count for our whole client, every grant and endpoint together.
    limit_per_client: bool = False
    # The consent page: what is fetched, what the customer needs.
    fetched: tuple[str | Promise, ...] = ()
    requirements: tuple[str | Promise, ...] = ()
    # Errors that need a specific sentence; the first match wins (messages.describe).
    error_rules: tuple[ErrorRule, ...] = ()
    # The logo's colour: a palette modifier of `.provider-logo` in app.css.
    logo_accent: str = ""
    # Consent other than OAuth: appointment as ombud (then authorize/token paths and
    # `identify` are unused).
    ombud: OmbudConsent | None = None
    # A connection's API client when it does not use the connection's own OAuth tokens (the
    # firm's client-credentials token, say): connection id -> ApiClient.
    api_client: Callable[[int], ApiClient] | None = None
    # Whether the sync fills the ledger (and documents) or other data (the tax account, say).
    provides_ledger: bool = True
    # Where the local sandbox serves the provider (the default base URLs).
    sandbox_api_path: str = ""
    sandbox_auth_path: str = ""
    # The countries whose companies it serves (ISO codes; () = every country).
    countries: tuple[str, ...] = ()
    # Connected by settings the firm enters on a page of the package rather than by a consent
    # link (no "Activate" for it): (request, company) -> the settings page (GET, POST), and
    # (request, company) -> "test the login" (POST). The company is scoped with "work".
    settings_view: Callable[..., Any] | None = None
    settings_test_view: Callable[..., Any] | None = None
    # Filing returns with the authority the provider reaches (None: it files none).
    vat_return: VatReturnFiling | None = None
    employer_return: EmployerReturnFiling | None = None
    # A person's own login at the provider (the login_url of PersonLoginRequired): (request,
    # company) -> the redirect to the login (`connectors:person_login`, "work"), and (request)
    # -> the return from it (`connectors:person_login_return`), which sends the user on.
    person_login_view: Callable[..., Any] | None = None
    person_login_return_view: Callable[..., Any] | None = None

    @property
    def has_settings(self) -> bool:
        return self.settings_view is not None

    def serves(self, country: str) -> bool:
        return not self.countries or country in self.countries

    @property
    def env_prefix(self) -> str:
        """`<PREFIX>_API_URL`, `_AUTH_URL`, `_CLIENT_ID`, `_CLIENT_SECRET`, `_CLIENT_CERT`, …"""
        return self.name.upper()

    @property
    def can_sync(self) -> bool:
        return self.sync is not None

    @property
    def consent(self) -> str:
        """ "oauth" or "ombud": which consent pages the activation link opens."""
        return "ombud" if self.ombud is not None else "oauth"

    @property
    def conf(self) -> dict[str, str]:
        """Base URLs and client credentials: the environment (defaults: the sandbox's
        development client), then `settings.PROVIDERS[name]` (tests point it elsewhere)."""
        prefix = self.env_prefix
        sandbox = settings.SANDBOX_URL
        auth_default = sandbox + self.sandbox_auth_path if self.sandbox_auth_path else ""
        conf = {
            "api_url": _env.str(f"{prefix}_API_URL", default=sandbox + self.sandbox_api_path).rstrip("/"),
            "auth_url": _env.str(f"{prefix}_AUTH_URL", default=auth_default).rstrip("/"),
            "client_id": _env.str(f"{prefix}_CLIENT_ID", default="ledgerport-dev"),
            "client_secret": _env.str(f"{prefix}_CLIENT_SECRET", default=f"{self.name}-dev-secret"),
            "client_cert": _env.str(f"{prefix}_CLIENT_CERT", default=""),
            "client_key": _env.str(f"{prefix}_CLIENT_KEY", default=""),
            "ca_cert": _env.str(f"{prefix}_CA_CERT", default=""),
        }
        conf.update(settings.PROVIDERS.get(self.name, {}))
        return conf

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
        if self.limit_per_client:
            return self.name
        if self.limit_per_grant:
            return f"{self.name}:{connection_id}"
        # Counted per endpoint: /v2/vouchers/123 and /v2/vouchers/456 share /v2/vouchers.
        parts = [p for p in path.split("?")[0].split("/") if p and not p[0].isdigit()]
        return f"{self.name}:" + "/".join(parts[:2])


_registry: dict[str, ProviderSpec] = {}


def register(spec: ProviderSpec) -> ProviderSpec:
    """Add a provider (from its package's `provider.py`); registering the same spec again is a no-op."""
    known = _registry.get(spec.name)
    if known is not None and known is not spec:
        raise ValueError(f"provider {spec.name!r} is registered twice")
    _registry[spec.name] = spec
    return spec


def get(name: str) -> ProviderSpec:
    """The provider's spec; KeyError for a name no package registered."""
    return _registry[name]


def display_name(name: str) -> str:
    """The provider's name for people; a name no package registers (any longer) shows as it is."""
    spec = _registry.get(name)
    return spec.display_name if spec is not None else name


def all() -> list[ProviderSpec]:
    """Every registered provider, in the order shown to users (by display name)."""
    return sorted(_registry.values(), key=lambda spec: spec.display_name.lower())


def names() -> list[str]:
    return [spec.name for spec in all()]


def sync_names() -> list[str]:
    """The providers data can be synced from (the ledger, or other data)."""
    return [spec.name for spec in all() if spec.can_sync]


def ledger_sync_names() -> list[str]:
    """The providers a ledger and documents can be synced from."""
    return [spec.name for spec in all() if spec.can_sync and spec.provides_ledger]


def sync_display_names() -> str:
    """The providers a ledger is synced from, for a sentence: "A, B or C" (translated)."""
    return get_text_list(
        [spec.display_name for spec in all() if spec.can_sync and spec.provides_ledger], _("or")
    )


def vat_return_filing(country: str) -> VatReturnFiling | None:
    """How a company of the country files its VAT return (the first provider that can)."""
    return next((s.vat_return for s in all() if s.vat_return and s.serves(country)), None)


def employer_return_filing(country: str) -> EmployerReturnFiling | None:
    """How a company of the country files its employer return (the first provider that can)."""
    return next((s.employer_return for s in all() if s.employer_return and s.serves(country)), None)


def choices() -> list[tuple[str, str]]:
    """Model/form choices (a callable, so a new provider needs no migration)."""
    return [(spec.name, spec.display_name) for spec in all()]


def autodiscover(package: str = __package__ or "ledgerport.connectors") -> list[ProviderSpec]:
    """Import `<package>.<sub>.provider` for each subpackage that has one; returns their specs.

    A module imported before (its spec since removed from the registry, say by a test)
    registers its `SPEC` again."""
    found = []
    root = importlib.import_module(package)
    for info in pkgutil.iter_modules(root.__path__):
        if not info.ispkg:
            continue
        name = f"{package}.{info.name}.provider"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        found.append(register(module.SPEC))
    return found


@cache
def limiter_for(name: str) -> ratelimit.SharedLimiter:
    """One limiter per provider and process; its buckets are shared across processes."""
    spec = get(name)
    url = settings.RATE_LIMIT_URL
    if url.startswith("redis"):
        make = ratelimit.redis_buckets(url, prefix="ledgerport:ratelimit")
    else:
        make = ratelimit.sqlite_buckets(url.removeprefix("sqlite:///"))
    return ratelimit.SharedLimiter(list(spec.rates), make)
