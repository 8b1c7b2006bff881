"""A voucher's page shows the documents linked to it, through `{% voucher_documents %}`, a tag
the documents app registers (the ledger's view imports nothing of documents)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerport.documents.services import documents_store, voucher_document_links
from tests.ledger.factories import ledger_objects

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def voucher_page(client, company, small):
    url = reverse("ledger:voucher", args=[company.pk, small.fiscal_year.start, "A", "1"])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_voucher_page_shows_its_documents_and_no_others(client, world):
    small = ledger_objects(world.a1)
    stored = documents_store(
        company=world.a1,
        source="sie",
        files=[("1", "kvitto.pdf", PDF), ("2", "foto.png", PNG), ("3", "annat.pdf", PDF + b"other")],
    )
    voucher_document_links(
        [(stored["1"], small.fiscal_year, "A", "1"), (stored["2"], small.fiscal_year, "A", "1")]
    )
    client.force_login(world.accountant_a)
    body = voucher_page(client, world.a1, small)
    pdf = reverse("documents:content", args=[world.a1.pk, stored["1"].pk])
    png = reverse("documents:content", args=[world.a1.pk, stored["2"].pk])
    assert f'<iframe src="{pdf}"' in body
    assert f'<img src="{png}"' in body
    assert body.count('data-testid="voucher-document"') == 2
    assert "annat.pdf" not in body  # stored, but linked to no voucher


@pytest.mark.django_db
def test_a_voucher_without_documents_has_no_documents_section(client, world):
    small = ledger_objects(world.a1)
    client.force_login(world.accountant_a)
    assert "voucher-documents" not in voucher_page(client, world.a1, small)
