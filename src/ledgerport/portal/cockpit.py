"""The archive's part of the firm's cockpit, registered with web in `PortalConfig.ready()`: the
client list's "unseen documents" column and Översikt's panel, both counting the company's archive
entries the user has not opened (`DocumentSeen`) and linking to the archive."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from ledgerport.documents import archive_selectors
from ledgerport.tenancy.models import Company
from ledgerport.web.extensions import (
    Cell,
    ListColumn,
    OverviewPanel,
    register_list_column,
    register_overview_panel,
)

SENTINEL_COMPANY = 987654321  # reverse() once, then each row's id
PANEL_ENTRIES = 5


def unseen_cells(user: Any, company_ids: QuerySet[Any]) -> Mapping[int, Cell]:
    """Every listed company's count of unseen documents, from one query; the link goes to the
    company's archive ("Dokument")."""
    counts = archive_selectors.unseen_counts(user=user, company_ids=company_ids)
    url = reverse("web:company_documents", args=[SENTINEL_COMPANY])
    cells = {}
    titles: dict[int, str] = {}  # one translation per distinct count, not per row
    for company_id, count in counts.items():
        if count not in titles:
            text = ngettext("%(count)s document not opened", "%(count)s documents not opened", count)
            titles[count] = escape(text % {"count": count})
        title = titles[count]
        html = (
            f'<a href="{url.replace(str(SENTINEL_COMPANY), str(company_id))}" data-testid="unseen-documents"'
            f' data-count="{count}" title="{title}"><span class="new-dot" aria-hidden="true"></span> {count}</a>'
        )
        cells[company_id] = Cell(mark_safe(html), -count)  # noqa: S308 - ints and an escaped title
    return cells


def no_unseen() -> Cell:
    return Cell(mark_safe('<span class="muted" data-testid="unseen-documents" data-count="0">–</span>'))


def unseen_panel(request: HttpRequest, company: Company) -> str:
    """How many of the company's documents the user has not opened, the latest of them."""
    entries = archive_selectors.unseen_entries(user=request.user, company=company)  # type: ignore[arg-type]
    latest = list(entries[: PANEL_ENTRIES + 1])
    count = len(latest) if len(latest) <= PANEL_ENTRIES else entries.count()
    context = {"company": company, "count": count, "latest": latest[:PANEL_ENTRIES]}
    return render_to_string("portal/_overview_unseen.html", context, request=request)


def register() -> None:
    register_list_column(ListColumn("unseen_documents", _lazy("New documents"), 40, unseen_cells, no_unseen))
    register_overview_panel(OverviewPanel("unseen_documents", "client", 20, unseen_panel))
