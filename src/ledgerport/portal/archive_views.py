"""The document archive's pages: folders, a document's preview page, its file, a folder's zip
and uploads. Reads are in the documents' selectors; writes in `archive_services`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from zipstream import ZipStream

from ledgerport.audit.models import Action
from ledgerport.audit.selectors import audit_for_target
from ledgerport.audit.services import audit_record
from ledgerport.documents import archive_selectors as selectors
from ledgerport.documents.archive import BatchRefused, entries_seen
from ledgerport.documents.archive_folders import Folder
from ledgerport.documents.file_response import file_response
from ledgerport.documents.views import HISTORY_ROWS
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import can
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page

from .archive_services import archive_upload as upload_service
from .archive_services import may_upload
from .notifications import notifications_read
from .zip_names import zip_names


def folder_url(company: Company, folder: Folder | None) -> str:
    if folder is None:
        return reverse("web:company_documents", args=[company.pk])
    return reverse("portal:archive_folder", args=[company.pk, folder.key])


def folder_context(request: HttpRequest, company: Company, folder: Folder | None) -> dict[str, Any]:
    """A folder's page (None: the root "Dokument"): its subfolders with their dots, and in a
    month folder its documents. The dots come from one query."""
    user = request.user
    unseen = selectors.unseen_places(user=user, company=company, folder=folder)  # type: ignore[arg-type]
    if folder is None:
        children = [Folder(year) for year in selectors.archive_years(company=company)]
    else:
        children = folder.children()
    context: dict[str, Any] = {
        "company": company,
        "folder": folder,
        "crumbs": [] if folder is None else folder.parents(),
        "subfolders": [
            {
                "folder": child,
                "url": folder_url(company, child),
                "new": any(child.contains(*p) for p in unseen),
            }
            for child in children
        ],
        "may_upload": folder is not None and may_upload(user, company, folder),  # type: ignore[arg-type]
        "can_work": can(user, company, "work"),
        "max_upload": settings.ARCHIVE_MAX_UPLOAD_BYTES,
    }
    if folder is not None and folder.is_leaf:
        context["entries"] = list(selectors.folder_entries(user=user, company=company, folder=folder))  # type: ignore[arg-type]
    return context


@require_GET
@company_view("view")
def archive_folder(request: HttpRequest, company: Company, folder: Folder) -> HttpResponse:
    notifications_read(user=request.user, company=company, folder=folder)  # type: ignore[arg-type]
    return company_page(
        request, company, "documents", "portal/archive_folder.html", folder_context(request, company, folder)
    )


@require_POST
@company_view("view")
def archive_upload(request: HttpRequest, company: Company, folder: Folder) -> HttpResponse:
    if not may_upload(request.user, company, folder):  # type: ignore[arg-type]
        raise PermissionDenied
    try:
        entries = upload_service(
            company=company,
            user=request.user,  # type: ignore[arg-type]
            folder=folder,
            uploads=request.FILES.getlist("files"),  # type: ignore[arg-type]
        )
    except BatchRefused as refused:
        messages.error(request, _("Nothing was uploaded."))
        for message in refused.messages:
            messages.error(request, message)
    else:
        for entry in entries:
            audit_record(request=request, action=Action.UPLOAD, company=company, target=entry.document)
        messages.success(
            request,
            ngettext("%(count)d file uploaded.", "%(count)d files uploaded.", len(entries))
            % {"count": len(entries)},
        )
    return redirect(folder_url(company, folder))


@require_GET
@company_view("view")
def archive_entry(request: HttpRequest, company: Company, entry_id: int) -> HttpResponse:
    """A document's page: its preview, download, and for the firm its provenance and history."""
    entry = selectors.entry_get(company=company, pk=entry_id)
    folder = Folder.parse(entry.folder_key)
    context: dict[str, Any] = {
        "entry": entry,
        "folder": folder,
        "crumbs": [*folder.parents(), folder],
        "can_work": can(request.user, company, "work"),
    }
    if context["can_work"]:
        context["origins"] = selectors.entry_provenance(entry=entry)
        context["history"] = list(audit_for_target(company=company, target=entry.document)[:HISTORY_ROWS])
    return company_page(request, company, "documents", "portal/archive_entry.html", context)


@require_GET
@company_view("view")
def archive_content(request: HttpRequest, company: Company, entry_id: int) -> FileResponse:
    """The file itself: opening it (preview or download) clears its dot and is audited."""
    entry = selectors.entry_get(company=company, pk=entry_id)
    download = "download" in request.GET or not entry.document.is_inline_viewable
    entries_seen(user=request.user, entries=[entry])  # type: ignore[arg-type]
    audit_record(
        request=request,
        action=Action.DOWNLOAD if download else Action.VIEW,
        company=company,
        target=entry.document,
    )
    return file_response(entry.document, file_name=entry.file_name, download=download)


@require_GET
@company_view("view")
def archive_zip(request: HttpRequest, company: Company, folder: Folder) -> StreamingHttpResponse:
    """Exactly the folder's files, subfolders included, streamed as they are read."""
    entries = list(selectors.entries_below(company=company, folder=folder))
    stream = ZipStream(sized=True)
    for entry, name in zip(entries, zip_names(entries, folder), strict=True):
        stream.add(_chunks(entry), name, size=entry.document.size)
    entries_seen(user=request.user, entries=entries)  # type: ignore[arg-type]
    for entry in entries:
        audit_record(
            request=request,
            action=Action.DOWNLOAD,
            company=company,
            target=entry.document,
            detail=f"zip {folder.key}",
        )
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(len(stream))
    response["Content-Disposition"] = f'attachment; filename="{folder.key.replace("/", "-")}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _chunks(entry: Any) -> Any:
    with entry.document.file.open("rb") as file:
        while chunk := file.read(1 << 16):
            yield chunk
