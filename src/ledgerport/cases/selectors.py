"""Reads of cases, always through the user's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Case, CaseStatus

if TYPE_CHECKING:
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company


def cases_of(*, user: User, company: Company) -> QuerySet[Case]:
    """The company's cases the user may see, newest first."""
    return Case.objects.for_user(user).filter(company=company)


def case_get(*, user: User, company: Company, pk: int) -> Case:
    """One case of the company, else Case.DoesNotExist (a view answers 404)."""
    return cases_of(user=user, company=company).get(pk=pk)


def open_case_for(*, company: Company, subject_key: str) -> Case | None:
    """The case not yet closed about `subject_key` (for the app that owns the subject; no user)."""
    return (
        Case.objects.filter(company=company, subject_key=subject_key)
        .exclude(status=CaseStatus.CLOSED)
        .first()
    )
