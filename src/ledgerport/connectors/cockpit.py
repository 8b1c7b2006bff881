"""The connectors' parts of the firm's cockpit, registered with web in `ConnectorsConfig.ready()`:
the client list's "Connections" and "Last sync" columns (one query each for the whole list)
and Översikt's connections panel."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _lazy

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import can
from ledgerport.web.extensions import (
    Cell,
    ListColumn,
    ListFilter,
    OverviewPanel,
    register_list_column,
    register_list_filter,
    register_overview_panel,
)

from . import providers, selectors
from .models import ConnectionStatus

NEEDS_APPROVAL = "needs_approval"
NEVER_SYNCED = "never_synced"
# Sorted first: what needs the firm's attention; a company without connections is last.
RANK: dict[str, int] = {
    ConnectionStatus.NEEDS_REAUTHORISATION.value: 0,
    ConnectionStatus.REVOKED.value: 0,
    ConnectionStatus.ERROR.value: 1,
    ConnectionStatus.PENDING.value: 2,
    ConnectionStatus.ACTIVE.value: 3,
}
APPROVAL = {ConnectionStatus.NEEDS_REAUTHORISATION.value, ConnectionStatus.REVOKED.value}
_APPROVAL_FLAG = frozenset({NEEDS_APPROVAL})
BADGE = (
    '<span class="conn" data-provider="{provider}" data-status="{status}">'
    '<span class="status-dot status-dot--{status}" aria-hidden="true"></span> {name}{label}</span>'
)


def _mark(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value escaped by the caller


def connection_cells(user: Any, company_ids: QuerySet[Any]) -> Mapping[int, Cell]:
    """Each company's connections as badges (by provider name), its worst status first in the
    sort; the few (provider, status) badges are rendered once per page, not per client."""
    states = selectors.connection_states(user=user, company_ids=company_ids)
    labels = {status: escape(str(label)) for status, label in ConnectionStatus.choices}
    badges: dict[tuple[str, str], tuple[str, str]] = {}  # -> (provider's sort name, markup)

    def badge(provider: str, status: str) -> tuple[str, str]:
        name = providers.display_name(provider)
        label = labels.get(status, escape(status))
        shown = (
            f'<span class="visually-hidden">: {label}</span>'
            if status == ConnectionStatus.ACTIVE.value
            else f' <span class="conn-status">{label}</span>'
        )
        markup = BADGE.format(
            provider=escape(provider), status=escape(status), name=escape(name), label=shown
        )
        return name.casefold(), markup

    cells = {}
    for company_id, connections in states.items():
        shown = sorted(badges.get(c) or badges.setdefault(c, badge(*c)) for c in connections)
        rank = min(RANK.get(status, 1) for _provider, status in connections)
        flags = _APPROVAL_FLAG if any(s in APPROVAL for _p, s in connections) else frozenset()
        cells[company_id] = Cell(_mark(" ".join(m for _n, m in shown)), (rank, len(connections)), flags)
    return cells


def sync_cells(user: Any, company_ids: QuerySet[Any]) -> Mapping[int, Cell]:
    latest = selectors.last_successful_syncs(user=user, company_ids=company_ids)
    zone = timezone.get_current_timezone()  # once, not per row
    cells = {}
    for company_id, moment in latest.items():
        local = moment.astimezone(zone)
        html = f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}</time>'
        cells[company_id] = Cell(_mark(html), moment)
    return cells


def connections_panel(request: HttpRequest, company: Company) -> str:
    """Each connection's status and last successful fetch; the way to the "Läs in data" tab only
    for those who may work on the company."""
    context = {
        "company": company,
        "connections": selectors.connection_overview(company=company),
        "can_work": can(request.user, company, "work"),
    }
    return render_to_string("connectors/_overview.html", context, request=request)


def register() -> None:
    register_list_column(
        ListColumn(
            "connections",
            _lazy("Connections"),
            10,
            connection_cells,
            lambda: Cell(_mark('<span class="muted" data-no-connection>–</span>')),
        )
    )
    register_list_column(
        ListColumn(
            "synced",
            _lazy("Latest sync"),
            20,
            sync_cells,
            lambda: Cell(
                _mark('<span class="muted" data-never-synced>–</span>'), None, frozenset({NEVER_SYNCED})
            ),
        )
    )
    register_list_filter(ListFilter(NEEDS_APPROVAL, _lazy("Needs new approval"), 20))
    register_list_filter(ListFilter(NEVER_SYNCED, _lazy("Never synced"), 30))
    register_overview_panel(OverviewPanel("connections", "status", 10, connections_panel))
