"""The one way a stored file is served: never as active content in our origin."""

from __future__ import annotations

from django.http import FileResponse

from .models import Document


def file_response(document: Document, *, file_name: str, download: bool) -> FileResponse:
    """Inline only for PDFs and images (the content type is sniffed from the bytes when stored);
    everything else is an attachment. Files come from customers and providers: a CSP sandbox
    keeps one from running script in our origin. PDFs get no sandbox because Chromium's PDF
    viewer refuses to render in a sandboxed document; they never render as HTML."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=download or not document.is_inline_viewable,
        filename=file_name,
        content_type=document.content_type,
    )
    if document.content_type != "application/pdf":
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, max-age=3600"
    return response
