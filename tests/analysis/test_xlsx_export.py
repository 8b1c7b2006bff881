"""The xlsx export: both statements and the general ledger, against the sample file's own balances."""

from __future__ import annotations

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from ledgerport.analysis import reports
from tests.ledger.conftest import VISMA, declared_balances

ZERO = Decimal(0)


def test_xlsx_has_both_statements_and_the_general_ledger(client, world, imported):
    client.force_login(world.accountant_a)
    response = client.get(reverse("analysis:export_xlsx", args=[imported.company.pk, imported.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Balansräkning", "Resultaträkning", "Huvudbok"]
    income = {row[1]: row[2] for row in workbook["Resultaträkning"].iter_rows(values_only=True)}
    result = reports.report(imported, reports.INCOME, None).statement.result[0]
    assert Decimal(str(income["Årets resultat"])).quantize(Decimal("0.01")) == result
    assets = {row[1]: row[3] for row in workbook["Balansräkning"].iter_rows(values_only=True)}
    ub = declared_balances(VISMA, "UB", 0)
    assert Decimal(str(assets["Summa tillgångar"])).quantize(Decimal("0.01")) == sum(
        (v for k, v in ub.items() if k.startswith("1")), ZERO
    )
    ledger_rows = list(workbook["Huvudbok"].iter_rows(values_only=True))
    bank = [row for row in ledger_rows if row[0] == "1930"]
    assert Decimal(str(bank[-1][6])).quantize(Decimal("0.01")) == ub["1930"]  # running balance ends at #UB
