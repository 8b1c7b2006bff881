"""Reads for the Altinn settings (the company is already scoped by the view)."""

from __future__ import annotations

from ledgerport.tenancy.models import Company

from ..models import AltinnSettings


def altinn_settings_of(*, company: Company) -> AltinnSettings | None:
    return AltinnSettings.objects.filter(company=company).first()
