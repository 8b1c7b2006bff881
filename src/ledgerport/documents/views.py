"""Documents: the Dokument tab's list, and each stored file served inline, tenant-scoped."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ledgerport.audit.models import Action
from ledgerport.audit.selectors import audit_for_target
from ledgerport.audit.services import audit_record
from ledgerport.tenancy import selectors as tenancy
from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page

from . import selectors
from .file_response import file_response


@require_GET
@company_view("view")
def document_content(request: HttpRequest, company: Company, document_id: int) -> FileResponse:
    document = selectors.document_get(user=request.user, company=company, pk=document_id)
    download = not document.is_inline_viewable or "download" in request.GET
    audit_record(
        request=request, action=Action.DOWNLOAD if download else Action.VIEW, company=company, target=document
    )
    return file_response(document, file_name=document.file_name, download=download)


HISTORY_ROWS = 200


@require_GET
@company_view("work")
def document_provenance(request: HttpRequest, company: Company, document_id: int) -> HttpResponse:
    """For the firm: where a document came from and who has opened it (history)."""
    document = selectors.document_get(user=request.user, company=company, pk=document_id)
    context = {
        "document": document,
        "origins": selectors.document_origins(document_id=document.pk),
        "history": list(audit_for_target(company=company, target=document)[:HISTORY_ROWS]),
    }
    return company_page(request, company, "documents", "documents/provenance.html", context)


DOCUMENTS_PER_PAGE = 100


def list_context(request: HttpRequest, company: Company) -> dict[str, Any]:
    """The Dokument tab's list (company already scoped for "view")."""
    page = Paginator(selectors.document_list(company=company), DOCUMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return {
        "company": company,
        "page": page,
        # Client users see the documents; the vouchers behind them are the firm's work.
        "can_open_vouchers": tenancy.can(request.user, company, "work"),
    }


@require_GET
@company_view("view")
def document_list(request: HttpRequest, company: Company) -> HttpResponse:
    """The list alone, polled while a sync fetches documents."""
    return render(request, "documents/_document_list.html", list_context(request, company))
