"""A month's payroll summary as the a-melding reports it (research: norway-formats.md §4.1).

Names are English; each field's comment gives the a-melding's name. Amounts are Decimal in
kroner. Withheld tax is kept as the positive amount withheld (the message states it negative).
`extra` keeps fields of a delivery this model does not interpret (tilleggsinformasjon,
fradrag, pensjonsinnretning…) exactly as read, so a delivery read from JSON is written back
unchanged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# The income categories of an `inntekt` (the XSD's choice), each with its `beskrivelse`.
CATEGORIES = ("loennsinntekt", "ytelseFraOffentlige", "pensjonEllerTrygd", "naeringsinntekt")
BENEFITS = ("kontantytelse", "naturalytelse", "utgiftsgodtgjoerelse")  # fordel
ZONES = ("1", "1a", "2", "3", "4", "4a", "5")  # arbeidsgiveravgift sone


@dataclass(frozen=True)
class Employment:
    """arbeidsforhold"""

    employment_id: str  # arbeidsforholdId
    kind: str  # typeArbeidsforhold, e.g. ordinaertArbeidsforhold
    start: datetime.date | None = None  # startdato
    end: datetime.date | None = None  # sluttdato
    position_percent: Decimal | None = None  # stillingsprosent
    hours_per_week: Decimal | None = None  # antallTimerPerUkeSomEnFullStillingTilsvarer
    occupation: str = ""  # yrke (STYRK, 7 digits)
    working_time: str = ""  # arbeidstidsordning, e.g. ikkeSkift
    extra: dict[str, Any] = field(default_factory=dict, compare=True, hash=False)


@dataclass(frozen=True)
class Income:
    """inntekt"""

    description: str  # beskrivelse of the category, e.g. fastloenn, timeloenn
    benefit: str  # fordel
    triggers_contribution: bool  # utloeserArbeidsgiveravgift
    withholding_basis: bool  # inngaarIGrunnlagForTrekk
    amount: Decimal  # beloep
    category: str = "loennsinntekt"
    employment_id: str = ""  # arbeidsforholdId
    extra: dict[str, Any] = field(default_factory=dict, hash=False)  # inntekt's other fields
    category_extra: dict[str, Any] = field(default_factory=dict, hash=False)  # the category's


@dataclass(frozen=True)
class Withholding:
    """forskuddstrekk: the tax withheld, positive."""

    amount: Decimal
    description: str = "ordinaert"


@dataclass(frozen=True)
class Employee:
    """inntektsmottaker"""

    person: str  # norskIdentifikator: fødselsnummer or D-nummer
    name: str = ""  # for people reading the summary; the message identifies by number
    employments: tuple[Employment, ...] = ()
    incomes: tuple[Income, ...] = ()
    withholdings: tuple[Withholding, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False)  # fradrag, utleggstrekk…

    @property
    def withheld(self) -> Decimal:
        return sum((w.amount for w in self.withholdings), Decimal(0))

    @property
    def income_total(self) -> Decimal:
        return sum((i.amount for i in self.incomes), Decimal(0))


@dataclass(frozen=True)
class Contribution:
    """arbeidsgiveravgift/loennOgGodtgjoerelse: the employer's contribution of one zone."""

    code: str  # beregningskodeForArbeidsgiveravgift, e.g. generelleNaeringer
    zone: str  # sone
    basis: Decimal  # avgiftsgrunnlagBeloep
    rate: Decimal  # prosentsatsForAvgiftsberegning, percent

    @property
    def amount(self) -> Decimal:
        return self.basis * self.rate / 100


@dataclass(frozen=True)
class Unit:
    """virksomhet: the sub-unit (underenhet) the employees work at."""

    orgnr: str
    employees: tuple[Employee, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False)  # arbeidsgiveravgift's other parts


@dataclass(frozen=True)
class Payment:
    """betalingsinformasjon: what the employer pays for the month, whole kroner."""

    withheld_per_date: tuple[tuple[datetime.date, int], ...]  # sumForskuddstrekkPerLoennsutbetalingsdato
    employer_contribution: int  # sumArbeidsgiveravgift
    extra: dict[str, Any] = field(default_factory=dict, hash=False)  # sumFinansskattLoenn, sumUtleggstrekk

    @property
    def withheld(self) -> int:  # sumForskuddstrekk
        return sum(amount for _, amount in self.withheld_per_date)


@dataclass(frozen=True)
class MonthSummary:
    """One opplysningspliktig's month: the main unit and its sub-units' employees."""

    orgnr: str  # opplysningspliktig: the main unit (hovedenhet)
    month: str  # kalendermaaned, YYYY-MM
    payout_date: datetime.date  # loennsutbetalingsdato
    units: tuple[Unit, ...] = ()
    source_system: str = "Ledgerport"  # kildesystem
    language: str = "bokmaal"  # spraakForTilbakemelding
    payment: Payment | None = None  # as stated by a delivery read; None: computed
    extra: dict[str, Any] = field(default_factory=dict, hash=False)  # oppgave's other parts

    @property
    def employees(self) -> list[tuple[Unit, Employee]]:
        return [(unit, employee) for unit in self.units for employee in unit.employees]
