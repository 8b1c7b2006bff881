"""What Skatteverket knows about each demo company: its tax account and employer declarations.

The interface between the simulator's API (which serves these facts) and the scenario (which
derives them from the same company's sandbox ledger, with deliberate discrepancies for the tax
checks to find). Amounts are in Skatteverket's sign: negative = a debt to Skatteverket.

This first version knows no company (every org number answers "no tax account"); the scenario
that derives the facts from the sandbox ledgers replaces `scenario_for`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class TaxAccountTransaction:
    ident: str  # transaktionsidentitet, stable across fetches
    booked: date  # transaktionsdatum
    interest_date: date  # ranteberakningsdatum
    text: str  # transaktionstext, e.g. "Arbetsgivaravgift mars 2026"
    amount: Decimal  # beloppSkatteverket; negative = debit (debt)
    due: date | None = None  # forfallodatum, upcoming rows only


@dataclass(frozen=True)
class EmployerDeclaration:
    period: str  # YYYYMM
    employer_contributions: Decimal  # SummaArbAvgSlf (fältkod 487), positive
    deducted_tax: Decimal  # SummaSkatteavdr (fältkod 497), positive
    individual_count: int  # antalIu
    signed_by: str  # 12-digit personnummer of the signatory
    signed_at: datetime  # aware
    receipt_id: str  # uuidKvittens


@dataclass(frozen=True)
class Scenario:
    orgnr: str  # 10 digits
    ocr: str  # 16 + orgnr + Luhn digit
    booked: tuple[TaxAccountTransaction, ...] = ()  # tidigareTransaktioner, oldest first
    upcoming: tuple[TaxAccountTransaction, ...] = ()  # kommandeTransaktioner
    declarations: tuple[EmployerDeclaration, ...] = ()
    # What the scenario changed on purpose, for the tests that expect the checks to find exactly these.
    discrepancies: tuple[str, ...] = field(default=())

    def balance(self, on: date | None = None) -> Decimal:
        """saldoSkatteverket: the booked transactions up to and including `on`."""
        return sum((t.amount for t in self.booked if on is None or t.booked <= on), Decimal(0))


def scenario_for(orgnr: str, *, seed: int = 1, today: date | None = None) -> Scenario | None:
    """The company's tax account, or None when Skatteverket has none (felkod 3)."""
    return None
