"""Reads of the a-melding, always through the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ledgerport.amelding import MonthSummary, sums
from ledgerport.analysis.payroll_accounts import (
    CONTRIBUTION_COST,
    CONTRIBUTION_DUE,
    WITHHELD_TAX,
    month_movements,
)

from .models import EmployerReturn

if TYPE_CHECKING:
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company


def returns_of(*, user: User, company: Company) -> QuerySet[EmployerReturn]:
    return EmployerReturn.objects.for_user(user, "work").filter(company=company).select_related("company")


def return_get(*, user: User, company: Company, pk: int) -> EmployerReturn:
    """One return of the company, else EmployerReturn.DoesNotExist (a view answers 404)."""
    return returns_of(user=user, company=company).get(pk=pk)


@dataclass(frozen=True)
class Reconciliation:
    """The a-melding's sums beside the books' movements of the month."""

    label: str
    amelding: Decimal
    account: str
    booked: Decimal

    @property
    def difference(self) -> Decimal:
        return self.amelding - self.booked


def reconciliation(*, company: Company, month: str, summary: MonthSummary) -> list[Reconciliation] | None:
    """Forskuddstrekk ↔ the credit on 2600; arbeidsgiveravgift ↔ the debit on 5400 and the
    credit on 2770 (None without a ledger holding the month)."""
    moved = month_movements(
        company=company, month=month, numbers=(WITHHELD_TAX, CONTRIBUTION_COST, CONTRIBUTION_DUE)
    )
    if moved is None:
        return None
    paid = sums.payment(summary)
    return [
        Reconciliation("forskuddstrekk", Decimal(paid.withheld), WITHHELD_TAX, moved[WITHHELD_TAX].credit),
        Reconciliation(
            "arbeidsgiveravgift",
            Decimal(paid.employer_contribution),
            CONTRIBUTION_COST,
            moved[CONTRIBUTION_COST].debit,
        ),
        Reconciliation(
            "arbeidsgiveravgift",
            Decimal(paid.employer_contribution),
            CONTRIBUTION_DUE,
            moved[CONTRIBUTION_DUE].credit,
        ),
    ]
