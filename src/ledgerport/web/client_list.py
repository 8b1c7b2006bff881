"""The firm's client list: the companies a user sees with the registered status columns, sorted
and filtered in Python.

Every column reads the whole page's values in one query (`extensions.ListColumn.cells`), so
the page costs the same number of queries for 5 clients or 500; sorting and filtering the
few hundred rows in memory then costs no query at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ledgerport.tenancy import selectors as tenancy
from ledgerport.tenancy.models import Company

from .extensions import Cell, ListColumn, ListFilter, list_columns, list_filters


@dataclass(frozen=True)
class BaseColumn:
    key: str
    label: str | Promise
    sort: Callable[[Company], Any]


BASE_COLUMNS = (
    BaseColumn("name", _("Company"), lambda c: c.name.casefold()),
    BaseColumn("orgnr", _("Organisation number"), lambda c: c.orgnr),
    BaseColumn("country", _("Country"), lambda c: c.country),
)
DEFAULT_SORT = "name"


@dataclass
class ClientRow:
    company: Company
    cells: list[Cell]

    @property
    def flags(self) -> set[str]:
        return {flag for cell in self.cells for flag in cell.flags}


@dataclass(frozen=True)
class Header:
    key: str
    label: str | Promise
    href: str
    aria_sort: str  # "ascending" / "descending" on the sorted column, else ""


@dataclass
class FilterChoice:
    key: str
    label: str | Promise
    count: int  # among the clients the search found


@dataclass
class ClientTable:
    columns: list[ListColumn]
    rows: list[ClientRow]
    sort: str  # a column key, "-" in front: descending
    show: str  # the active filter's key, "" for every client
    filters: list[FilterChoice] = field(default_factory=list)
    found: int = 0  # clients the search found, before the filter
    search: str = ""

    @property
    def column_keys(self) -> list[str]:
        return [column.key for column in self.columns]

    @property
    def sort_key(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def query(self, **changes: str) -> str:
        """This list's address (as a query string) with `changes`; empty values left out."""
        values = {"q": self.search.strip(), "show": self.show, "sort": self.sort, **changes}
        if values["sort"] == DEFAULT_SORT:
            values["sort"] = ""
        return "?" + urlencode({k: v for k, v in values.items() if v})

    @property
    def headers(self) -> list[Header]:
        """Each column's heading with the address that sorts by it (again: the other way)."""
        out = []
        for key, label in [(c.key, c.label) for c in BASE_COLUMNS] + [(c.key, c.label) for c in self.columns]:
            current = key == self.sort_key
            direction = ("descending" if self.descending else "ascending") if current else ""
            flip = f"-{key}" if current and not self.descending else key
            out.append(Header(key, label, self.query(sort=flip), direction))
        return out

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        """For the phone's sort menu (the headings are hidden there): every column both ways."""
        out = []
        for key, label in [(c.key, c.label) for c in BASE_COLUMNS] + [(c.key, c.label) for c in self.columns]:
            out.append((key, f"{label} ↑"))
            out.append((f"-{key}", f"{label} ↓"))
        return out

    @property
    def filter_links(self) -> list[tuple[str, FilterChoice]]:
        return [(self.query(show=f.key), f) for f in self.filters]

    @property
    def all_link(self) -> str:
        return self.query(show="")


def _sorted(rows: list[ClientRow], sort: str, columns: list[ListColumn]) -> list[ClientRow]:
    """By the column, ties by name; a value a column does not know (None) is last either way."""
    key, descending = sort.lstrip("-"), sort.startswith("-")
    by_name = sorted(rows, key=lambda row: (row.company.name.casefold(), row.company.pk))
    base = next((c for c in BASE_COLUMNS if c.key == key), None)
    if base is not None:
        return sorted(by_name, key=lambda row: base.sort(row.company), reverse=descending)
    index = next(i for i, c in enumerate(columns) if c.key == key)
    known = [row for row in by_name if row.cells[index].sort is not None]
    unknown = [row for row in by_name if row.cells[index].sort is None]
    return sorted(known, key=lambda row: row.cells[index].sort, reverse=descending) + unknown


def client_table(*, user: Any, search: str = "", sort: str = "", show: str = "") -> ClientTable:
    """The clients the user sees (matching `search`), with every registered column's cells,
    sorted by `sort` ("synced", "-synced", ...; unknown: by name) and, when `show` names a
    registered filter, only those whose cells raise it."""
    columns = list_columns()
    listed = tenancy.company_list(user=user, search=search)
    companies = list(listed)
    ids = listed.values("pk")
    values = [column.cells(user, ids) if companies else {} for column in columns]
    empties = [column.empty() for column in columns]
    rows = [
        ClientRow(
            company, [found.get(company.pk, empty) for found, empty in zip(values, empties, strict=True)]
        )
        for company in companies
    ]
    filters: list[ListFilter] = list_filters()
    choices = [FilterChoice(f.key, f.label, sum(1 for row in rows if f.key in row.flags)) for f in filters]
    if show not in {f.key for f in filters}:
        show = ""
    shown = [row for row in rows if show in row.flags] if show else rows
    keys = {c.key for c in BASE_COLUMNS} | {c.key for c in columns}
    if sort.lstrip("-") not in keys:
        sort = DEFAULT_SORT
    return ClientTable(columns, _sorted(shown, sort, columns), sort, show, choices, len(rows), search)
