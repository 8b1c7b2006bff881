"""The tax-account sync against the sandbox: what is stored, run twice (and twice at once) gives
the same rows, a removed grant turns the connection red, and nothing is ever written to
Skatteverket (every API call a GET but the deep link's POST)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.template.loader import render_to_string

from ledgerport.connectors import ombud, scheduled, sync, sync_runs
from ledgerport.connectors.fiscal_years import two_latest_periods
from ledgerport.connectors.models import ConnectionStatus, SyncRun, SyncStatus
from ledgerport.taxes import selectors, services
from ledgerport.taxes.models import EmployerDeclaration, TaxAccountSnapshot, TaxAccountTransaction
from tests.concurrency import at_once
from tests.connectors.skatteverket.conftest import active_connection, grant, remove_grant, scenario, today


def run_sync(connection) -> SyncRun:
    run = sync_runs.sync_start(connection=connection, enqueue=False)
    done = sync.sync_execute(run.pk)
    assert done is not None
    return done


def stored(company) -> dict[str, object]:
    return {
        "transactions": sorted(
            TaxAccountTransaction.objects.filter(company=company).values_list(
                "ident", "booked", "text", "amount", "upcoming", "due"
            ),
            key=str,
        ),
        "snapshot": list(TaxAccountSnapshot.objects.filter(company=company).values_list("balance", "ocr")),
        "declarations": list(
            EmployerDeclaration.objects.filter(company=company)
            .order_by("period")
            .values_list("period", "employer_contributions", "deducted_tax", "individual_count", "receipt_id")
        ),
    }


@pytest.mark.django_db
def test_the_sync_stores_the_tax_account_and_declarations_and_a_second_run_changes_nothing(world, skv):
    grant(skv)
    connection = active_connection(world.a1)
    run = run_sync(connection)
    assert run.status == SyncStatus.SUCCEEDED, run.log

    data = scenario()
    state = stored(world.a1)
    assert [t[0] for t in state["transactions"] if t[0]] == ["T1", "T2", "T3", "T4"]
    assert sum(t[3] for t in state["transactions"] if not t[4]) == Decimal("247.50")
    assert state["snapshot"] == [(Decimal("247.50"), "1655603607938")]
    first, second = data["declarations"]
    assert [(f"{d[0]:%Y%m}", d[1], d[2], d[3], d[4]) for d in state["declarations"]] == [
        (first["period"], Decimal("3142"), Decimal("1598.50"), 2, "kv-1"),
        (second["period"], Decimal("3300.25"), Decimal("1700"), 3, "kv-2"),
    ]
    declaration = EmployerDeclaration.objects.get(company=world.a1, receipt_id="kv-1")
    assert selectors.employer_declaration_signed_by(declaration) == "191212121212"
    assert "191212121212" not in declaration.signed_by_ciphertext
    upcoming = TaxAccountTransaction.objects.get(company=world.a1, upcoming=True)
    assert upcoming.amount == Decimal("-2000") and upcoming.due is not None
    assert selectors.tax_account_snapshot(world.a1).connection_id == connection.pk

    again = run_sync(connection)
    assert again.status == SyncStatus.SUCCEEDED, again.log
    assert stored(world.a1) == state
    done, steps = again.progress["data"]
    assert done == steps > 12  # the tax account and each month's declaration
    html = render_to_string("connectors/_sync_run.html", {"company": world.a1, "run": again})
    assert 'data-testid="sync-done"' in html and "Hämtat." in html and "räkenskapsår" not in html

    # No call wrote anything at Skatteverket: GETs only (the sync made no deep link either).
    stats = skv.stats()["skatteverket"]
    methods = {key: count for key, count in stats.items() if key.startswith("method:")}
    assert set(methods) == {"method:GET"}, stats
    assert stats["token"] >= 1  # the token endpoint's POST is the only other request


@pytest.mark.django_db(transaction=True)
def test_two_syncs_at_once_store_the_same_rows_as_one(world, skv):
    grant(skv)
    connection = active_connection(world.a1)
    run_sync(connection)
    expected = stored(world.a1)
    TaxAccountTransaction.objects.all().delete()
    EmployerDeclaration.objects.all().delete()
    TaxAccountSnapshot.objects.all().delete()

    # Two separate runs (asking twice through sync_start would return the first one).
    runs = [SyncRun.objects.create(connection=connection) for _ in range(2)]
    at_once([partial(sync.sync_execute, run.pk) for run in runs])
    for run in runs:  # one may have found the connection busy (None): it runs now
        if SyncRun.objects.get(pk=run.pk).status != SyncStatus.SUCCEEDED:
            assert sync.sync_execute(run.pk) is not None
    assert [SyncRun.objects.get(pk=run.pk).status for run in runs] == [SyncStatus.SUCCEEDED] * 2
    assert stored(world.a1) == expected


@pytest.mark.django_db(transaction=True)
def test_the_upserts_called_at_once_do_not_collide(world):
    rows = [
        services.TaxAccountRow(f"T{i}", date(2026, 3, 12), None, "Inbetalning", Decimal(i)) for i in range(50)
    ]
    results = at_once([partial(services.tax_account_store, world.a1, booked=rows, upcoming=rows[:2])] * 4)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert TaxAccountTransaction.objects.filter(company=world.a1, upcoming=False).count() == 50
    assert TaxAccountTransaction.objects.filter(company=world.a1, upcoming=True).count() == 2


@pytest.mark.django_db
def test_a_removed_grant_turns_the_connection_red_at_the_next_check_and_sync(world, skv):
    grant(skv)
    connection = active_connection(world.a1)
    assert ombud.connection_check(connection) == []
    remove_grant(skv)
    run = run_sync(connection)
    assert run.status == SyncStatus.FAILED
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.NEEDS_REAUTHORISATION
    assert "Skatteverket" in connection.status_message
    # Appointed again: the daily check makes it green and queues the day's sync.
    grant(skv)
    assert ombud.check_all() == {"granted": 1, "missing": 0, "failed": 0}
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACTIVE
    [run_id] = scheduled.daily_data_syncs()
    assert SyncRun.objects.get(pk=run_id).connection == connection


def test_beat_runs_the_daily_check_and_syncs(settings):
    from ledgerport.celery import app

    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "ledgerport.connectors.scheduled.daily_data_syncs_task" in tasks
    assert tasks <= set(app.tasks)  # every scheduled task is registered with the worker


@pytest.mark.django_db
def test_the_sync_reads_the_history_the_checks_need_within_the_authoritys_limit(world, providers_at_sandbox):
    """Two full fiscal years and the current one: the tax account back to 914 days (Skatteverket
    answers at most 915, else 400), the declarations from the previous fiscal year's first month."""
    on = today()
    previous_start = two_latest_periods(world.a1, on)[0][0]
    data = scenario(on)
    data["booked"] += [
        {"ident": "OLD-914", "booked": str(on - timedelta(days=914)), "text": "Inbetalning", "amount": "1"},
        {"ident": "OLD-916", "booked": str(on - timedelta(days=916)), "text": "Inbetalning", "amount": "2"},
        {"ident": "OLD-470", "booked": str(on - timedelta(days=470)), "text": "Inbetalning", "amount": "4"},
    ]
    data["declarations"].append(
        {
            "period": f"{previous_start:%Y%m}",
            "employer_contributions": "100",
            "deducted_tax": "50",
            "individual_count": 1,
            "receipt_id": "kv-first",
        }
    )
    providers_at_sandbox.control("skatteverket/scenario", **data)
    grant(providers_at_sandbox)
    run = run_sync(active_connection(world.a1))
    assert run.status == SyncStatus.SUCCEEDED, run.log

    idents = set(TaxAccountTransaction.objects.filter(company=world.a1).values_list("ident", flat=True))
    assert {"OLD-914", "OLD-470"} <= idents and "OLD-916" not in idents
    assert EmployerDeclaration.objects.filter(
        company=world.a1, period=previous_start, receipt_id="kv-first"
    ).exists()
    # One transactions call (the API takes only a start date), each month's receipts once.
    stats = providers_at_sandbox.stats()["skatteverket"]
    assert sum(n for key, n in stats.items() if "transaktioner" in key) == 1, stats


@pytest.mark.django_db
def test_a_deleted_company_is_neither_checked_nor_synced_each_day(world, skv):
    grant(skv)
    active_connection(world.a1)
    world.a1.delete()  # marks it; its rows stay for the retention period
    assert ombud.check_all() == {"granted": 0, "missing": 0, "failed": 0}
    assert scheduled.daily_data_syncs() == []
