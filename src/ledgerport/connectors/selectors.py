"""Reads for connectors."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from ledgerport.tenancy.models import Company

from . import providers
from .models import ActivationLink, Connection, ConnectionStatus, SyncRun, SyncStatus
from .providers import ProviderSpec


@dataclass(frozen=True)
class ProviderCard:
    spec: ProviderSpec
    connection: Connection | None

    @property
    def status(self) -> str:
        return self.connection.status if self.connection else "none"

    @property
    def is_active(self) -> bool:
        return self.status == ConnectionStatus.ACTIVE


def provider_cards(*, company: Company) -> list[ProviderCard]:
    """One card per provider for the company's "Läs in data" page (company already scoped)."""
    connections = {c.provider: c for c in Connection.objects.filter(company=company)}
    return [
        ProviderCard(spec, connections.get(spec.name))
        for spec in providers.all()
        if spec.serves(company.country)
    ]


def activation_link_by_token(token: str) -> ActivationLink | None:
    """Public consent pages: the unguessable token is the capability."""
    return ActivationLink.objects.select_related("company", "company__firm").filter(token=token).first()


def activation_link_get(*, user: Any, company: Company, pk: int) -> ActivationLink:
    """A link of this company the user may work on, else 404."""
    link = ActivationLink.objects.for_user(user, "work").filter(company=company, pk=pk).first()
    if link is None:
        raise Http404
    return link


def connection_of(*, company: Company, provider: str) -> Connection | None:
    return Connection.objects.filter(company=company, provider=provider).first()


def sync_run_get(*, user: Any, company: Company, pk: int) -> SyncRun:
    """A sync run of this company's connections the user may work on, else 404."""
    run = (
        SyncRun.objects.for_user(user, "work")
        .filter(connection__company=company, pk=pk)
        .select_related("connection")
        .first()
    )
    if run is None:
        raise Http404
    return run


# --- The firm's cockpit: Översikt and the client list's columns ------------------------------


@dataclass(frozen=True)
class ConnectionOverview:
    connection: Connection
    last_success: datetime | None  # when its latest successful fetch finished

    @property
    def display_name(self) -> str:
        return providers.display_name(self.connection.provider)


def connection_overview(*, company: Company) -> list[ConnectionOverview]:
    """The company's connections with each one's last successful fetch, in one query (company
    already scoped by the page's view)."""
    connections = (
        Connection.objects.filter(company=company)
        .annotate(
            last_success=Max("sync_runs__finished_at", filter=Q(sync_runs__status=SyncStatus.SUCCEEDED))
        )
        .order_by("provider")
    )
    rows = [ConnectionOverview(c, c.last_success) for c in connections]
    return sorted(rows, key=lambda row: row.display_name.casefold())


def connection_states(
    *, user: Any, company_ids: Collection[int] | QuerySet[Any]
) -> dict[int, list[tuple[str, str]]]:
    """(provider, status) of every connection of the listed companies the user may work on, in one
    query."""
    rows = (
        Connection.objects.for_user(user, "work")
        .filter(company_id__in=company_ids)
        .values_list("company_id", "provider", "status")
    )
    states: dict[int, list[tuple[str, str]]] = {}
    for company_id, provider, status in rows:
        states.setdefault(company_id, []).append((provider, status))
    return states


def last_successful_syncs(*, user: Any, company_ids: Collection[int] | QuerySet[Any]) -> dict[int, datetime]:
    """When each listed company's latest successful sync (any provider) finished, in one query;
    a company missing from the result never had one."""
    rows = (
        SyncRun.objects.for_user(user, "work")
        .filter(connection__company_id__in=company_ids, status=SyncStatus.SUCCEEDED)
        .values("connection__company_id")
        .annotate(last=Max("finished_at"))
        .values_list("connection__company_id", "last")
    )
    return {company_id: last for company_id, last in rows if last is not None}
