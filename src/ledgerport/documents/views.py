"""Serving a stored document inline (PDF and images in the browser), tenant-scoped."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view

from . import selectors


@require_GET
@company_view("view")
def document_content(request: HttpRequest, company: Company, document_id: int) -> FileResponse:
    document = selectors.document_get(user=request.user, company=company, pk=document_id)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not document.is_inline_viewable or "download" in request.GET,
        filename=document.file_name,
        content_type=document.content_type,
    )
    # Files come from customers and providers: never let one run script in our origin. The
    # content type is sniffed from the bytes (HTML and SVG are only ever downloaded); PDFs get
    # no CSP sandbox because Chromium's PDF viewer refuses to render in a sandboxed document.
    if document.content_type != "application/pdf":
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, max-age=3600"
    return response
