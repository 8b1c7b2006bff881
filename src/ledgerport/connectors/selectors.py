"""Reads for connectors."""

from __future__ import annotations

from dataclasses import dataclass

from ledgerport.tenancy.models import Company

from . import providers
from .models import ActivationLink, Connection, ConnectionStatus
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
