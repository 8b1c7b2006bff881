"""A real sync against the sandbox: its documents are on the Dokument tab before it ends
(the tab said "Inga dokument än" after 211 of 226 were in)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection as db_connection
from django.urls import reverse

from ledgerport.connectors import sync, sync_runs
from ledgerport.connectors.models import SyncRun, SyncStatus
from ledgerport.documents.models import Document
from tests.connectors.sync_helpers import connect


def tab(client, company):
    response = client.get(reverse("web:company_documents", args=[company.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.skipif(
    db_connection.vendor == "sqlite",
    reason="SQLite's in-memory test database is one connection shared by all threads; the "
    "same listing is checked on SQLite in tests/documents/test_document_tab.py",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_sync_shows_its_documents_on_the_tab_before_it_ends(client, world, providers_at_sandbox):
    sandbox = providers_at_sandbox
    sandbox.seed_company("556036-0793", vouchers=40, files=30)
    connection = connect(sandbox, world.a1)
    sandbox.latency(0.15, provider="fortnox")  # the downloads take a few seconds in all
    run = sync_runs.sync_start(connection=connection, enqueue=False)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            sync.sync_execute(run.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            db_connection.close()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    client.force_login(world.accountant_a)
    seen_while_running = 0
    deadline = time.monotonic() + 120
    while worker.is_alive() and time.monotonic() < deadline:
        status = SyncRun.objects.values_list("status", flat=True).get(pk=run.pk)
        rows = tab(client, world.a1).count('data-testid="document-row"')
        if status == SyncStatus.RUNNING and rows:
            seen_while_running = rows
            break
        time.sleep(0.2)
    worker.join(timeout=120)
    assert not errors, errors
    assert seen_while_running > 0, "the tab listed nothing while the sync was fetching"
    assert seen_while_running <= Document.objects.filter(company=world.a1).count()
    sandbox.latency(0, provider="fortnox")
