"""Reads of payment files, always through the user's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from .models import PaymentFile

if TYPE_CHECKING:
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company


def payment_files_of(*, user: User, company: Company, action: str = "view") -> QuerySet[PaymentFile]:
    return (
        PaymentFile.objects.for_user(user, action)
        .filter(company=company)
        .select_related("uploaded_by", "approved_by", "case")
    )


def payment_file_get(*, user: User, company: Company, pk: int, action: str = "view") -> PaymentFile:
    """One payment file of the company the user may act on, else 404 (as `company_get`)."""
    found = payment_files_of(user=user, company=company, action=action).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def payment_files_waiting(*, user: User, company: Company) -> QuerySet[PaymentFile]:
    """Not yet marked approved, and the case still open to it."""
    return (
        payment_files_of(user=user, company=company)
        .filter(approved_at__isnull=True)
        .exclude(case__status="closed")
    )
