"""Reads of the analysis app."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest

from ledgerport.tenancy.models import Company

from .models import TaxCheckSummary


@dataclass(frozen=True)
class TaxLight:
    findings: int
    fiscal_year_id: int  # the year to open: the latest with differences, else the latest


def tax_check_lights(*, user: Any, company_ids: Collection[int] | QuerySet[Any]) -> dict[int, TaxLight]:
    """The tax checks' light per company the user may work on, in one query; a company missing
    from the result has no tax-account data (or was not checked yet)."""
    rows = (
        TaxCheckSummary.objects.for_user(user, "work")
        .filter(company_id__in=company_ids)
        .order_by("company_id", "-fiscal_year__start")
        .values_list("company_id", "fiscal_year_id", "findings")
    )
    lights: dict[int, TaxLight] = {}
    for company_id, fiscal_year_id, findings in rows:
        current = lights.get(company_id)
        if current is None:
            lights[company_id] = TaxLight(findings, fiscal_year_id)
        else:
            year = current.fiscal_year_id if current.findings or not findings else fiscal_year_id
            lights[company_id] = TaxLight(current.findings + findings, year)
    return lights


def tax_check_stale_companies() -> QuerySet[Company]:
    """Companies with tax-account data whose summaries are missing or older than the latest fetch
    or ledger import or the tax profile's change (for the periodic refresh; not scoped to a user)."""
    return (
        Company.objects.alive()
        .filter(tax_account_snapshot__isnull=False)
        .annotate(
            changed=Greatest(
                Max("tax_account_snapshot__fetched_at"),
                Coalesce(Max("fiscal_years__imported_at"), Max("tax_account_snapshot__fetched_at")),
                Coalesce(Max("tax_profile__updated_at"), Max("tax_account_snapshot__fetched_at")),
            ),
            computed=Min("tax_check_summaries__computed_at"),
        )
        .filter(Q(computed__isnull=True) | Q(computed__lt=F("changed")))
        .order_by("pk")
    )
