"""Reading VAT returns of a company the caller already scoped (company_get)."""

from __future__ import annotations

from ledgerport.ledger.models import FiscalYear
from ledgerport.mvamelding import Term, terms_of_year
from ledgerport.tenancy.models import Company

from .models import VatReturn


def vat_return_get(*, company: Company, pk: int) -> VatReturn | None:
    return VatReturn.objects.filter(company=company, pk=pk).select_related("company").first()


def returns_of_year(*, company: Company, year: int) -> dict[int, VatReturn]:
    return {r.term: r for r in VatReturn.objects.filter(company=company, year=year)}


def years(*, company: Company) -> list[int]:
    """The calendar years the company's ledger covers, newest first."""
    found: set[int] = set()
    for start, end in FiscalYear.objects.filter(company=company).values_list("start", "end"):
        found.update(range(start.year, end.year + 1))
    return sorted(found, reverse=True)


def term_rows(*, company: Company, year: int) -> list[tuple[Term, VatReturn | None]]:
    """The year's six terms and the annual term, with their returns."""
    returns = returns_of_year(company=company, year=year)
    terms = terms_of_year(year) + terms_of_year(year, annual=True)
    return [(term, returns.get(term.number)) for term in terms]
