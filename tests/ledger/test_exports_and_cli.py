"""The SIE 4 export round-trips to the same balances; `ledgerport sie import` on the console."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.urls import reverse

from ledgerport import cli, sie
from ledgerport.ledger import sie_export
from ledgerport.ledger.models import FiscalYear, LedgerImport, Voucher
from ledgerport.ledger.services import ledger_import_sie
from tests.ledger.conftest import VISMA

ZERO = Decimal(0)


def test_sie_export_reads_back_to_the_same_balances(client, world, imported):
    client.force_login(world.accountant_a)
    response = client.get(reverse("ledger:export_sie", args=[imported.company.pk, imported.pk]))
    assert response.status_code == 200
    document = sie.read(b"".join(response.streaming_content), strict=True)
    original = sie.read(VISMA)
    assert len(document.vouchers) == len(original.vouchers) == 295
    assert document.header.orgnr == "555555-5555"
    again = sie.BalanceCalculator(document.header, 0).add_all(document.vouchers).result()
    before = sie.BalanceCalculator(original.header, 0).add_all(original.vouchers).result()
    assert {n: b.closing for n, b in again.items() if b.closing} == {
        n: b.closing for n, b in before.items() if b.closing
    }
    # The exported #UB/#RES are what the file declared.
    assert all(b.declared_closing == b.closing for b in again.values() if b.declared_closing is not None)
    previous = sie.BalanceCalculator(document.header, -1).result()
    assert {n: b.declared_closing for n, b in previous.items()} == {
        n: b.declared_closing for n, b in sie.BalanceCalculator(original.header, -1).result().items()
    }


def test_sie_export_can_be_imported_again(world, imported):
    stream = sie_export.sie4(imported)
    other = world.b1  # another firm's client with the same org number
    other.orgnr = "5555555555"
    other.save()
    result = ledger_import_sie(company=other, stream=stream, file_name="export.se")
    assert (result.vouchers, result.rows) == (295, 1330)


def test_cli_imports_and_refuses_to_replace_without_replace(visma_company, monkeypatch):
    out = io.StringIO()
    call_command("sie_import", "555555-5555", str(VISMA), stdout=out)
    assert "295" in out.getvalue()
    assert Voucher.objects.filter(fiscal_year__company=visma_company).count() == 295
    with pytest.raises(CommandError) as refused:
        call_command("sie_import", "5555555555", str(VISMA))
    assert "Räkenskapsåret 2021-01-01 – 2021-12-31 har redan en huvudbok" in str(refused.value)
    assert "--replace" in str(refused.value)
    # The console command maps `sie import` to sie_import (which closes connections when done;
    # the test's transaction must survive that).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    assert cli.main(["sie", "import", "555555-5555", str(VISMA), "--replace"]) == 0
    assert Voucher.objects.filter(fiscal_year__company=visma_company).count() == 295
    job = LedgerImport.objects.filter(company=visma_company).order_by("-pk").first()
    assert job.status == "succeeded" and job.file.name  # the file is stored for provenance


def test_cli_refuses_an_unknown_company_and_a_foreign_file(world):
    with pytest.raises(CommandError, match="No company"):
        call_command("sie_import", "559999-9999", str(VISMA))
    with pytest.raises(CommandError, match="555555-5555"):
        call_command("sie_import", "556036-0793", str(VISMA))
    assert not FiscalYear.objects.filter(company=world.a1).exists()
