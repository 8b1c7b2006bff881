"""Progress never sticks: a sync whose worker vanished is noticed by its stale heartbeat and
resumed by the watchdog (beat; every worker at start-up), or, when it keeps dying, ends as
failed with the reason and a "Försök igen" button that queues a run of the same kind.

The scene of the bug: a run left "running" at 64 of 211 documents by a killed worker, its
lock free. Before the heartbeat nothing ever touched it again."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ledgerport.celery import app
from ledgerport.connectors import locks, sync, sync_runs
from ledgerport.connectors.models import SyncRun, SyncStatus
from ledgerport.documents.models import Document
from tests.connectors.sync_helpers import connect

pytestmark = pytest.mark.django_db

EXEMPEL = "556036-0793"


@pytest.fixture
def eager():
    """Tasks run where they are queued: the watchdog's re-queued sync runs in this test."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def connection(world, providers_at_sandbox):
    providers_at_sandbox.seed_company(EXEMPEL, vouchers=40, files=6)
    return connect(providers_at_sandbox, world.a1)


def abandoned(connection, **fields) -> SyncRun:
    """A run as a SIGKILLed worker leaves it: running, 64 of 211, silent for a minute."""
    run = sync_runs.sync_start(connection=connection, enqueue=False)
    minute_ago = timezone.now() - timedelta(minutes=1)
    values = {
        "status": SyncStatus.RUNNING,
        "started_at": minute_ago,
        "heartbeat_at": minute_ago,
        "attempts": 1,
        "progress": {"ledger": [2, 2], "documents": [64, 211]},
        **fields,
    }
    SyncRun.objects.filter(pk=run.pk).update(**values)
    run.refresh_from_db()
    return run


def panel(client, world, connection):
    client.force_login(world.admin_a)
    return client.get(reverse("connectors:sync_panel", args=[world.a1.pk, connection.provider]))


def test_a_run_whose_worker_vanished_is_resumed_by_the_watchdog(world, connection, eager, client):
    run = abandoned(connection)
    page = panel(client, world, connection).content.decode()
    assert 'data-testid="sync-stale"' in page  # the page says so meanwhile, it does not just spin

    assert sync_runs.sync_watchdog() == [run.pk]  # queued again; eager: it runs here, to the end

    run.refresh_from_db()
    assert run.status == SyncStatus.SUCCEEDED, run.log
    assert run.attempts == 2
    assert "Fortsätter den avbrutna synkningen." in run.log
    assert run.progress["documents"][0] == run.progress["documents"][1] == Document.objects.count() > 0
    assert run.worker and run.heartbeat_at > timezone.now() - timedelta(minutes=1)


def test_the_watchdog_leaves_a_live_run_alone(world, connection, eager):
    run = abandoned(connection)
    with locks.sync_lock(connection.pk) as held:  # a live process works on the connection
        assert held
        assert sync_runs.sync_watchdog() == []
    assert SyncRun.objects.get(pk=run.pk).status == SyncStatus.RUNNING
    SyncRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    assert sync_runs.sync_watchdog() == []  # heartbeat recent: not even looked at
    assert SyncRun.objects.get(pk=run.pk).status == SyncStatus.RUNNING


def test_at_worker_start_every_orphaned_run_is_queued_again(world, connection, eager):
    """The embedded broker drops what a killed worker had taken, even a run still queued."""
    run = sync_runs.sync_start(connection=connection, enqueue=False)  # taken, then the worker died
    assert sync_runs.sync_watchdog() == []  # just queued: beat waits a while for a worker to take it
    assert sync_runs.sync_watchdog(startup=True) == [run.pk]
    run.refresh_from_db()
    assert run.status == SyncStatus.SUCCEEDED, run.log


def test_a_run_that_keeps_dying_fails_with_the_reason_and_try_again_queues_the_same(
    world, connection, eager, client
):
    run = abandoned(
        connection,
        attempts=sync.MAX_ATTEMPTS,
        fiscal_years=[{"start": "2025-01-01", "end": "2025-12-31"}],
        overwrite_uploaded_ledger=True,
    )
    assert sync_runs.sync_watchdog() == [run.pk]
    run.refresh_from_db()
    assert run.status == SyncStatus.FAILED
    assert run.error == f"Synkningen avbröts {sync.MAX_ATTEMPTS} gånger och har stoppats. Försök igen."
    assert run.finished_at is not None

    page = panel(client, world, connection).content.decode()
    assert run.error in page and "Försök igen</button>" in page

    # (Queued after the commit, which this test's transaction never reaches: the run stays queued.)
    response = client.post(reverse("connectors:sync_retry", args=[world.a1.pk, run.pk]))
    assert response.status_code == 200
    again = SyncRun.objects.exclude(pk=run.pk).get()
    assert again.status == SyncStatus.QUEUED and again.created_by == world.admin_a
    assert again.fiscal_years == run.fiscal_years and again.overwrite_uploaded_ledger
    assert f"/sync-runs/{again.pk}/" in response.content.decode()


def test_a_run_never_taken_by_any_worker_fails_with_the_reason(world, connection):
    run = sync_runs.sync_start(connection=connection, enqueue=False)
    long_ago = timezone.now() - timedelta(hours=2)
    SyncRun.objects.filter(pk=run.pk).update(created_at=long_ago, heartbeat_at=long_ago)
    assert sync_runs.sync_watchdog() == []
    run.refresh_from_db()
    assert run.status == SyncStatus.FAILED and run.error == "Synkningen startade aldrig. Försök igen."


@pytest.mark.django_db(transaction=True)
def test_a_running_sync_beats_from_its_own_thread(world, settings):
    """The ledger import is one long call: the heartbeat must not depend on the run's progress."""
    from ledgerport.connectors.models import Connection, ConnectionStatus

    settings.SYNC_HEARTBEAT_SECONDS = 0.05
    connection = Connection.objects.create(
        company=world.a1, provider="fortnox", status=ConnectionStatus.ACTIVE
    )
    old = timezone.now() - timedelta(minutes=1)
    run = SyncRun.objects.create(connection=connection, status=SyncStatus.RUNNING, heartbeat_at=old)
    with sync._Heartbeat(run.pk):
        time.sleep(0.5)  # the "import": no progress written meanwhile
        run.refresh_from_db()
    assert run.heartbeat_at > old + timedelta(seconds=30)
