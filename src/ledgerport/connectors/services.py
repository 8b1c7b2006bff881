"""Writes for connectors: activation links, the consent round trip, connection status."""

from __future__ import annotations

import logging

from authlib.common.security import generate_token
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport.identity.models import User
from ledgerport.tenancy.models import Company

from . import clients, messages, oauth, providers, tokens
from .http import ProviderError
from .models import ActivationLink, Connection, ConnectionStatus
from .providers import ProviderIdentity

log = logging.getLogger(__name__)


class ConsentError(Exception):
    """The consent could not be completed; the message is for the person approving."""


def activation_link_create(*, user: User, company: Company, provider: str) -> ActivationLink:
    """A fresh consent link (the caller has checked the user may work on the company)."""
    providers.get(provider)  # unknown providers raise KeyError before anything is written
    with transaction.atomic():
        Connection.objects.get_or_create(company=company, provider=provider)
        return ActivationLink.objects.create(company=company, provider=provider, created_by=user)


def activation_link_url(link: ActivationLink) -> str:
    return settings.PUBLIC_URL + reverse("connectors:consent", args=[link.token])


def activation_link_email(*, link: ActivationLink, to: str, sender: User) -> None:
    spec = providers.get(link.provider)
    subject = _("Approve the connection between %(provider)s and %(firm)s") % {
        "provider": spec.display_name,
        "firm": link.company.firm.name,
    }
    body = _(
        "Hello,\n\n%(sender)s at %(firm)s asks you to approve that %(company)s's data in %(provider)s "
        "is shared with them through Ledgerport. Read what is fetched and approve here:\n\n%(url)s\n\n"
        "The link is valid until %(expires)s."
    ) % {
        "sender": sender,
        "firm": link.company.firm.name,
        "company": link.company.name,
        "provider": spec.display_name,
        "url": activation_link_url(link),
        "expires": timezone.localtime(link.expires_at).strftime("%Y-%m-%d"),
    }
    send_mail(subject, body, None, [to])


def consent_begin(*, link: ActivationLink) -> str:
    """Bind a new OAuth state and PKCE verifier to the link; the provider's authorize URL."""
    if not link.is_usable:
        raise ConsentError(_("This link has expired or has already been used. Ask for a new one."))
    spec = providers.get(link.provider)
    link.oauth_state = generate_token(40)
    link.code_verifier = oauth.new_verifier()
    link.save(update_fields=["oauth_state", "code_verifier"])
    return oauth.authorization_url(
        spec.endpoints(), state=link.oauth_state, code_verifier=link.code_verifier, **spec.authorize_extra
    )


def _identify(provider: str, token_set: oauth.TokenSet, connection_id: int) -> ProviderIdentity:
    api = clients.api_client(
        provider, connection_id=connection_id, token=lambda: token_set.access_token, refresh=lambda: None
    )
    try:
        return providers.get(provider).identify(api, token_set)
    finally:
        api.close()


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def consent_complete(*, provider: str, state: str, code: str, error: str, ip: str | None) -> Connection:
    """The provider's callback: exchange the code, check the company, store the grant."""
    link = (
        ActivationLink.objects.select_related("company").filter(provider=provider, oauth_state=state).first()
    )
    if link is None or not state:
        raise ConsentError(
            _("We could not match this approval to a link. Start again from the link you received.")
        )
    if not link.is_usable:
        raise ConsentError(_("This link has expired or has already been used. Ask for a new one."))
    if error:
        raise ConsentError(
            _("The approval was cancelled in %(provider)s.")
            % {"provider": providers.get(provider).display_name}
        )
    company = link.company
    connection = Connection.objects.get(company=company, provider=provider)
    try:
        token_set = oauth.exchange_code(
            providers.get(provider).endpoints(), code=code, code_verifier=link.code_verifier
        )
        identity = _identify(provider, token_set, connection.pk)
    except ProviderError as exc:
        # A forged or stale code must not break a working grant: only a connection that is
        # not active yet shows the failure as its status.
        if connection.status == ConnectionStatus.ACTIVE:
            raise ConsentError(
                _("%(reason)s The existing connection is unchanged.")
                % {"reason": messages.describe(provider, exc)}
            ) from exc
        _set_status(connection, ConnectionStatus.ERROR, messages.describe(provider, exc))
        raise ConsentError(messages.describe(provider, exc)) from exc
    if _digits(identity.orgnr)[-10:] != company.orgnr[-10:]:
        message = _(
            "The company you approved in %(provider)s, %(their_name)s (%(their_orgnr)s), is not "
            "%(our_name)s (%(our_orgnr)s). Approve again and choose the right company."
        ) % {
            "provider": providers.get(provider).display_name,
            "their_name": identity.company_name,
            "their_orgnr": identity.orgnr or "–",
            "our_name": company.name,
            "our_orgnr": company.orgnr_display,
        }
        log.info("Org number mismatch for connection %s", connection.pk)
        raise ConsentError(message)
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        connection.status = ConnectionStatus.ACTIVE
        connection.status_message = ""
        connection.external_company_id = identity.company_id
        connection.external_company_name = identity.company_name
        connection.external_orgnr = identity.orgnr
        connection.consent_name = identity.approver_name
        connection.consent_email = identity.approver_email
        connection.consent_at = timezone.now()
        connection.consent_ip = ip
        connection.save()
        tokens.store_tokens(connection, token_set)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return connection


def _set_status(connection: Connection, status: str, message: str) -> None:
    Connection.objects.filter(pk=connection.pk).update(
        status=status, status_message=message, updated_at=timezone.now()
    )
