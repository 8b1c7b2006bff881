"""Reading the audit trail, always within one company."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import models

from .models import AuditEntry

if TYPE_CHECKING:
    from ledgerport.tenancy.models import Company


def audit_for_target(*, company: Company, target: models.Model) -> models.QuerySet[AuditEntry]:
    """A target's history, newest first (a document's views, downloads, uploads …)."""
    return AuditEntry.objects.filter(
        company=company, target_type=target._meta.label_lower, target_id=str(target.pk)
    ).order_by("-at", "-pk")


def audit_for_company(*, company: Company) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(company=company).order_by("-at", "-pk")


PAGE_SIZE = 50


def audit_page(
    *,
    company: Company,
    user_email: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    before: tuple[datetime, int] | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[AuditEntry], tuple[datetime, int] | None]:
    """One page of the company's log, newest first, filtered; and the key of the next (older)
    page, or None. Keyset pagination on (at, id): a page costs the same however deep it is."""
    entries = audit_for_company(company=company)
    if user_email.strip():
        entries = entries.filter(user_label__icontains=user_email.strip())
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if before is not None:
        at, pk = before
        entries = entries.filter(models.Q(at__lt=at) | models.Q(at=at, pk__lt=pk))
    rows = list(entries[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, ((rows[-1].at, rows[-1].pk) if more and rows else None)
