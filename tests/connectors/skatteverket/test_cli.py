"""`ledgerport sync ORGNR skatteverket --wait` as for the other providers, on the sandbox's demo
scenario of Exempelbolaget (scenario.py: derived from its sandbox ledger)."""

from __future__ import annotations

import pytest
from django.db import connections

from ledgerport import cli
from ledgerport.connectors.models import SyncRun, SyncStatus
from ledgerport.taxes.models import EmployerDeclaration, TaxAccountSnapshot, TaxAccountTransaction
from tests.connectors.skatteverket.conftest import active_connection, grant

pytestmark = pytest.mark.django_db


def test_sync_command_fetches_the_demo_tax_account(capsys, monkeypatch, world, providers_at_sandbox):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's transaction survives
    grant(providers_at_sandbox, "5560360793")  # world.a1 has Exempelbolaget's org number
    active_connection(world.a1)
    assert cli.main(["sync", "556036-0793", "skatteverket", "--wait"]) == 0
    out = capsys.readouterr().out
    assert "Skattekonto: saldo" in out and "Arbetsgivardeklarationer:" in out, out
    assert SyncRun.objects.get().status == SyncStatus.SUCCEEDED
    booked = TaxAccountTransaction.objects.filter(company=world.a1, upcoming=False)
    assert booked.filter(text__startswith="Arbetsgivaravgift").exists()
    snapshot = TaxAccountSnapshot.objects.get(company=world.a1)
    assert snapshot.ocr == "1655603607938"  # 16 + orgnr + Luhn digit
    assert EmployerDeclaration.objects.filter(company=world.a1).count() >= 12

    # Without the grant the command fails clearly and the connection turns red.
    providers_at_sandbox.control("skatteverket/grants/remove", company="5560360793")
    with pytest.raises(SystemExit) as failed:
        cli.main(["sync", "556036-0793", "skatteverket", "--wait"])
    assert failed.value.code != 0
    connection = world.a1.connections.get(provider="skatteverket")
    assert connection.status == "needs_reauthorisation" and "ombud" in connection.status_message
