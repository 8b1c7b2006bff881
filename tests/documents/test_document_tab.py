"""The Dokument tab lists a company's documents as soon as a sync has committed them.

It said "Inga dokument än" after 211 of 226 were in because the tab was a placeholder that
listed nothing at all. Now it lists every stored document (linked to a voucher or not),
newest first, and refreshes itself while a sync is still fetching."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from ledgerport.connectors.models import Connection, ConnectionStatus, SyncRun, SyncStatus
from ledgerport.documents.services import documents_store, voucher_document_links
from tests.ledger.factories import ledger_objects

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def tab(client, company):
    response = client.get(reverse("web:company_documents", args=[company.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_documents_committed_mid_sync_are_listed_on_the_tab(client, world):
    small = ledger_objects(world.a1)
    connection = Connection.objects.create(
        company=world.a1, provider="fortnox", status=ConnectionStatus.ACTIVE
    )
    run = SyncRun.objects.create(
        connection=connection, status=SyncStatus.RUNNING, progress={"ledger": [2, 2], "documents": [3, 226]}
    )
    # What the sync's `_store` commits per batch: the files, their origins and voucher links.
    with transaction.atomic():
        stored = documents_store(
            company=world.a1,
            source="fortnox",
            files=[(f"archive:{n}", f"kvitto-{n}.pdf", PDF + str(n).encode()) for n in range(3)],
        )
        voucher_document_links([(stored["archive:0"], small.fiscal_year, "A", "1")])

    client.force_login(world.accountant_a)
    body = tab(client, world.a1)
    assert "Inga dokument än" not in body
    assert body.count('data-testid="document-row"') == 3
    assert all(f"kvitto-{n}.pdf" in body for n in range(3))
    assert "3 dokument" in body
    voucher = reverse("ledger:voucher", args=[world.a1.pk, small.fiscal_year.start, "A", "1"])
    assert f'href="{voucher}"' in body  # the voucher it belongs to, by its lasting address
    # While the sync runs, the list refreshes itself.
    assert 'data-testid="documents-fetching"' in body
    assert f'hx-get="{reverse("documents:list", args=[world.a1.pk])}"' in body
    assert (
        reverse("documents:list", args=[world.a1.pk])
        and client.get(reverse("documents:list", args=[world.a1.pk]))
        .content.decode()
        .count('data-testid="document-row"')
        == 3
    )

    SyncRun.objects.filter(pk=run.pk).update(status=SyncStatus.SUCCEEDED)
    body = tab(client, world.a1)
    assert 'hx-trigger="every 2s"' not in body and 'data-testid="documents-fetching"' not in body

    # A client user sees the documents too, but not the firm's voucher pages.
    client.force_login(world.member_a1)
    body = tab(client, world.a1)
    assert body.count('data-testid="document-row"') == 3
    assert voucher not in body


@pytest.mark.django_db
def test_an_empty_tab_says_so_and_pages_are_bounded(client, world):
    client.force_login(world.accountant_a)
    assert "Inga dokument än" in tab(client, world.a1)
    documents_store(
        company=world.a1,
        source="test",
        files=[(str(n), f"f{n}.pdf", PDF + str(n).encode()) for n in range(105)],
    )
    first = tab(client, world.a1)
    assert first.count('data-testid="document-row"') == 100 and "Sida 1 av 2" in first
    response = client.get(reverse("web:company_documents", args=[world.a1.pk]), {"page": "abc"})
    assert response.status_code == 200  # garbage page: the first page, not an error
    last = client.get(reverse("web:company_documents", args=[world.a1.pk]), {"page": 2}).content.decode()
    assert last.count('data-testid="document-row"') == 5
