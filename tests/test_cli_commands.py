"""Every `ledgerport` command, run for real through the console entry point (`cli.main`).

`test_every_project_command_has_a_test` fails when a command is added without one here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.db import connections

from ledgerport import cli
from ledgerport.connectors.models import ActivationLink, SyncRun, SyncStatus
from ledgerport.ledger.models import FiscalYear, Voucher
from ledgerport.tenancy.models import Company, Firm
from tests.connectors.conftest import acme  # noqa: F401  (fixture)
from tests.connectors.sync_helpers import connect
from tests.ledger.conftest import VISMA, VISMA_ORGNR
from tests.saft.saft_files import Variant, write

LEDGERPORT = Path(sys.executable).with_name("ledgerport")
# The project's own management commands and the test below that runs each.
TESTED = {
    "sie_import": "test_sie_import_and_ledger_summary_json",
    "ledger_summary": "test_sie_import_and_ledger_summary_json",
    "connections_link": "test_connections_link_prints_a_working_link",
    "connections_providers": "test_connections_providers_lists_the_registry",
    "sync": "test_sync_waits_and_reports",
    "documents_sweep": "test_documents_sweep_deletes_only_orphans",
    "seed_demo": "test_seed_demo_and_help",
    "analysis_taxaccount": "test_analysis_taxaccount_prints_the_json_shape",
    "saft_import": "test_saft_import_loads_a_norwegian_ledger",
}


@pytest.fixture(autouse=True)
def _keep_connections(monkeypatch, settings, tmp_path):
    # Some commands close the database connections when done; the test's transaction must survive.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def run(capsys, *args: str) -> str:
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


def fails(capsys, *args: str) -> str:
    """A refused command exits 1 with one line on stderr, never a traceback."""
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("CommandError: ") and "Traceback" not in err
    return err


def test_every_project_command_has_a_test():
    ours = {name for name, app in get_commands().items() if str(app).startswith("ledgerport")}
    assert ours == set(TESTED)
    here = Path(__file__).read_text()
    assert all(f"def {test}(" in here for test in TESTED.values())


def test_pure_sie_commands(capsys, tmp_path):
    inspect = json.loads(run(capsys, "sie", "inspect", str(VISMA), "--json"))
    assert (inspect["orgnr"], inspect["vouchers"], inspect["rows"]) == ("555555-5555", 295, 1330)
    balances = json.loads(run(capsys, "sie", "balances", str(VISMA), "--json"))
    assert "1930" in json.dumps(balances)
    out = tmp_path / "canonical.se"
    run(capsys, "sie", "write", str(VISMA), "-o", str(out), "--checksum")
    assert b"#KSUMMA" in out.read_bytes()
    again = json.loads(run(capsys, "sie", "inspect", str(out), "--json", "--strict"))
    assert (again["vouchers"], again["checksum"]) == (295, "ok")


def test_seed_demo_and_help(capsys, db):
    assert "Demo Redovisning AB" in run(capsys, "seed_demo")
    assert Company.objects.count() == 3
    listing = subprocess.run(
        [LEDGERPORT, "--help"], capture_output=True, text=True, timeout=120, check=False, env=os.environ
    )
    assert listing.returncode == 0, listing.stderr
    for name in TESTED:
        assert name in listing.stdout


def test_sie_import_and_ledger_summary_json(capsys, world):
    company = Company.objects.create(firm=world.firm_a, name="Övningsbolaget AB", orgnr=VISMA_ORGNR)
    assert "295" in run(capsys, "sie", "import", "555555-5555", str(VISMA))
    summary = json.loads(run(capsys, "ledger", "summary", "555555-5555", "--json"))
    assert summary["orgnr"] == "555555-5555"
    [year] = [y for y in summary["fiscal_years"] if y["start"] == "2021-01-01"]
    assert (year["source"], year["vouchers"], year["rows"]) == ("sie", 295, 1330)
    assert (
        year["vouchers"]
        == Voucher.objects.filter(fiscal_year__company=company, fiscal_year__start="2021-01-01").count()
    )
    text = run(capsys, "ledger", "summary", "5555555555")
    assert "Övningsbolaget AB" in text and "295 vouchers" in text
    # Replacing needs --replace; asked for plainly, not with a traceback.
    assert "--replace" in fails(capsys, *["sie", "import", "555555-5555", str(VISMA)])
    run(capsys, "sie", "import", "555555-5555", str(VISMA), "--replace")
    assert FiscalYear.objects.filter(company=company, start="2021-01-01").count() == 1


def test_connections_link_prints_a_working_link(capsys, client, settings, world):
    url = run(capsys, "connections", "link", "556036-0793", "fortnox").strip()
    link = ActivationLink.objects.get(company=world.a1)
    assert url.startswith("http") and link.token in url
    assert client.get(url.removeprefix(settings.PUBLIC_URL)).status_code == 200


def test_connections_providers_lists_the_registry(capsys, db, acme):  # noqa: F811
    rows = [line.split("\t") for line in run(capsys, "connections", "providers").splitlines()]
    assert [row[:3] for row in rows] == [
        ["acme", "Acme Books", "consent only"],  # a test-only package, registered like the others
        ["altinn", "Altinn", "settings"],  # connected on its settings page
        ["fortnox", "Fortnox", "sync"],
        ["skatteverket", "Skatteverket", "sync"],
        ["spiris", "Spiris", "sync"],
    ]
    assert all(row[3].startswith("http") for row in rows)


def test_sync_waits_and_reports(capsys, world, providers_at_sandbox):
    providers_at_sandbox.seed_company("556036-0793", vouchers=20, files=3)
    connect(providers_at_sandbox, world.a1)
    out = run(capsys, "sync", "556036-0793", "fortnox", "--two-latest-years", "--wait")
    run_ = SyncRun.objects.get()
    assert run_.status == SyncStatus.SUCCEEDED, out
    assert f"Sync {run_.pk}: succeeded" in out
    # Queued on commit: the test's transaction never commits, so nothing reaches the broker.
    assert "queued" in run(capsys, "sync", "556036-0793", "fortnox")


def test_documents_sweep_deletes_only_orphans(capsys, db, settings):
    orphan = Path(settings.MEDIA_ROOT) / "documents" / "1" / "orphan.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.4 left behind")
    old = (orphan.stat().st_mtime - timedelta(hours=2).total_seconds(),) * 2
    os.utime(orphan, old)
    assert "Would delete 1" in run(capsys, "documents", "sweep", "--dry-run")
    assert orphan.exists()
    assert "Deleted 1" in run(capsys, "documents", "sweep")
    assert not orphan.exists()
    assert "negative" in fails(capsys, *["documents", "sweep", "--older-than-hours", "-1"])


@pytest.mark.parametrize(
    "command",
    [
        ["ledger", "summary", "556036-0793", "--json"],
        ["connections", "link", "556036-0793", "fortnox"],
        ["sync", "556036-0793", "fortnox"],
        ["sie", "import", "556036-0793", str(VISMA)],
    ],
)
def test_a_shared_org_number_asks_for_the_firm(capsys, world, command):
    world.b1.orgnr = world.a1.orgnr  # another firm's client with the same number
    world.b1.save()
    message = fails(capsys, *command)
    assert "--firm" in message and "Alfa Redovisning AB" in message and "Beta Revision AB" in message
    assert "No company" in fails(capsys, *[*command, "--firm", "No Such Firm"])


def test_firm_by_name_or_id_chooses_the_company(capsys, world):
    world.b1.orgnr = world.a1.orgnr
    world.b1.save()
    beta = Firm.objects.get(name="Beta Revision AB")
    by_name = json.loads(
        run(capsys, "ledger", "summary", "556036-0793", "--json", "--firm", "beta revision ab")
    )
    by_id = json.loads(run(capsys, "ledger", "summary", "556036-0793", "--json", "--firm", str(beta.pk)))
    assert by_name == by_id == {"orgnr": "556036-0793", "fiscal_years": []}
    run(capsys, "connections", "link", "556036-0793", "fortnox", "--firm", "Alfa Redovisning AB")
    assert ActivationLink.objects.get().company == world.a1


def test_analysis_taxaccount_prints_the_json_shape(capsys, world):
    # Alfa Klient Ett has no books yet: the command refuses with one line naming the year.
    err = fails(capsys, "analysis", "taxaccount", "556036-0793", "--year", "2025", "--json")
    assert "2025" in err


def test_saft_import_loads_a_norwegian_ledger(capsys, world, tmp_path):
    from ledgerport.tenancy.services import company_create

    company = company_create(
        firm=world.firm_a, name="Fjordlys Rådgivning AS", orgnr="923609016", country="NO"
    )
    path = write(tmp_path / "SAF-T Financial_923609016_2025.xml", Variant())
    run(capsys, "saft", "import", "923 609 016", str(path))
    assert Voucher.objects.filter(fiscal_year__company=company).count() == 6
