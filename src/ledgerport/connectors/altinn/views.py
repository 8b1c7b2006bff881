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
from . import client, selectors, services
from .conf import NAME
from .forms import AltinnMethod, AltinnSettingsForm
from .skattekort import SkattekortForm, tax_cards_fetch

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


def _page(
    request: HttpRequest,
    company: Company,
    form: AltinnSettingsForm | None = None,
    **extra: Any,
) -> HttpResponse:
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
    context = {"form": form, "record": record, "served": True, "cards_form": SkattekortForm(), **extra}
    return _render(request, company, context)


def _tax_cards(request: HttpRequest, company: Company) -> HttpResponse:
    """ "Hent skattekort": the cards of the listed employees for the year, shown at once."""
    record = selectors.altinn_settings_of(company=company)
    cards_form = SkattekortForm(request.POST)
    extra: dict[str, Any] = {"cards_form": cards_form}
    if record is None:
        extra["cards_error"] = _("Save the settings before testing the login.")
    elif cards_form.is_valid():
        year = cards_form.cleaned_data["income_year"]
        try:
            extra["cards"] = tax_cards_fetch(
                company=company,
                record=record,
                income_year=year,
                employees=cards_form.cleaned_data["employees"],
            )
            extra["cards_year"] = year
            audit_record(
                request=request, action="view", company=company, target=record, detail=f"skattekort {year}"
            )
        except client.AltinnError as exc:
            extra["cards_error"] = exc.message
    return _page(request, company, **extra)


def altinn_settings(request: HttpRequest, company: Company) -> HttpResponse:
    if not _served(company):
        return _not_served(request, company)
    with translation.override(PAGE_LANGUAGE):
        if request.method != "POST":
            return _page(request, company)
        if request.POST.get("form") == "skattekort":
            return _tax_cards(request, company)
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
