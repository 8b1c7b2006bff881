"""The Altinn settings page of a Norwegian company (seed 004), in Norwegian bokmål.

Reached through `connectors:provider_settings` / `provider_settings_test`, which scope the
company with "work" and hand it here (`ProviderSpec.settings_view`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext as _

from ledgerport.audit.services import audit_record
from ledgerport.tenancy.models import Company
from ledgerport.web.pages import visible_tabs

from .. import providers
from . import selectors, services
from .conf import NAME
from .forms import AltinnMethod, AltinnSettingsForm

# The language of the page: a Norwegian company's people read bokmål.
PAGE_LANGUAGE = "nb"


@cache
def _template() -> Any:
    # The package keeps its page: no file outside it names the provider.
    return engines["django"].from_string(
        Path(__file__).with_name("settings.html").read_text(encoding="utf-8")
    )


def _render(request: HttpRequest, company: Company, context: dict[str, Any]) -> HttpResponse:
    base = {"company": company, "tabs": visible_tabs(request, company), "active": "collect", "provider": NAME}
    return HttpResponse(_template().render({**base, **context}, request))


def _back(company: Company) -> HttpResponse:
    return redirect("connectors:provider_settings", company.pk, NAME)


def _served(company: Company) -> bool:
    return providers.get(NAME).serves(company.country)


def _not_served(request: HttpRequest, company: Company) -> HttpResponse:
    """Another country's company: Altinn is Norway's (the page says so, nothing is stored)."""
    if request.method == "POST":
        messages.error(request, _("Altinn is for Norwegian companies only."))
        return _back(company)
    return _render(request, company, {"served": False})


def _page(request: HttpRequest, company: Company, form: AltinnSettingsForm | None = None) -> HttpResponse:
    record = selectors.altinn_settings_of(company=company)
    if form is None:
        initial: dict[str, Any] = {"method": AltinnMethod.SYSTEM_USER, "language": PAGE_LANGUAGE}
        if record is not None:
            initial = {
                "method": record.method,
                "system_id": record.account_id,
                "language": record.language,
                "contact_email": record.contact_email,
                "contact_mobile": record.contact_phone,
            }
        form = AltinnSettingsForm(initial=initial, has_password=bool(record and record.has_secret))
    return _render(request, company, {"form": form, "record": record, "served": True})


def altinn_settings(request: HttpRequest, company: Company) -> HttpResponse:
    if not _served(company):
        return _not_served(request, company)
    with translation.override(PAGE_LANGUAGE):
        if request.method != "POST":
            return _page(request, company)
        record = selectors.altinn_settings_of(company=company)
        form = AltinnSettingsForm(request.POST, has_password=bool(record and record.has_secret))
        if not form.is_valid():
            return _page(request, company, form)
        saved = services.settings_save(user=request.user, company=company, data=form.cleaned_data)
        audit_record(
            request=request, action="settings_save", company=company, target=saved, detail=saved.method
        )
        messages.success(request, _("The Altinn settings are saved."))
    return _back(company)


def altinn_test(request: HttpRequest, company: Company) -> HttpResponse:
    """ "Test innlogging" of the saved settings."""
    if not _served(company):
        return _not_served(request, company)
    record = selectors.altinn_settings_of(company=company)
    with translation.override(PAGE_LANGUAGE):
        if record is None:
            messages.error(request, _("Save the settings before testing the login."))
        else:
            result = services.login_test(company=company, record=record)
            audit_record(
                request=request,
                action="settings_test",
                company=company,
                target=record,
                detail="ok" if result.ok else "failed",
            )
    return _back(company)
