"""The month's sums as the authority computes them.

sumArbeidsgiveravgift is Σ avgiftsgrunnlag × sats over every zone of every virksomhet, the
øre dropped (the message states whole kroner: `BeloepSomHeltall`); sumForskuddstrekk is Σ the
employees' withheld tax (whole kroner already), all on the month's payout date (v2.3 states it
per loennsutbetalingsdato)."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from .model import MonthSummary, Payment


def employer_contribution(summary: MonthSummary) -> Decimal:
    """Σ grunnlag × sats, unrounded."""
    return sum((c.amount for unit in summary.units for c in unit.contributions), Decimal(0))


def whole_kroner(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_DOWN))


def withheld(summary: MonthSummary) -> Decimal:
    return sum((employee.withheld for _, employee in summary.employees), Decimal(0))


def contribution_basis(summary: MonthSummary, orgnr: str) -> Decimal:
    """Σ income that triggers the employer's contribution, of one virksomhet."""
    return sum(
        (
            income.amount
            for unit in summary.units
            if unit.orgnr == orgnr
            for employee in unit.employees
            for income in employee.incomes
            if income.triggers_contribution
        ),
        Decimal(0),
    )


def payment(summary: MonthSummary) -> Payment:
    """The betalingsinformasjon: stated when the summary was read from a delivery, else computed."""
    if summary.payment is not None:
        return summary.payment
    return Payment(
        withheld_per_date=((summary.payout_date, whole_kroner(withheld(summary))),),
        employer_contribution=whole_kroner(employer_contribution(summary)),
    )
