"""Issue 11's last point: the client list's column and Översikt's panel of the archive documents
the user has not opened, each a count linking to the archive; the list stays one query per column."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledgerport.documents.archive import archive_file, entries_seen
from ledgerport.documents.archive_folders import Folder
from ledgerport.documents.upload_checks import CheckedFile
from ledgerport.web import extensions

pytestmark = pytest.mark.django_db

CELL = re.compile(r'<a href="([^"]+)" data-testid="unseen-documents" data-count="(\d+)"')


def file(world, company, *names):
    files = [
        CheckedFile(name=n, content_type="application/pdf", content=f"%PDF-1.4 {n}".encode()) for n in names
    ]
    batch = archive_file(
        company=company, user=world.admin_a, folder=Folder(2026, "tax", 11), files=files, by_client=False
    )
    return list(batch.entries.order_by("pk"))


def list_cells(client):
    return CELL.findall(client.get(reverse("web:company_list")).content.decode())


def test_the_column_counts_what_each_user_has_not_opened_and_links_to_the_archive(client, world):
    entries = file(world, world.a1, "a.pdf", "b.pdf", "c.pdf")
    client.force_login(world.accountant_a)
    archive = reverse("web:company_documents", args=[world.a1.pk])
    assert list_cells(client) == [(archive, "3")]  # a2 has none: "–"
    entries_seen(user=world.accountant_a, entries=entries[:1])
    assert list_cells(client) == [(archive, "2")]

    client.force_login(world.admin_a)  # the uploader has seen their own files
    assert list_cells(client) == []
    client.force_login(world.signatory_a1)
    assert list_cells(client) == [(archive, "3")]


def test_sorting_by_the_column_puts_the_most_unseen_first(client, world):
    file(world, world.a2, "x.pdf")
    file(world, world.a1, "y.pdf", "z.pdf")
    client.force_login(world.accountant_a)
    html = client.get(reverse("web:company_list"), {"sort": "unseen_documents"}).content.decode()
    assert html.index(world.a1.name) < html.index(world.a2.name)
    html = client.get(reverse("web:company_list"), {"sort": "-unseen_documents"}).content.decode()
    assert html.index(world.a2.name) < html.index(world.a1.name)


def test_the_column_costs_one_query_whatever_the_number_of_clients(client, world, monkeypatch):
    file(world, world.a1, "a.pdf")
    client.force_login(world.accountant_a)
    url = reverse("web:company_list")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as with_column:
        client.get(url)
    columns = dict(extensions._columns)
    columns.pop("unseen_documents")
    monkeypatch.setattr(extensions, "_columns", columns)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    assert len(with_column.captured_queries) == len(without.captured_queries) + 1


def test_overview_shows_the_count_and_the_latest_unseen_documents(client, world):
    entries = file(world, world.a1, "skatt.pdf", "rapport.pdf")
    client.force_login(world.member_a1)
    html = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert 'data-testid="overview-unseen-count" data-count="2"' in html
    assert html.count('data-testid="overview-unseen-entry"') == 2
    assert reverse("portal:archive_entry", args=[world.a1.pk, entries[0].pk]) in html
    entries_seen(user=world.member_a1, entries=entries)
    html = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert 'data-testid="overview-unseen-count" data-count="0"' in html


def test_overview_of_another_company_counts_only_its_own(client, world):
    file(world, world.a2, "other.pdf")
    client.force_login(world.accountant_a)
    html = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert 'data-testid="overview-unseen-count" data-count="0"' in html
