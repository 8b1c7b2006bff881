"""One click on the tax-account page: a case from a difference (the firm's)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ledgerport.analysis.tax_account_check import tax_account_analysis
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import fiscal_year_get
from ledgerport.web.decorators import company_view

from .differences import case_from_difference as open_case


@require_POST
@company_view("work")
def case_from_difference(request: HttpRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    analysis = tax_account_analysis(company, fiscal_year)
    case, opened = open_case(
        company=company,
        user=request.user,  # type: ignore[arg-type]
        analysis=analysis,
        key=request.POST.get("key", ""),
        request=request,
    )
    if case is None:
        messages.error(request, _("The tax checks no longer find this difference."))
        return redirect("analysis:tax_account", company.pk, fiscal_year.pk)
    if opened:
        messages.success(request, _("A case was opened for the client; check the text and the recipients."))
    return redirect("cases:detail", company.pk, case.pk)
