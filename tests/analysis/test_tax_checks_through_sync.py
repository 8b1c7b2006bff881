"""End to end: the Skatteverket sync fetches the sandbox's scenario for Exempelbolaget (derived
from the ledger the sandbox serves for it, at its default size or rescaled), the books come from
the same ledger, and the tax checks of the earlier year find exactly the scenario's three seeded
discrepancies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledgerport.analysis.tax_account_check import tax_account_analysis
from ledgerport.connectors import sync, sync_runs
from ledgerport.connectors.models import SyncStatus
from ledgerport.ledger.models import FiscalYear
from sandbox.core.ledger import MONTHS_SV
from sandbox.skatteverket.scenario import scenario_for
from tests.analysis.tax_world import import_books, seeded
from tests.connectors.skatteverket.conftest import active_connection, grant, today


@pytest.mark.django_db
@pytest.mark.parametrize("scale", [None, (420, 20)], ids=["default", "rescaled"])
def test_the_synced_tax_account_has_exactly_the_seeded_discrepancies(world, providers_at_sandbox, scale):
    if scale is None:
        company, ledger = import_books(world.firm_a, "exempelbolaget")
    else:  # a bench-sized ledger: other salaries, sales and VAT than the default one
        providers_at_sandbox.seed_company("exempelbolaget", vouchers=scale[0], files=scale[1])
        company, ledger = import_books(world.firm_a, "exempelbolaget", vouchers=scale[0], files=scale[1])
    assert company == world.a1
    grant(providers_at_sandbox, company.orgnr)
    run = sync_runs.sync_start(connection=active_connection(company), enqueue=False)
    done = sync.sync_execute(run.pk)
    assert done is not None and done.status == SyncStatus.SUCCEEDED, done and done.log

    s = seeded(scenario_for(company.orgnr, seed=1, today=today(), ledger=ledger))
    earlier = FiscalYear.objects.filter(company=company).order_by("start").first()
    a = tax_account_analysis(company, earlier)
    period = date.fromisoformat(s["agi_difference"]["period"] + "-01")
    assert [r.text for r in a.unmatched_tax] == [
        f"Arbetsgivaravgift {MONTHS_SV[period.month - 1]} {period.year}",
        "Kostnadsränta",
    ]
    assert a.unmatched_tax[-1].amount == Decimal(s["unbooked_interest"]["amount"])
    assert [r.amount for r in a.unmatched_ledger] == [-Decimal(s["agi_difference"]["booked"])]
    assert [(p.due_date, p.paid_date) for p in a.late_payments] == [
        (date.fromisoformat(s["late_payment"]["due"]), date.fromisoformat(s["late_payment"]["paid"]))
    ]
    [agi] = a.agi_differences
    declared = -Decimal(s["agi_difference"]["declared"])
    assert (agi.period, agi.kind, agi.tax_account, agi.booked) == (
        period,
        "arbetsgivaravgift",
        declared,
        -Decimal(s["agi_difference"]["booked"]),
    )
    # The sync fetches declarations of the months it reaches back to; an earlier one is not compared.
    assert agi.declared in (declared, None)
    assert a.vat_differences == [] and a.findings == 5
