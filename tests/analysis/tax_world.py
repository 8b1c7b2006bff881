"""A demo company as both sandboxes know it: its books imported from the sandbox ledger (as a
Fortnox sync would, year by year) and its tax account stored from the Skatteverket scenario
(as the Skatteverket sync would, through the taxes services)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time

from ledgerport.ledger.services import ledger_import_sie
from ledgerport.taxes.services import (
    DeclarationData,
    TaxAccountRow,
    employer_declarations_store,
    tax_account_snapshot_store,
    tax_account_store,
)
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.services import company_create
from sandbox.core.ledger import Ledger
from sandbox.core.sie import sie4
from sandbox.demo import COMPANIES, FISCAL_YEARS
from sandbox.skatteverket.scenario import Scenario, scenario_for

TODAY = date(FISCAL_YEARS[1], 12, 5)


def demo_company(firm, key: str, *, today: date = TODAY):
    """The company, with its books and tax data; returns (company, scenario)."""
    company, ledger = import_books(firm, key)
    scenario = scenario_for(COMPANIES[key].orgnr, today=today, ledger=ledger)
    assert scenario is not None
    store_scenario(company, scenario, today)
    return company, scenario


def import_books(
    firm, key: str, *, vouchers: int | None = None, files: int | None = None
) -> tuple[Company, Ledger]:
    """The demo company (created in `firm` unless it has it) with both years of its sandbox books
    (at the sandbox's default size, or rescaled as `/_control/seed` rescales it)."""
    demo = COMPANIES[key]
    orgnr = demo.orgnr.replace("-", "")
    company = Company.objects.filter(firm=firm, orgnr=orgnr).first() or company_create(
        firm=firm, name=demo.name, orgnr=orgnr
    )
    ledger = Ledger(demo, 1, vouchers or demo.vouchers, demo.files if files is None else files)
    for year in FISCAL_YEARS:
        content = sie4(ledger, year, program="Sandbox", generated=datetime(year, 12, 31, tzinfo=UTC))
        ledger_import_sie(
            company=company,
            stream=io.BytesIO(content),
            source="fortnox",
            replace_sources=("fortnox",),
            note_kept_years=False,
        )
    return company, ledger


def store_scenario(company, scenario: Scenario, today: date) -> None:
    fetched = datetime.combine(today, time(12), UTC)

    def row(t):
        return TaxAccountRow(t.ident, t.booked, t.interest_date, t.text, t.amount, t.due)

    tax_account_store(
        company,
        booked=[row(t) for t in scenario.booked],
        upcoming=[row(t) for t in scenario.upcoming],
        fetched_at=fetched,
    )
    tax_account_snapshot_store(
        company,
        balance=scenario.balance(today),
        interest=0,
        ocr=scenario.ocr,
        reconciled_on=None,
        updated_at_source=fetched,
        fetched_at=fetched,
    )
    employer_declarations_store(
        company,
        [
            DeclarationData(
                period=date(int(d.period[:4]), int(d.period[4:]), 1),
                employer_contributions=d.employer_contributions,
                deducted_tax=d.deducted_tax,
                individual_count=d.individual_count,
                receipt_id=d.receipt_id,
                signed_by=d.signed_by,
                signed_at=d.signed_at,
            )
            for d in scenario.declarations
        ],
        fetched_at=fetched,
    )


def seeded(scenario: Scenario) -> dict[str, dict[str, str]]:
    """The scenario's discrepancies by kind, each as its key=value fields."""
    return {d.split()[0]: dict(kv.split("=", 1) for kv in d.split()[1:]) for d in scenario.discrepancies}
