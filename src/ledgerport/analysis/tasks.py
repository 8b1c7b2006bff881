"""Periodic work of the analysis app (Celery beat)."""

from __future__ import annotations

from celery import shared_task

from .selectors import tax_check_stale_companies
from .services import tax_check_summaries_refresh


@shared_task
def tax_checks_refresh() -> int:
    """Recompute the tax checks of every company whose tax account or ledger changed since."""
    count = 0
    for company in tax_check_stale_companies().iterator():
        tax_check_summaries_refresh(company)
        count += 1
    return count
