"""A person's own ID-porten login for the mva-melding (the return takes no system user: research
§5.4): authorization code + PKCE through Authlib (`connectors/oauth.py`), the tokens sealed per
(user, firm), refreshed under the row's lock (ID-porten's refresh tokens are single-use), and
`PersonLoginRequired` when there is none that works.

The login starts at `connectors:person_login` (company scoped with "work") and comes back to
`connectors:person_login_return`, which returns the user to the `next` URL they came from.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.tenancy.models import Company

from .. import oauth, vault
from ..http import GrantRevoked, ProviderError
from ..providers import PersonLoginRequired
from .conf import NAME
from .models import PersonLogin
from .mva_conf import LOGIN_SCOPES, mva_conf

SESSION_KEY = "altinn_person_login"
PENDING_LIFETIME = 1800  # seconds a started login may take
PENDING_KEPT = 5  # started logins kept per session (several tabs)
# ID-porten's access tokens live 120 s: refresh when less than this is left.
EARLY = timedelta(seconds=20)


def login_url(company: Company, next_url: str) -> str:
    """Where PersonLoginRequired sends the user: the login, then back to `next_url`."""
    path = reverse("connectors:person_login", args=[company.pk, NAME])
    return f"{path}?{urlencode({'next': next_url})}" if next_url else path


def _endpoints() -> oauth.Endpoints:
    c = mva_conf()
    return oauth.Endpoints(
        authorize_url=c.idporten_url + "/authorize",
        token_url=c.idporten_url + "/token",
        client_id=c.client_id,
        client_secret=c.client_secret,
        scope=LOGIN_SCOPES,
        redirect_uri=settings.PUBLIC_URL + reverse("connectors:person_login_return", args=[NAME]),
    )


def _safe_next(request: HttpRequest, next_url: str, company: Company | None) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("web:company_overview", args=[company.pk]) if company else "/"


def start(request: HttpRequest, company: Company) -> HttpResponse:
    """Send the user to ID-porten, remembering (in the session) where to return."""
    state, verifier = secrets.token_urlsafe(24), oauth.new_verifier()
    now = time.time()
    pending = {
        key: value
        for key, value in (request.session.get(SESSION_KEY) or {}).items()
        if value.get("at", 0) + PENDING_LIFETIME > now
    }
    while len(pending) >= PENDING_KEPT:
        pending.pop(min(pending, key=lambda key: pending[key]["at"]))
    pending[state] = {
        "verifier": verifier,
        "next": _safe_next(request, request.GET.get("next", ""), company),
        "firm": company.firm_id,
        "company": company.pk,
        "at": now,
    }
    request.session[SESSION_KEY] = pending
    url = oauth.authorization_url(
        _endpoints(),
        state=state,
        code_verifier=verifier,
        nonce=secrets.token_urlsafe(16),
        acr_values="idporten-loa-substantial",
        ui_locales="nb",
    )
    return redirect(url)


@cache
def _template() -> Any:
    return engines["django"].from_string(
        Path(__file__).with_name("person_login.html").read_text(encoding="utf-8")
    )


def _failed(request: HttpRequest, message: str, next_url: str = "") -> HttpResponse:
    return HttpResponse(_template().render({"error": message, "next": next_url}, request), status=400)


def finish(request: HttpRequest) -> HttpResponse:
    """ID-porten's return: the code exchanged, the tokens stored, the user sent on."""
    pending = dict(request.session.get(SESSION_KEY) or {})
    entry = pending.pop(request.GET.get("state", ""), None)
    request.session[SESSION_KEY] = pending
    if entry is None or entry.get("at", 0) + PENDING_LIFETIME < time.time():
        return _failed(request, _("This ID-porten login has expired or was already used. Start it again."))
    if request.GET.get("error"):
        return _failed(request, _("The ID-porten login was cancelled."), entry["next"])
    try:
        tokens = oauth.exchange_code(
            _endpoints(), code=request.GET.get("code", ""), code_verifier=entry["verifier"]
        )
    except ProviderError as exc:
        return _failed(request, _("ID-porten refused the login: %(reason)s") % {"reason": exc.message})
    except httpx.HTTPError:
        return _failed(
            request, _("ID-porten could not be reached. Try again in a little while."), entry["next"]
        )
    login = login_store(user=request.user, firm_id=entry["firm"], tokens=tokens)
    company = Company.objects.for_user(request.user, "work").filter(pk=entry.get("company")).first()
    audit_record(request=request, action=Action.LOGIN, company=company, target=login, detail="ID-porten")
    return redirect(entry["next"])


def login_store(*, user: Any, firm_id: int, tokens: oauth.TokenSet) -> PersonLogin:
    """The person's tokens for the firm, replacing any earlier login."""
    values = {
        "access_token_ciphertext": vault.seal(tokens.access_token),
        "refresh_token_ciphertext": vault.seal(tokens.refresh_token),
        "access_expires_at": tokens.access_expires_at,
        "scope": tokens.scope,
        "logged_in_at": timezone.now(),
        "refreshed_at": None,
    }
    login, _created = PersonLogin.objects.update_or_create(user=user, firm_id=firm_id, defaults=values)
    return login


def _fresh(login: PersonLogin) -> bool:
    return login.access_expires_at > timezone.now() + EARLY


def access_token(*, user: Any, firm_id: int, login: str, force_refresh: bool = False) -> str:
    """The person's live ID-porten access token, refreshed when needed; PersonLoginRequired
    (with `login`, the URL to send them to) when there is no login or it cannot be refreshed."""
    found = PersonLogin.objects.filter(user=user, firm_id=firm_id).first()
    if found is None:
        raise PersonLoginRequired(login)
    if _fresh(found) and not force_refresh:
        return vault.unseal(found.access_token_ciphertext)
    seen = found.access_token_ciphertext
    try:
        with transaction.atomic():
            locked = PersonLogin.objects.select_for_update().filter(pk=found.pk).first()
            if locked is None:
                raise PersonLoginRequired(login)
            # Refreshed by another request while this one waited for the lock: use that token.
            if _fresh(locked) and (not force_refresh or locked.access_token_ciphertext != seen):
                return vault.unseal(locked.access_token_ciphertext)
            if not locked.refresh_token_ciphertext:
                raise GrantRevoked("no refresh token")
            tokens = oauth.refresh(_endpoints(), refresh_token=vault.unseal(locked.refresh_token_ciphertext))
            locked.access_token_ciphertext = vault.seal(tokens.access_token)
            if tokens.refresh_token:
                locked.refresh_token_ciphertext = vault.seal(tokens.refresh_token)
            locked.access_expires_at = tokens.access_expires_at
            locked.refreshed_at = timezone.now()
            locked.save()
            return tokens.access_token
    except GrantRevoked:
        # The login is over (ID-porten's authorization ended): the person logs in again.
        PersonLogin.objects.filter(pk=found.pk).delete()
        raise PersonLoginRequired(login) from None
