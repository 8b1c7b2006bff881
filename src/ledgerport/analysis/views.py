"""Thin views of the statements and the xlsx export; every one gets its company through `company_view`."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ledgerport.ledger import selectors
from ledgerport.taxes import services as taxes
from ledgerport.taxes.models import VatPeriod
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import fiscal_year_get
from ledgerport.web.decorators import company_view
from ledgerport.web.fragments import cached_html
from ledgerport.web.pages import company_page
from ledgerport.web.params import int_param

from . import charts, exports, reports, tax_account_check

# --- Statements -----------------------------------------------------------------------------


def _period(request: HttpRequest) -> int | None:
    period = int_param(request.GET, "period", minimum=100001, maximum=999912)
    return period if period is not None and 1 <= period % 100 <= 12 else None


def _statement(request: HttpRequest, company: Company, fiscal_year_id: int, kind: str) -> HttpResponse:
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    periods = reports.period_choices(fiscal_year)
    period = _period(request)
    period = period if period in dict(periods) else None

    def render_body() -> str:
        report = reports.report(fiscal_year, kind, period)
        chart = charts.monthly_result_chart(report.current, report.previous) if kind == reports.INCOME else ""
        context = {"company": company, "statement": report.statement, "chart": chart}
        return render_to_string("analysis/_statement_body.html", context)

    # The statement compares with the previous year: its ledger is part of the version too.
    previous = selectors.previous_year(fiscal_year)
    version = (kind, period, selectors.ledger_version(fiscal_year), selectors.ledger_version(previous))
    context = {
        "fiscal_year": fiscal_year,
        "fiscal_years": selectors.fiscal_year_list_loaded(company=company),
        "title": reports.TITLES[kind],
        "period": period,
        "kind": kind,
        "periods": periods,
        "body": cached_html("statement", (company.pk, *version), render_body),
    }
    return company_page(request, company, "analysis", "analysis/statement.html", context)


@require_GET
@company_view("work")
def balance_sheet(request: HttpRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    return _statement(request, company, fiscal_year_id, reports.BALANCE)


@require_GET
@company_view("work")
def income_statement(request: HttpRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    return _statement(request, company, fiscal_year_id, reports.INCOME)


# --- Exports --------------------------------------------------------------------------------


@require_GET
@company_view("work")
def export_xlsx(request: HttpRequest, company: Company, fiscal_year_id: int) -> FileResponse:
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    stream = exports.xlsx(fiscal_year)
    name = f"{company.orgnr}-{fiscal_year.start:%Y%m%d}-{fiscal_year.end:%Y%m%d}.xlsx"
    return FileResponse(stream, as_attachment=True, filename=name)


# --- Tax account ----------------------------------------------------------------------------


@require_GET
@company_view("work")
def tax_account(request: HttpRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    analysis = tax_account_check.tax_account_analysis(company, fiscal_year)
    context = {
        "fiscal_year": fiscal_year,
        "fiscal_years": selectors.fiscal_year_list_loaded(company=company),
        "kind": "taxes",
        "analysis": analysis,
        "vat_periods": VatPeriod.choices,
        "chart": charts.balance_lines_chart(
            [(m.month, m.tax_account, m.ledger) for m in analysis.months],
            (_("Tax account"), _("Account 1630")),
        )
        if analysis.months
        else "",
    }
    return company_page(request, company, "analysis", "analysis/tax_account.html", context)


@require_GET
@company_view("work")
def tax_account_export(request: HttpRequest, company: Company, fiscal_year_id: int) -> FileResponse:
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    stream = exports.tax_account_xlsx(tax_account_check.tax_account_analysis(company, fiscal_year))
    name = f"{company.orgnr}-{fiscal_year.start:%Y%m%d}-skattekonto.xlsx"
    return FileResponse(stream, as_attachment=True, filename=name)


@require_POST
@company_view("work")
def tax_profile_save(request: HttpRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    """The firm records the company's VAT period and size; the checks' due dates follow them."""
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    try:
        taxes.tax_profile_set(
            company,
            vat_period=request.POST.get("vat_period", ""),
            large=request.POST.get("large") == "on",
            annual_vat_with_income_return=request.POST.get("annual_vat_with_income_return") == "on",
            user=request.user,
        )
    except taxes.TaxProfileInvalid as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved. The due dates follow the recorded VAT period and size."))
    return redirect("analysis:tax_account", company.pk, fiscal_year.pk)
