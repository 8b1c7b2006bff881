"""Reads of payroll runs, always through the user's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ledgerport.cases.models import CaseFile, CaseFileRole

from .models import PayrollRun

if TYPE_CHECKING:
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company


def runs_of(*, user: User, company: Company) -> QuerySet[PayrollRun]:
    return PayrollRun.objects.for_user(user, "work").filter(company=company).select_related("case")


def run_get(*, user: User, company: Company, pk: int) -> PayrollRun:
    """One run of the company, else PayrollRun.DoesNotExist (a view answers 404)."""
    return runs_of(user=user, company=company).get(pk=pk)


def run_file_get(*, user: User, run: PayrollRun, pk: int) -> CaseFile:
    """A file for approval of the run's case, else CaseFile.DoesNotExist."""
    return CaseFile.objects.for_user(user, "work").get(case=run.case, role=CaseFileRole.FOR_APPROVAL, pk=pk)
