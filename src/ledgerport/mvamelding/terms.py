"""The terms (skattleggingsperioder) a Norwegian VAT return covers: the six two-monthly terms
of the general scheme and the annual term (small businesses, primary industries)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
ANNUAL = 0  # the term number of the annual return


@dataclass(frozen=True, order=True)
class Term:
    year: int
    number: int  # 1–6 two-monthly, ANNUAL (0) the whole year

    def __post_init__(self) -> None:
        if not 0 <= self.number <= 6:
            raise ValueError(f"term {self.number}: a term is 1–6 or 0 (annual)")

    @property
    def start(self) -> dt.date:
        month = 1 if self.number == ANNUAL else 2 * self.number - 1
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        month = 12 if self.number == ANNUAL else 2 * self.number
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def period(self) -> tuple[str, str]:
        """The melding's period element and value."""
        if self.number == ANNUAL:
            return ("skattleggingsperiodeAar", "aarlig")
        first = MONTHS[2 * self.number - 2]
        return ("skattleggingsperiodeToMaaneder", f"{first}-{MONTHS[2 * self.number - 1]}")

    @property
    def months(self) -> tuple[int, ...]:
        """The term's months as YYYYMM (the ledger's `period`)."""
        return tuple(self.year * 100 + m for m in range(self.start.month, self.end.month + 1))

    @property
    def label(self) -> str:
        """In bokmål, as Skatteetaten names terms."""
        if self.number == ANNUAL:
            return f"Årstermin {self.year}"
        first, last = self.period[1].split("-")
        return f"{self.number}. termin {self.year} ({first}–{last})"


def terms_of_year(year: int, annual: bool = False) -> list[Term]:
    return [Term(year, ANNUAL)] if annual else [Term(year, n) for n in range(1, 7)]


def term_of_period(year: int, element: str, value: str) -> Term | None:
    """The term a melding's period names, or None if it is not one of ours."""
    for term in terms_of_year(year) + terms_of_year(year, annual=True):
        if term.period == (element, value):
            return term
    return None
