"""The Altinn settings page of a Norwegian company (seed 004): thin views, in Norwegian bokmål."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ledgerport.audit.services import audit_record
from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page

from . import selectors, services
from .forms import AltinnSettingsForm
from .provider import SPEC

# The language of the page: a Norwegian company's people read bokmål.
PAGE_LANGUAGE = "nb"


def _not_served(request: HttpRequest, company: Company) -> HttpResponse:
    """Another country's company: Altinn is Norway's (the page says so, nothing is stored)."""
    if request.method == "POST":
        messages.error(request, _("Altinn is for Norwegian companies only."))
        return redirect("connectors:altinn_settings", company.pk)
    return company_page(request, company, "collect", "connectors/altinn_settings.html", {"served": False})


def _page(request: HttpRequest, company: Company, form: AltinnSettingsForm | None = None) -> HttpResponse:
    record = selectors.altinn_settings_of(company=company)
    if form is None:
        initial = {"method": "systemuser", "language": "nb"}
        if record is not None:
            initial = {
                "method": record.method,
                "system_id": record.system_id,
                "language": record.language,
                "contact_email": record.contact_email,
                "contact_mobile": record.contact_mobile,
            }
        form = AltinnSettingsForm(initial=initial, has_password=bool(record and record.has_password))
    context = {"form": form, "record": record, "served": True}
    return company_page(request, company, "collect", "connectors/altinn_settings.html", context)


@require_http_methods(["GET", "POST"])
@company_view("work")
def altinn_settings(request: HttpRequest, company: Company) -> HttpResponse:
    if not SPEC.serves(company.country):
        return _not_served(request, company)
    with translation.override(PAGE_LANGUAGE):
        if request.method == "GET":
            return _page(request, company)
        record = selectors.altinn_settings_of(company=company)
        form = AltinnSettingsForm(request.POST, has_password=bool(record and record.has_password))
        if not form.is_valid():
            return _page(request, company, form)
        saved = services.settings_save(user=request.user, company=company, data=form.cleaned_data)
        audit_record(
            request=request, action="altinn_settings", company=company, target=saved, detail=saved.method
        )
        messages.success(request, _("The Altinn settings are saved."))
    return redirect("connectors:altinn_settings", company.pk)


@require_POST
@company_view("work")
def altinn_test(request: HttpRequest, company: Company) -> HttpResponse:
    """ "Test innlogging" of the saved settings."""
    if not SPEC.serves(company.country):
        return _not_served(request, company)
    record = selectors.altinn_settings_of(company=company)
    with translation.override(PAGE_LANGUAGE):
        if record is None:
            messages.error(request, _("Save the settings before testing the login."))
        else:
            result = services.login_test(company=company, record=record)
            audit_record(
                request=request,
                action="altinn_test",
                company=company,
                target=record,
                detail="ok" if result.ok else "failed",
            )
    return redirect("connectors:altinn_settings", company.pk)
