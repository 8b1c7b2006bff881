"""Sync against the sandbox over HTTP: Fortnox and Spiris ledgers and documents, the ledger
source rule, idempotency and the incremental resync.

The sandbox companies are scaled down (`seed_company`) so a full sync stays within a few
seconds under the providers' real rate limits."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import httpx
import pytest

from ledgerport.connectors import sync, sync_runs, tokens
from ledgerport.connectors.models import SyncStatus
from ledgerport.documents.models import Document, DocumentOrigin
from ledgerport.ledger.models import FiscalYear, RowKind, Source, VoucherRow
from ledgerport.tenancy.models import Company
from tests.connectors.sync_helpers import connect, ledger_state

pytestmark = pytest.mark.django_db


def run_sync(connection, **kwargs):
    run = sync_runs.sync_start(connection=connection, enqueue=False, **kwargs)
    done = sync.sync_execute(run.pk)
    assert done is not None
    return done


def provider_api(sandbox, connection, provider="fortnox"):
    """The sandbox's own view of the company, read with the connection's token."""
    token = tokens.access_token(connection.pk)
    return httpx.Client(
        base_url=f"{sandbox.url}/{provider}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def fortnox_vouchers(api, financial_year_id):
    """Every voucher of a year through the vouchers API (not the SIE export the sync uses)."""
    vouchers, page = [], 1
    while True:
        body = api.get("/3/vouchers", params={"financialyear": financial_year_id, "page": page}).json()
        vouchers += body["Vouchers"]
        if page >= int(body["MetaInformation"]["@TotalPages"]):
            return vouchers
        page += 1


@pytest.fixture
def small_fortnox(providers_at_sandbox):
    providers_at_sandbox.seed_company("556036-0793", vouchers=60, files=20)
    return providers_at_sandbox


def test_fortnox_sync_matches_the_vouchers_api_and_links_documents(world, small_fortnox):
    connection = connect(small_fortnox, world.a1)
    run = run_sync(connection)
    assert run.status == SyncStatus.SUCCEEDED, run.log

    years = list(FiscalYear.objects.filter(company=world.a1).order_by("start"))
    assert len(years) == 2
    assert {fy.source for fy in years} == {"fortnox"}
    small_fortnox.ratelimit("fortnox", enabled=False)  # the sync spent this token's budget
    with provider_api(small_fortnox, connection) as api:
        provider_years = api.get("/3/financialyears").json()["FinancialYears"]
        for fy in years:
            (match,) = [y for y in provider_years if y["FromDate"] == fy.start.isoformat()]
            listed = fortnox_vouchers(api, match["Id"])
            assert fy.voucher_count == len(listed)
        # Every stored document is byte-for-byte what the provider serves.
        documents = list(Document.objects.filter(company=world.a1))
        assert documents
        for document in documents:
            with document.file.open("rb") as handle:
                assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
    state = ledger_state(world.a1)
    assert all(state[str(fy)]["links"] for fy in years)
    # Provenance: every fetched file names the connection it came through; retention runs
    # seven years past the end of the fiscal year of its voucher.
    origins = DocumentOrigin.objects.filter(company=world.a1)
    assert origins and all(o.consent.startswith(f"fortnox #{connection.pk}: ") for o in origins)
    latest = max(fy.end for fy in years)
    assert max(d.retain_until for d in documents) >= latest.replace(year=latest.year + 7)


def test_a_resync_is_idempotent_and_cheap(world, small_fortnox):
    connection = connect(small_fortnox, world.a1)
    first = run_sync(connection)
    assert first.status == SyncStatus.SUCCEEDED, first.log
    before = ledger_state(world.a1)
    again = run_sync(connection)
    assert again.status == SyncStatus.SUCCEEDED, again.log
    assert ledger_state(world.a1) == before
    # A fixed handful of "what changed since?" questions (years, counts, file lists), however
    # big the company; the 5 % target at 5,000 vouchers is measured by `make bench`.
    assert again.requests <= 10 < first.requests, (first.requests, again.requests)


def test_new_activity_at_the_provider_reaches_the_ledger(world, small_fortnox):
    connection = connect(small_fortnox, world.a1)
    run_sync(connection)
    counts = dict(FiscalYear.objects.filter(company=world.a1).values_list("start", "voucher_count"))
    (new,) = small_fortnox.add_activity("556036-0793", count=1)["vouchers"]
    run = run_sync(connection)
    assert run.status == SyncStatus.SUCCEEDED, run.log
    after = dict(FiscalYear.objects.filter(company=world.a1).values_list("start", "voucher_count"))
    assert sum(after.values()) == sum(counts.values()) + 1, new


def test_an_uploaded_ledger_is_kept_unless_the_user_overwrites_it(world, small_fortnox):
    connection = connect(small_fortnox, world.a1)
    run_sync(connection)
    latest = FiscalYear.objects.filter(company=world.a1).order_by("-start").first()
    FiscalYear.objects.filter(pk=latest.pk).update(source=Source.SIE)

    kept = run_sync(connection)
    assert kept.status == SyncStatus.SUCCEEDED, kept.log
    latest.refresh_from_db()
    assert latest.source == Source.SIE
    assert "only documents are fetched" in kept.log or "endast dokument" in kept.log

    overwritten = run_sync(connection, overwrite_uploaded_ledger=True)
    assert overwritten.status == SyncStatus.SUCCEEDED, overwritten.log
    latest.refresh_from_db()
    assert latest.source == "fortnox"


def test_spiris_sync_imports_balanced_vouchers_and_attachments(world, providers_at_sandbox):
    sandbox = providers_at_sandbox
    sandbox.seed_company("559141-9816", vouchers=60, files=20)
    Company.objects.filter(pk=world.a2.pk).update(orgnr="5591419816")  # the sandbox's Spiris company
    world.a2.refresh_from_db()
    connection = connect(sandbox, world.a2, provider="spiris")
    run = run_sync(connection)
    assert run.status == SyncStatus.SUCCEEDED, run.log
    years = list(FiscalYear.objects.filter(company=world.a2))
    assert years
    assert {fy.source for fy in years} == {"spiris"}
    for fy in years:
        assert fy.voucher_count > 0
        # Every voucher balances: the rows of a year sum to zero.
        rows = VoucherRow.objects.filter(fiscal_year=fy, kind=RowKind.TRANS)
        total = sum((row.amount for row in rows), Decimal(0))
        assert total == 0
    assert Document.objects.filter(company=world.a2).exists()
