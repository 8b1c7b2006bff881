"""What the authority would refuse in a month's summary, found before sending (the sandbox
checks the same on its side). Each problem names the value; `where` maps a value to the CSV
line it was read from, when it was."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from .identifiers import orgnr_valid, person_valid
from .model import BENEFITS, CATEGORIES, ZONES, Employee, MonthSummary
from .problems import Problem
from .sums import contribution_basis

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_RATE = Decimal("14.1")


def check(
    summary: MonthSummary,
    *,
    accept_synthetic: bool = False,
    where: Callable[[object], tuple[int, int]] | None = None,
) -> list[Problem]:
    """Every problem found, in reading order; [] when the summary may be sent."""
    problems: list[Problem] = []

    def problem(code: str, at: object = None, **params: object) -> None:
        line, column = where(at) if where is not None and at is not None else (0, 0)
        problems.append(Problem(code, line, column, params))

    if not orgnr_valid(summary.orgnr):
        problem("orgnr", summary, value=summary.orgnr)
    if not MONTH.match(summary.month):
        problem("month", summary, value=summary.month)
    elif not "2014-01" <= summary.month <= "2099-12":
        problem("month_range", summary, value=summary.month)
    elif summary.payment is None and f"{summary.payout_date:%Y-%m}" != summary.month:
        problem("payout_month", summary, value=summary.payout_date.isoformat(), month=summary.month)
    if not summary.units:
        problem("no_units")
    for unit in summary.units:
        if not orgnr_valid(unit.orgnr):
            problem("orgnr", unit, value=unit.orgnr)
        elif unit.orgnr == summary.orgnr and unit.employees:
            problem("main_unit", unit, orgnr=unit.orgnr)
        for c in unit.contributions:
            if c.zone not in ZONES:
                problem("zone", c, value=c.zone)
            if not Decimal(0) <= c.rate <= MAX_RATE:
                problem("rate", c, value=c.rate)
        if not unit.contributions and contribution_basis(summary, unit.orgnr):
            problem("no_contribution", unit, orgnr=unit.orgnr)
        for employee in unit.employees:
            _check_employee(employee, problem, accept_synthetic)
    return problems


def _check_employee(employee: Employee, problem: Callable[..., None], accept_synthetic: bool) -> None:
    if not person_valid(employee.person, accept_synthetic=accept_synthetic):
        problem("person", employee, value=employee.person)
    ids = {e.employment_id for e in employee.employments}
    for e in employee.employments:
        if e.position_percent is not None and not Decimal(0) <= e.position_percent <= 100:
            problem("percent", e, value=e.position_percent)
        if e.start and e.end and e.end < e.start:
            problem("end_before_start", e, employment=e.employment_id, person=employee.person)
    for w in employee.withholdings:
        if w.amount < 0:
            problem("negative_withholding", w, value=w.amount)
        elif w.amount != w.amount.to_integral_value():
            problem("whole_kroner", w, value=str(w.amount))
    if (employee.incomes or employee.withholdings) and not employee.employments:
        problem("no_employment", employee, person=employee.person)
    elif employee.employments and not employee.incomes and not employee.withholdings:
        problem("no_income", employee, person=employee.person)
    for income in employee.incomes:
        if income.benefit not in BENEFITS:
            problem("benefit", income, value=income.benefit)
        if income.category not in CATEGORIES:
            problem("category", income, value=income.category)
        if income.employment_id and income.employment_id not in ids:
            problem("income_employment", income, person=employee.person, employment=income.employment_id)
