from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerport.documents import services
from ledgerport.documents.models import Document, DocumentOrigin

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_same_bytes_are_stored_once_with_every_origin(world):
    first = services.document_store(
        company=world.a1, content=PDF, file_name="a.pdf", source="fortnox", external_id="F1"
    )
    again = services.document_store(
        company=world.a1, content=PDF, file_name="b.pdf", source="fortnox", external_id="F2"
    )
    repeat = services.document_store(
        company=world.a1, content=PDF, file_name="a.pdf", source="fortnox", external_id="F1"
    )
    assert first.pk == again.pk == repeat.pk
    assert Document.objects.count() == 1
    assert sorted(DocumentOrigin.objects.values_list("external_id", flat=True)) == ["F1", "F2"]
    assert services.known_origins(company=world.a1, source="fortnox", external_ids=["F2", "F9"]) == {
        "F2": first
    }
    assert services.known_origins(company=world.a2, source="fortnox", external_ids=["F2"]) == {}


def test_another_company_gets_its_own_copy(world):
    a = services.document_store(company=world.a1, content=PDF, file_name="a.pdf", source="s", external_id="1")
    b = services.document_store(company=world.b1, content=PDF, file_name="a.pdf", source="s", external_id="1")
    assert a.pk != b.pk


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF, "faktura.bin", "application/pdf"),
        (PNG, "x.pdf", "image/png"),
        (b"<html><script>alert(1)</script>", "evil.html", "application/octet-stream"),
        (b"<svg onload=alert(1)>", "evil.svg", "application/octet-stream"),
    ],
)
def test_content_type_comes_from_the_bytes(content, name, expected):
    assert services.sniff_content_type(content, name) == expected


def test_pdf_is_served_inline_and_html_only_as_download(client, world):
    pdf = services.document_store(
        company=world.a1, content=PDF, file_name="f.pdf", source="s", external_id="1"
    )
    html = services.document_store(
        company=world.a1, content=b"<html><script>x</script>", file_name="x.html", source="s", external_id="2"
    )
    client.force_login(world.member_a1)
    response = client.get(reverse("documents:content", args=[world.a1.pk, pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF
    response = client.get(reverse("documents:content", args=[world.a1.pk, html.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_document_of_another_company_is_not_found_even_with_an_allowed_company_id(client, world):
    foreign = services.document_store(
        company=world.b1, content=PDF, file_name="f.pdf", source="s", external_id="1"
    )
    client.force_login(world.accountant_a)
    assert client.get(reverse("documents:content", args=[world.a1.pk, foreign.pk])).status_code == 404


def test_the_firm_sees_a_fetched_documents_provenance_and_history(client, world, settings, tmp_path):
    from ledgerport.documents.services import documents_store

    settings.MEDIA_ROOT = tmp_path / "media"
    stored = documents_store(
        company=world.a1,
        source="fortnox",
        files=[("inbox_77", "faktura.pdf", b"%PDF-1.4 provenance")],
        consent="fortnox #3: Karin Kund, 2026-01-02 10:00 UTC",
    )
    document = stored["inbox_77"]
    client.force_login(world.member_a1)
    client.get(reverse("documents:content", args=[world.a1.pk, document.pk]), REMOTE_ADDR="203.0.113.9")
    tab = client.get(reverse("web:company_documents", args=[world.a1.pk])).content.decode()
    assert "faktura.pdf" in tab and 'data-testid="document-provenance"' not in tab
    url = reverse("documents:provenance", args=[world.a1.pk, document.pk])
    assert client.get(url).status_code == 404  # the firm's view, not the client's
    client.force_login(world.accountant_a)
    page = client.get(url).content.decode()
    for expected in (
        document.sha256,
        "inbox_77",
        "fortnox #3: Karin Kund",
        "ekonomi@klient-ett.se",
        "203.0.113.9",
    ):
        assert expected in page
