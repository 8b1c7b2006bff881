"""A Norwegian company's VAT returns (mva-melding), in bokmål: the year's terms, a term's draft
with its reconciliation and validation, and the buttons that validate with the authority and
submit. Reads in `selectors`, writes in `services`; the authority only through the registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ledgerport.connectors.http import ProviderError
from ledgerport.connectors.providers import PersonLoginRequired
from ledgerport.mvamelding import ANNUAL, Term
from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view, in_company_language
from ledgerport.web.pages import company_page
from ledgerport.web.params import int_param

from . import feedback as feedback_service
from . import selectors, services
from .feedback import VatReturnRefused
from .models import VatReturn


def _return(company: Company, return_id: int) -> VatReturn:
    found = selectors.vat_return_get(company=company, pk=return_id)
    if found is None:
        raise Http404
    return found


def _detail_url(vat_return: VatReturn) -> str:
    return reverse("vatreturns:detail", args=[vat_return.company_id, vat_return.pk])


@require_GET
@company_view("work")
@in_company_language
def terms(request: HttpRequest, company: Company) -> HttpResponse:
    years = selectors.years(company=company)
    this_year = timezone.localdate().year
    year = int_param(request.GET, "year", minimum=2017, maximum=this_year + 1) or (
        years[0] if years else this_year
    )
    context = {
        "norwegian": company.country == services.COUNTRY,
        "year": year,
        "years": sorted(set(years) | {year}, reverse=True),
        "rows": selectors.term_rows(company=company, year=year),
    }
    return company_page(request, company, "vat", "vatreturns/terms.html", context)


@require_POST
@company_view("work")
@in_company_language
def compute(request: HttpRequest, company: Company) -> HttpResponse:
    year = int_param(request.POST, "year", minimum=2017, maximum=timezone.localdate().year + 1)
    number = int_param(request.POST, "term", minimum=ANNUAL, maximum=6)
    if year is None or number is None:
        messages.error(request, _("Choose a year and a term."))
        return redirect("vatreturns:terms", company.pk)
    try:
        vat_return = services.draft_compute(company=company, user=request.user, term=Term(year, number))
    except VatReturnRefused as exc:
        messages.error(request, _refusal(exc))
        return redirect(reverse("vatreturns:terms", args=[company.pk]) + f"?year={year}")
    messages.success(request, _("The draft was computed from the ledger."))
    return redirect(_detail_url(vat_return))


@require_GET
@company_view("work")
@in_company_language
def detail(request: HttpRequest, company: Company, return_id: int) -> HttpResponse:
    vat_return = _return(company, return_id)
    term = Term(vat_return.year, vat_return.term)
    context = {
        "vat_return": vat_return,
        "term": term,
        "difference": vat_return.total - vat_return.ledger_total,
    }
    return company_page(request, company, "vat", "vatreturns/detail.html", context)


def _refusal(exc: VatReturnRefused) -> str:
    return str(exc)  # a lazy message, rendered in the page's language


def _call(
    request: HttpRequest, vat_return: VatReturn, action: Callable[[str], Any], done: str
) -> HttpResponse:
    """Run an action that reaches the authority: a person's login is asked for when needed, and
    it comes back to the return's page; the provider's errors are shown, never a 500."""
    next_url = settings.PUBLIC_URL + _detail_url(vat_return)
    try:
        action(next_url)
    except PersonLoginRequired as exc:
        return redirect(exc.login_url)
    except VatReturnRefused as exc:
        messages.error(request, _refusal(exc))
    except ProviderError as exc:
        messages.error(
            request, _("The Tax Administration answered with an error: %(error)s") % {"error": exc}
        )
    else:
        messages.success(request, done)
    return redirect(_detail_url(vat_return))


@require_POST
@company_view("work")
@in_company_language
def authority_validate(request: HttpRequest, company: Company, return_id: int) -> HttpResponse:
    vat_return = _return(company, return_id)
    return _call(
        request,
        vat_return,
        lambda next_url: services.validate_with_authority(
            vat_return=vat_return, user=request.user, next_url=next_url
        ),
        _("The Tax Administration has validated the return."),
    )


@require_POST
@company_view("work")
@in_company_language
def submit(request: HttpRequest, company: Company, return_id: int) -> HttpResponse:
    vat_return = _return(company, return_id)
    return _call(
        request,
        vat_return,
        lambda next_url: services.submit(
            vat_return=vat_return, user=request.user, next_url=next_url, request=request
        ),
        _("The return has been submitted."),
    )


@require_POST
@company_view("work")
@in_company_language
def feedback(request: HttpRequest, company: Company, return_id: int) -> HttpResponse:
    vat_return = _return(company, return_id)
    return _call(
        request,
        vat_return,
        lambda next_url: feedback_service.feedback_fetch(
            vat_return=vat_return, user=request.user, next_url=next_url
        ),
        _("Feedback fetched."),
    )


@require_GET
@company_view("work")
def receipt(request: HttpRequest, company: Company, return_id: int) -> HttpResponse:
    vat_return = _return(company, return_id)
    if not vat_return.receipt_pdf:
        raise Http404
    response = HttpResponse(bytes(vat_return.receipt_pdf), content_type="application/pdf")
    name = f"kvittering-mva-{vat_return.year}-{vat_return.term}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
