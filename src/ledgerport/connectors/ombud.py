"""Consent by appointment as ombud (a provider whose spec has `ombud`), and the grant checks.

The activation link's "Ge behörighet" asks the authority's API for a deep link with the roles
pre-filled; the company's signatory signs there, in a new window. Back on the link's page,
"Jag har skrivit under" verifies the grant through the same API and makes the connection
active. The grant is checked again before every sync, by "Kontrollera behörigheten" and daily
(beat), so one removed at the authority turns the connection red at the next check.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from . import clients, messages, providers
from .http import ApiClient, GrantRevoked, ProviderError
from .models import ActivationLink, Connection, ConnectionStatus

log = logging.getLogger(__name__)

# A connection in these states is checked by the daily check (pending: the signatory may have
# signed without returning to the link's page).
CHECKED = (
    ConnectionStatus.PENDING,
    ConnectionStatus.ACTIVE,
    ConnectionStatus.ERROR,
    ConnectionStatus.NEEDS_REAUTHORISATION,
)


class OmbudError(Exception):
    """The appointment cannot be started or verified; the message is for the person."""


def _spec(provider: str) -> providers.ProviderSpec:
    spec = providers.get(provider)
    if spec.ombud is None:
        raise ValueError(f"{provider} is not consented to by appointing an ombud")
    return spec


def deep_link(link: ActivationLink) -> str:
    """The authority's pre-filled appointment page for the link's company."""
    if not link.is_usable:
        raise OmbudError(_("This link has expired or has already been used. Ask for a new one."))
    spec = _spec(link.provider)
    assert spec.ombud is not None
    connection, _created = Connection.objects.get_or_create(company=link.company, provider=link.provider)
    api = clients.for_connection(connection)
    try:
        return spec.ombud.deep_link(api, link.company.orgnr)
    except (ProviderError, LookupError) as exc:
        log.warning("No deep link for connection %s: %s", connection.pk, exc)
        raise OmbudError(messages.describe(link.provider, exc)) from exc
    finally:
        api.close()


def _missing_message(provider: str, missing: list[str]) -> str:
    return _(
        "%(provider)s has no appointment of us as ombud with %(roles)s. A signatory of the company "
        "appoints us through a new activation link."
    ) % {"provider": providers.get(provider).display_name, "roles": get_text_list(missing, _("and"))}


def connection_check(connection: Connection, api: ApiClient | None = None) -> list[str]:
    """Ask the authority which roles the company has given us and set the status: active when
    all are there, "needs new approval" when any is missing. Returns the missing roles.
    A provider error leaves the status as it is and is raised. `api`: a sync's own client (its
    requests are counted in the run); else one is made for the check."""
    spec = _spec(connection.provider)
    assert spec.ombud is not None
    own = api is None
    api = api or clients.for_connection(connection)
    try:
        missing = spec.ombud.missing_roles(api, connection.company.orgnr)
    finally:
        if own:
            api.close()
    with transaction.atomic():
        current = Connection.objects.select_for_update().get(pk=connection.pk)
        if missing:
            if current.status != ConnectionStatus.PENDING:
                current.status = ConnectionStatus.NEEDS_REAUTHORISATION
                current.status_message = _missing_message(connection.provider, missing)
        elif current.status != ConnectionStatus.ACTIVE:
            current.status = ConnectionStatus.ACTIVE
            current.status_message = ""
            current.external_orgnr = current.external_orgnr or connection.company.orgnr
            current.external_company_name = current.external_company_name or connection.company.name
            current.consent_at = current.consent_at or timezone.now()
        current.save()
    connection.refresh_from_db()
    return missing


def sync_check(connection: Connection, api: ApiClient | None = None) -> None:
    """Before a sync: the grant must be there (raises GrantRevoked after setting the status)."""
    if missing := connection_check(connection, api):
        raise GrantRevoked(_missing_message(connection.provider, missing))


def consent_verify(*, link: ActivationLink, ip: str | None) -> Connection:
    """ "Jag har skrivit under": verify the grant and record the consent on the link."""
    if not link.is_usable:
        raise OmbudError(_("This link has expired or has already been used. Ask for a new one."))
    connection, _created = Connection.objects.get_or_create(company=link.company, provider=link.provider)
    try:
        missing = connection_check(connection)
    except (ProviderError, LookupError) as exc:
        raise OmbudError(messages.describe(link.provider, exc)) from exc
    if missing:
        raise OmbudError(
            _(
                "%(provider)s has not registered the appointment yet (missing: %(roles)s). Sign at "
                "%(provider)s in the window that opened, then check again."
            )
            % {
                "provider": providers.get(link.provider).display_name,
                "roles": get_text_list(missing, _("and")),
            }
        )
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(consent_at=timezone.now(), consent_ip=ip)
        ActivationLink.objects.filter(pk=link.pk).update(used_at=timezone.now())
    connection.refresh_from_db()
    return connection


def check_all() -> dict[str, int]:
    """The daily check of every ombud connection (beat). Returns counts by outcome."""
    names = [spec.name for spec in providers.all() if spec.ombud is not None]
    counts = {"granted": 0, "missing": 0, "failed": 0}
    for connection in Connection.objects.filter(
        provider__in=names, status__in=CHECKED, company__deleted_at__isnull=True
    ).select_related("company"):
        try:
            counts["missing" if connection_check(connection) else "granted"] += 1
        except (ProviderError, LookupError):
            log.warning("Ombud check of connection %s failed", connection.pk, exc_info=True)
            counts["failed"] += 1
    return counts
