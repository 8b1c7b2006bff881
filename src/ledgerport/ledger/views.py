"""Thin views of the ledger pages; every one gets its company through `company_view`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import fiscal_year_get
from ledgerport.web.decorators import company_view
from ledgerport.web.fragments import cached_html
from ledgerport.web.pages import company_page
from ledgerport.web.params import int_param
from ledgerport.web.requests import AppRequest

from . import account_pages, selectors, services, sie_export
from .models import ImportStatus, LedgerImport, Voucher
from .uploads import SizeLimitHandler

# --- Load data: upload, progress, confirm ---------------------------------------------------


def upload_context(company: Company) -> dict[str, Any]:
    services.sie_import_fail_stale(company=company)
    imports = selectors.ledger_import_recent(company=company)
    return {
        "company": company,
        "imports": imports,
        "current": imports[0] if imports and not imports[0].finished else None,
        "max_bytes": settings.LEDGER_SIE_MAX_UPLOAD_BYTES,
        "takes_saft": company.country == "NO",  # a Norwegian company's books come as SAF-T too
    }


def _status(request: AppRequest, company: Company, job: LedgerImport) -> HttpResponse:
    years = selectors.ledger_import_years(job)
    return render(request, "ledger/_import_status.html", {"company": company, "job": job, "job_years": years})


def _answer(request: AppRequest, company: Company, job: LedgerImport) -> HttpResponse:
    """After a change to an import: its status for htmx, else back to the Collect tab."""
    if request.htmx:
        return _status(request, company, job)
    return redirect("web:company_collect", company_id=company.pk)


@csrf_exempt  # the CSRF check runs in _receive_upload, after the size limit is in place
@require_POST
@company_view("work")
def sie_upload(request: AppRequest, company: Company) -> HttpResponse:
    limiter = SizeLimitHandler(settings.LEDGER_SIE_MAX_UPLOAD_BYTES, request)
    request.upload_handlers.insert(0, limiter)
    return _receive_upload(request, company=company, limiter=limiter)


@csrf_protect
def _receive_upload(request: AppRequest, company: Company, limiter: SizeLimitHandler) -> HttpResponse:
    upload = request.FILES.get("file")
    error = ""
    if limiter.exceeded:
        error = _("The file is too large. The largest file accepted is %(size)s.") % {
            "size": filesizeformat(settings.LEDGER_SIE_MAX_UPLOAD_BYTES)
        }
    elif upload is None or not upload.size:
        error = (
            _("Choose a SIE or SAF-T file to upload.")
            if company.country == "NO"
            else _("Choose a SIE file to upload.")
        )
    if error or upload is None:
        context = {**upload_context(company), "error": error}
        if request.htmx:
            return render(request, "ledger/_upload_error.html", context)
        return company_page(request, company, "collect", "ledger/upload_page.html", context)
    job = services.sie_import_create(
        company=company,
        user=request.user,
        upload=upload,
        file_name=upload.name or "",
        source=services.upload_source(company=company, upload=upload),
    )
    job = services.sie_import_prepare(ledger_import=job)
    job.refresh_from_db()  # an eager task may already have run it
    return _answer(request, company, job)


@require_GET
@company_view("work")
def import_status(request: AppRequest, company: Company, import_id: int) -> HttpResponse:
    job = selectors.ledger_import_get(company=company, pk=import_id)
    if job.status == ImportStatus.RUNNING and services.sie_import_fail_stale(company=company):
        job.refresh_from_db()
    return _status(request, company, job)


@require_POST
@company_view("work")
def import_retry(request: AppRequest, company: Company, import_id: int) -> HttpResponse:
    job = services.sie_import_retry(ledger_import=selectors.ledger_import_get(company=company, pk=import_id))
    job.refresh_from_db()  # an eager task may already have run it
    return _answer(request, company, job)


@require_POST
@company_view("work")
def import_confirm(request: AppRequest, company: Company, import_id: int) -> HttpResponse:
    job = services.sie_import_confirm(
        ledger_import=selectors.ledger_import_get(company=company, pk=import_id)
    )
    job.refresh_from_db()
    return _answer(request, company, job)


@require_POST
@company_view("work")
def import_cancel(request: AppRequest, company: Company, import_id: int) -> HttpResponse:
    job = services.sie_import_cancel(ledger_import=selectors.ledger_import_get(company=company, pk=import_id))
    return _answer(request, company, job)


# --- General ledger and vouchers ------------------------------------------------------------


@require_GET
@company_view("work")
def general_ledger(request: AppRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    table = cached_html(
        "general-ledger",
        (company.pk, selectors.ledger_version(fiscal_year)),
        lambda: render_to_string(
            "ledger/_general_ledger_table.html",
            {"company": company, "summaries": selectors.general_ledger_accounts(fiscal_year)},
        ),
    )
    context = {
        "fiscal_year": fiscal_year,
        "fiscal_years": selectors.fiscal_year_list_loaded(company=company),
        "table": table,
    }
    return company_page(request, company, "ledger", "ledger/general_ledger.html", context)


@require_GET
@company_view("work")
def account_ledger(request: AppRequest, company: Company, account_id: int) -> HttpResponse:
    account = selectors.account_get(company=company, pk=account_id)
    after, before = request.GET.get("after"), request.GET.get("before")

    def render_rows() -> str:
        page = account_pages.account_page(account, after=after, before=before, size=account_pages.PAGE_SIZE)
        return render_to_string(
            "ledger/_account_rows_page.html", {"company": company, "account": account, "page": page}
        )

    version = (company.pk, account.pk, after, before, selectors.ledger_version(account.fiscal_year))
    context = {
        "account": account,
        "fiscal_year": account.fiscal_year,
        "rows_page": cached_html("account-rows", version, render_rows),
    }
    return company_page(request, company, "ledger", "ledger/account.html", context)


@require_GET
@company_view("work")
def voucher_by_id(request: AppRequest, company: Company, voucher_id: int) -> HttpResponse:
    """Links made before vouchers were addressed by their number: on to the lasting address."""
    voucher = selectors.voucher_get(company=company, pk=voucher_id)
    return redirect(voucher_url(company, voucher), permanent=True)


def voucher_url(company: Company, voucher: Voucher) -> str:
    args = [company.pk, voucher.fiscal_year.start, voucher.series, voucher.number]
    return reverse("ledger:voucher", args=args)


@require_GET
@company_view("work")
def voucher_detail(
    request: HttpRequest, company: Company, year: date, series: str, number: str
) -> HttpResponse:
    voucher = selectors.voucher_by_key(company=company, year=year, series=series, number=number)
    rows = list(selectors.voucher_rows(voucher=voucher))
    context = {
        "voucher": voucher,
        "fiscal_year": voucher.fiscal_year,
        "rows": rows,
        "total": sum((row.amount for row in rows if row.kind == "T"), selectors.ZERO),
        "back": int_param(request.GET, "account", minimum=1),
    }
    return company_page(request, company, "ledger", "ledger/voucher.html", context)


# --- Export --------------------------------------------------------------------------------


@require_GET
@company_view("work")
def export_sie(request: AppRequest, company: Company, fiscal_year_id: int) -> FileResponse:
    fiscal_year = fiscal_year_get(company=company, pk=fiscal_year_id)
    stream = sie_export.sie4(fiscal_year)
    name = f"{company.orgnr}-{fiscal_year.start:%Y%m%d}-{fiscal_year.end:%Y%m%d}.se"
    return FileResponse(stream, as_attachment=True, filename=name, content_type="application/octet-stream")
