"""Reads for the archive (the company passed in is already scoped by `company_get`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from ledgerport.tenancy.models import Company

from .archive_folders import Folder
from .models import ArchiveEntry, DocumentSeen
from .selectors import document_origins

if TYPE_CHECKING:
    from ledgerport.identity.models import User


def archive_years(*, company: Company) -> list[int]:
    """The years with documents, and always this year and last, newest first."""
    this_year = timezone.localdate().year
    years = set(ArchiveEntry.objects.filter(company=company).values_list("year", flat=True).distinct())
    return sorted(years | {this_year, this_year - 1}, reverse=True)


def unseen_places(*, user: User, company: Company, folder: Folder | None = None) -> set[tuple[int, str, int]]:
    """(year, area, month) of every month folder under `folder` (all years for None) holding an
    entry the user has not opened: one query, from which every folder's dot follows."""
    entries = ArchiveEntry.objects.filter(company=company, **(folder.lookup() if folder else {}))
    return set(
        entries.exclude(Exists(DocumentSeen.objects.filter(entry=OuterRef("pk"), user=user)))
        .values_list("year", "area", "month")
        .distinct()
    )


def folder_entries(*, user: User, company: Company, folder: Folder) -> QuerySet[ArchiveEntry]:
    """The documents filed in one month folder, each with `seen` for the user."""
    return (
        ArchiveEntry.objects.filter(company=company, **folder.lookup())
        .select_related("document")
        .annotate(seen_by_user=Exists(DocumentSeen.objects.filter(entry=OuterRef("pk"), user=user)))
        .order_by("-created_at", "-pk")
    )


def entries_below(*, company: Company, folder: Folder) -> QuerySet[ArchiveEntry]:
    """Every entry in the folder and its subfolders (a folder's zip), in folder order."""
    return (
        ArchiveEntry.objects.filter(company=company, **folder.lookup())
        .select_related("document")
        .order_by("area", "month", "file_name", "pk")
    )


def entry_get(*, company: Company, pk: int) -> ArchiveEntry:
    entry = ArchiveEntry.objects.filter(company=company, pk=pk).select_related("document", "batch").first()
    if entry is None:
        raise Http404
    return entry


def entry_provenance(*, entry: ArchiveEntry) -> list[Any]:
    """Where the entry's bytes came from: every upload and provider file they were stored as."""
    return document_origins(document_id=entry.document_id)


def unseen_counts(*, user: User, company_ids: Collection[int] | QuerySet[Any]) -> dict[int, int]:
    """How many archive entries of each listed company the user has not opened, in one query (the
    client list's column); a company missing from the result has none."""
    rows = (
        ArchiveEntry.objects.for_user(user, "view")
        .filter(company_id__in=company_ids)
        .exclude(Exists(DocumentSeen.objects.filter(entry=OuterRef("pk"), user=user)))
        .order_by()
        .values("company_id")
        .annotate(unseen=Count("pk"))
        .values_list("company_id", "unseen")
    )
    return dict(rows)


def unseen_entries(*, user: User, company: Company) -> QuerySet[ArchiveEntry]:
    """The company's archive entries the user has not opened, newest first (Översikt's panel)."""
    return (
        ArchiveEntry.objects.filter(company=company)
        .exclude(Exists(DocumentSeen.objects.filter(entry=OuterRef("pk"), user=user)))
        .order_by("-created_at", "-pk")
    )
