"""Reads for connectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from ledgerport.tenancy.models import Company

from . import providers
from .models import ActivationLink, Connection, ConnectionStatus, SyncRun
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
    return [ProviderCard(spec, connections.get(spec.name)) for spec in providers.all()]


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
