"""Reading the audit trail, always within one company."""

from __future__ import annotations

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
