"""What higher apps add to web's pages: the client list's status columns and filters, and the
panels of a company's Översikt.

`web` is a low layer and imports none of them: each app registers its parts in its
`AppConfig.ready()` (as the connectors register their ledger sources), and the pages ask this
registry. Registering again under the same key replaces (tests and reloads stay idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from ledgerport.tenancy.models import Company


@dataclass(frozen=True)
class Cell:
    """One company's value in a column: its markup, what it sorts by (None: always last) and the
    filter flags it raises (e.g. "differences")."""

    html: SafeString
    sort: Any = None
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ListColumn:
    """A status column of the client list. `cells(user, company_ids)` reads the whole page's
    values in one query: `company_ids` is the listed companies' ids as a subquery (a queryset
    of `pk` values: one SQL parameter list instead of hundreds of ids through the ORM). A
    company missing from the result gets `empty()` (called once per page, in its language)."""

    key: str
    label: str | Promise
    order: int
    cells: Callable[[Any, QuerySet[Any]], Mapping[int, Cell]]
    empty: Callable[[], Cell]


@dataclass(frozen=True)
class ListFilter:
    """A filter of the client list: the companies one of whose cells raises `flag`."""

    key: str
    label: str | Promise
    order: int


@dataclass(frozen=True)
class OverviewPanel:
    """A part of Översikt. `render(request, company)` gets a company the view already scoped with
    "view" and shows only what the user's role may see (`tenancy.selectors.can`); "" hides it.
    `area` places it: "status" (connections, checks), "figures", "client" (the portal's cases
    and unseen documents, once it has them)."""

    key: str
    area: str
    order: int
    render: Callable[[HttpRequest, Company], str]


AREAS = ("figures", "status", "client")

_columns: dict[str, ListColumn] = {}
_filters: dict[str, ListFilter] = {}
_panels: dict[str, OverviewPanel] = {}


def register_list_column(column: ListColumn) -> None:
    _columns[column.key] = column


def register_list_filter(list_filter: ListFilter) -> None:
    _filters[list_filter.key] = list_filter


def register_overview_panel(panel: OverviewPanel) -> None:
    if panel.area not in AREAS:
        raise ValueError(f"Unknown overview area {panel.area!r}")
    _panels[panel.key] = panel


def list_columns() -> list[ListColumn]:
    return sorted(_columns.values(), key=lambda column: column.order)


def list_filters() -> list[ListFilter]:
    return sorted(_filters.values(), key=lambda list_filter: list_filter.order)


def overview_panels(area: str) -> list[OverviewPanel]:
    return sorted((p for p in _panels.values() if p.area == area), key=lambda panel: panel.order)
