"""Reads for the Altinn settings (the company is already scoped by the view)."""

from __future__ import annotations

from ledgerport.tenancy.models import Company

from ..models import ProviderSettings
from .conf import NAME


def altinn_settings_of(*, company: Company) -> ProviderSettings | None:
    return ProviderSettings.objects.filter(company=company, provider=NAME).first()
