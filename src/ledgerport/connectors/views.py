"""Thin views: the firm's activation dialog, the public consent pages and the sync partials."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ledgerport.ledger.models import FiscalYear
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import fiscal_year_get
from ledgerport.web.decorators import company_view
from ledgerport.web.requests import AppRequest

from . import ombud, providers, selectors, services, sync_runs, sync_selectors
from .fiscal_years import period_json
from .http import ProviderError
from .messages import describe


def _provider_or_404(provider: str) -> None:
    if provider not in providers.names():
        raise Http404


@require_POST
@company_view("work")
def activate(request: AppRequest, company: Company, provider: str) -> HttpResponse:
    """ "Aktivera": a new link, shown in a dialog to copy or e-mail."""
    _provider_or_404(provider)
    if providers.get(provider).has_settings:  # connected on its settings page, not by a link
        raise Http404
    link = services.activation_link_create(user=request.user, company=company, provider=provider)
    context = {
        "company": company,
        "link": link,
        "url": services.activation_link_url(link),
        "spec": providers.get(provider),
    }
    return render(request, "connectors/_activation_dialog.html", context)


@require_POST
@company_view("work")
def email_link(request: AppRequest, company: Company, link_id: int) -> HttpResponse:
    link = selectors.activation_link_get(user=request.user, company=company, pk=link_id)
    address = request.POST.get("email", "").strip()
    context = {
        "company": company,
        "link": link,
        "url": services.activation_link_url(link),
        "spec": providers.get(link.provider),
    }
    try:
        validate_email(address)
    except ValidationError:
        context["email_error"] = _("Enter a valid e-mail address.")
        return render(request, "connectors/_activation_dialog.html", context, status=422)
    services.activation_link_email(link=link, to=address, sender=request.user)
    context["email_sent_to"] = address
    return render(request, "connectors/_activation_dialog.html", context)


@login_not_required
@require_GET
def consent(request: HttpRequest, token: str) -> HttpResponse:
    """The public explanation page the link opens, with "Ge behörighet"."""
    link = selectors.activation_link_by_token(token)
    if link is None:
        raise Http404
    return render(request, "connectors/consent.html", {"link": link, "spec": providers.get(link.provider)})


@login_not_required
@require_POST
def authorize(request: HttpRequest, token: str) -> HttpResponse:
    """ "Ge behörighet" (a new window): to the provider's consent, or the authority's
    pre-filled ombud appointment."""
    link = selectors.activation_link_by_token(token)
    if link is None:
        raise Http404
    spec = providers.get(link.provider)
    try:
        if spec.ombud is not None:
            return redirect(ombud.deep_link(link))
        return redirect(services.consent_begin(link=link))
    except (services.ConsentError, ombud.OmbudError) as exc:
        context = {"spec": spec, "error": str(exc)}
        return render(request, "connectors/consent_result.html", context, status=410)


@login_not_required
@require_POST
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """ "Jag har skrivit under": the ombud appointment is checked at the authority."""
    link = selectors.activation_link_by_token(token)
    if link is None or providers.get(link.provider).ombud is None:
        raise Http404
    spec = providers.get(link.provider)
    try:
        connection = ombud.consent_verify(link=link, ip=request.META.get("REMOTE_ADDR"))
    except ombud.OmbudError as exc:
        context = {"link": link, "spec": spec, "verify_error": str(exc)}
        return render(request, "connectors/consent.html", context, status=409)
    return render(request, "connectors/consent_result.html", {"spec": spec, "connection": connection})


@require_POST
@company_view("work")
def ombud_check(request: AppRequest, company: Company, provider: str) -> HttpResponse:
    """ "Kontrollera behörigheten" on the card: ask the authority now."""
    _provider_or_404(provider)
    connection = selectors.connection_of(company=company, provider=provider)
    # Only an ombud has an appointment to check; for the others the page is simply shown again.
    if connection is not None and providers.get(provider).ombud is not None:
        try:
            ombud.connection_check(connection)
        except (ProviderError, LookupError) as exc:
            messages.error(request, describe(provider, exc))
    return redirect("web:company_collect", company.pk)


@login_not_required
@require_GET
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    _provider_or_404(provider)
    spec = providers.get(provider)
    try:
        connection = services.consent_complete(
            provider=provider,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            error=request.GET.get("error", ""),
            ip=request.META.get("REMOTE_ADDR"),
        )
    except services.ConsentError as exc:
        return render(
            request, "connectors/consent_result.html", {"spec": spec, "error": str(exc)}, status=400
        )
    return render(request, "connectors/consent_result.html", {"spec": spec, "connection": connection})


# ----------------------------------------------------------------------------- sync partials


def _panel(
    request: HttpRequest, company: Company, provider: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {**sync_selectors.panel_context(company=company, provider=provider), "error": error}
    return render(request, "connectors/_sync_panel.html", context, status=status)


@require_GET
@company_view("work")
def sync_panel(request: HttpRequest, company: Company, provider: str) -> HttpResponse:
    """ "Synka två senaste åren" for one connection, with the latest run."""
    _provider_or_404(provider)
    return _panel(request, company, provider)


@require_POST
@company_view("work")
def sync_start(request: HttpRequest, company: Company, provider: str) -> HttpResponse:
    _provider_or_404(provider)
    connection = selectors.connection_of(company=company, provider=provider)
    if connection is None:
        return _panel(request, company, provider, error=_("The company is not connected."), status=409)
    try:
        sync_runs.sync_start(
            connection=connection,
            overwrite_uploaded_ledger=request.POST.get("overwrite") == "1",
            user=request.user,
        )
    except sync_runs.SyncRefused as exc:
        return _panel(request, company, provider, error=str(exc), status=409)
    return _panel(request, company, provider)


@require_GET
@company_view("work")
def sync_run(request: HttpRequest, company: Company, sync_run_id: int) -> HttpResponse:
    """The progress the partial polls while a run is queued or running."""
    run = selectors.sync_run_get(user=request.user, company=company, pk=sync_run_id)
    return render(request, "connectors/_sync_run.html", {"company": company, "run": run})


def _year(
    request: HttpRequest, company: Company, fiscal_year: FiscalYear, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {**sync_selectors.year_context(company=company, fiscal_year=fiscal_year), "error": error}
    return render(request, "connectors/_sync_year.html", context, status=status)


@require_GET
@company_view("work")
def sync_year(request: HttpRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    """ "Hämta data" / "Synka" for one fiscal year of "Inläst data"."""
    return _year(request, company, fiscal_year_get(company=company, pk=fiscal_year_id))


@require_POST
@company_view("work")
def sync_year_start(request: HttpRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    connections = sync_selectors.sync_connections(company=company)
    wanted = request.POST.get("provider")
    connection = next((c for c in connections if c.provider == wanted or not wanted), None)
    if connection is None:
        error = _("The company has no active connection to %(providers)s.") % {
            "providers": providers.sync_display_names()
        }
        return _year(request, company, fiscal_year, error=error, status=409)
    try:
        sync_runs.sync_start(
            connection=connection,
            fiscal_years=[period_json(fiscal_year)],
            overwrite_uploaded_ledger=request.POST.get("overwrite") == "1",
            user=request.user,
        )
    except sync_runs.SyncRefused as exc:
        return _year(request, company, fiscal_year, error=str(exc), status=409)
    return _year(request, company, fiscal_year)


def _settings_spec(provider: str) -> providers.ProviderSpec:
    spec = providers.get(provider) if provider in providers.names() else None
    if spec is None or spec.settings_view is None or spec.settings_test_view is None:
        raise Http404
    return spec


@require_http_methods(["GET", "POST"])
@company_view("work")
def provider_settings(request: AppRequest, company: Company, settings_provider: str) -> HttpResponse:
    """A provider's settings page (its package renders it)."""
    view = _settings_spec(settings_provider).settings_view
    assert view is not None
    response: HttpResponse = view(request, company)
    return response


@require_POST
@company_view("work")
def provider_settings_test(request: AppRequest, company: Company, settings_provider: str) -> HttpResponse:
    """ "Test the login" with the saved settings."""
    view = _settings_spec(settings_provider).settings_test_view
    assert view is not None
    response: HttpResponse = view(request, company)
    return response


# ----------------------------------------------------------------------------- a person's login


def _person_login_spec(provider: str) -> providers.ProviderSpec:
    try:
        spec = providers.get(provider)
    except KeyError:
        raise Http404 from None
    if spec.person_login_view is None or spec.person_login_return_view is None:
        raise Http404
    return spec


@require_GET
@company_view("work")
def person_login(request: AppRequest, company: Company, settings_provider: str) -> HttpResponse:
    """A person's own login at the provider (PersonLoginRequired's login_url); `?next=` is where
    the user returns."""
    view = _person_login_spec(settings_provider).person_login_view
    assert view is not None
    response: HttpResponse = view(request, company)
    return response


@require_GET
def person_login_return(request: AppRequest, provider: str) -> HttpResponse:
    """The provider's return from that login (the user is the one who started it: the pending
    login is in their session)."""
    view = _person_login_spec(provider).person_login_return_view
    assert view is not None
    response: HttpResponse = view(request)
    return response
