"""The archive's pages: folders and dots, uploads by the firm and by clients, previews,
downloads, a folder's zip, notifications and their e-mails, audit and provenance."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.documents.archive_folders import Folder, month_label
from ledgerport.documents.archive_selectors import unseen_places
from ledgerport.documents.models import ArchiveEntry, Document, UploadBatch
from ledgerport.portal.models import Notification

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str, salt: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + salt.encode(), content_type="application/pdf")


def upload(client, company, key: str, *files, follow: bool = True):
    url = reverse("portal:archive_upload", args=[company.pk, key])
    return client.post(url, {"files": list(files)}, follow=follow)


def folder_page(client, company, key: str) -> str:
    response = client.get(reverse("portal:archive_folder", args=[company.pk, key]))
    assert response.status_code == 200
    return response.content.decode()


def test_month_folders_are_named_by_number_and_the_ui_languages_month():
    from django.utils import translation

    with translation.override("sv"):
        assert month_label(8) == "08. Augusti"
    with translation.override("en"):
        assert month_label(8) == "08. August"
    assert Folder.parse("2026/payroll/08").parents() == [Folder(2026), Folder(2026, "payroll")]


@pytest.mark.django_db
def test_a_firm_upload_files_one_batch_and_tells_the_clients_once_each(
    client, world, eager_tasks, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(world.accountant_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world.a1, "2026/payroll/08", pdf("lön.pdf", "1"), pdf("bank.pdf", "2"))
    body = response.content.decode()
    assert "2 filer uppladdade." in body
    entries = ArchiveEntry.objects.filter(company=world.a1, year=2026, area="payroll", month=8)
    assert sorted(e.file_name for e in entries) == ["bank.pdf", "lön.pdf"]
    assert UploadBatch.objects.get().by_client is False
    told = set(Notification.objects.values_list("user__email", "count"))
    assert told == {("vd@klient-ett.se", 2), ("ekonomi@klient-ett.se", 2)}
    # One e-mail per recipient and batch, from the configured sender, linking to the folder.
    assert sorted(m["X-Envelope-To"] for m in smtp_inbox.messages) == [
        "ekonomi@klient-ett.se",
        "vd@klient-ett.se",
    ]
    mail = smtp_inbox.to("vd@klient-ett.se")[0]
    assert mail["From"] == "Alfa Redovisning <noreply@alfa.example>"
    text = mail.get_content()
    assert "2 nya dokument har laddats upp i Dokument › 2026 › Löner › 08. Augusti" in text
    assert f"/companies/{world.a1.pk}/archive/2026/payroll/08/" in text
    # The uploader was told nothing and sees no dot on their own files.
    assert 'data-testid="new-dot"' not in folder_page(client, world.a1, "2026/payroll/08")


@pytest.mark.django_db
def test_the_client_sees_dots_up_the_tree_until_they_open_the_document(client, world, eager_tasks):
    client.force_login(world.admin_a)
    upload(client, world.a1, "2026/reports/03", pdf("resultat.pdf"))
    entry = ArchiveEntry.objects.get()
    client.force_login(world.member_a1)
    root = client.get(reverse("web:company_documents", args=[world.a1.pk])).content.decode()
    assert 'data-folder="2026"' in root and root.count('data-testid="new-dot"') == 1
    year = folder_page(client, world.a1, "2026")
    assert year.count('data-testid="new-dot"') == 1 and year.index("Rapporter") < year.index("new-dot")
    assert folder_page(client, world.a1, "2026/reports").count('data-testid="new-dot"') == 1
    # The bell counts the unread notification; opening its folder reads it.
    assert 'data-testid="bell-count">1<' in root
    month = folder_page(client, world.a1, "2026/reports/03")
    assert "resultat.pdf" in month and month.count('data-testid="new-dot"') == 1
    assert Notification.objects.get(user=world.member_a1).read_at is not None
    # Opening it (the preview loads its content inline) clears every dot, for this user only.
    response = client.get(reverse("portal:archive_content", args=[world.a1.pk, entry.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
    assert "new-dot" not in folder_page(client, world.a1, "2026")
    assert unseen_places(user=world.signatory_a1, company=world.a1) == {(2026, "reports", 3)}


@pytest.mark.django_db
def test_the_dots_of_a_folder_cost_one_query(world, django_assert_num_queries):
    from ledgerport.documents.archive import archive_file
    from ledgerport.documents.upload_checks import check_upload

    for month in range(1, 13):
        archive_file(
            company=world.a1,
            user=world.admin_a,
            folder=Folder(2026, "tax", month),
            files=[check_upload(f"{month}.pdf", PDF + bytes([month]))],
            by_client=False,
        )
    with django_assert_num_queries(1):
        assert len(unseen_places(user=world.member_a1, company=world.a1, folder=Folder(2026))) == 12


@pytest.mark.django_db
def test_a_client_uploads_into_their_own_area_only_and_the_firm_is_told(
    client, world, eager_tasks, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(world.signatory_a1)
    assert upload(client, world.a1, "2026/payroll/08", pdf("x.pdf"), follow=False).status_code == 403
    assert 'data-testid="upload-form"' not in folder_page(client, world.a1, "2026/payroll/08")
    assert 'data-testid="upload-form"' in folder_page(client, world.a1, "2026/uploads/08")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world.a1, "2026/uploads/08", pdf("kvitto.pdf"))
    assert "1 fil uppladdad." in response.content.decode()
    assert UploadBatch.objects.get().by_client is True
    assert sorted(m["X-Envelope-To"] for m in smtp_inbox.messages) == ["admin@alfa.se", "konsult@alfa.se"]
    client.force_login(world.accountant_a)
    assert "kvitto.pdf" in folder_page(client, world.a1, "2026/uploads/08")


@pytest.mark.django_db
def test_a_batch_with_one_bad_file_stores_nothing_and_names_it(client, world, eager_tasks):
    client.force_login(world.accountant_a)
    bad = SimpleUploadedFile(
        "../../sida.html", b"<html><script>alert(1)</script></html>", content_type="text/html"
    )
    body = upload(client, world.a1, "2026/tax/02", pdf("ok.pdf"), bad).content.decode()
    assert "Inget laddades upp." in body
    assert "sida.html innehåller skript och laddades inte upp." in body
    assert (
        not ArchiveEntry.objects.exists()
        and not Document.objects.exists()
        and not UploadBatch.objects.exists()
    )
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused_by_name(client, world, settings):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 1000
    client.force_login(world.accountant_a)
    big = SimpleUploadedFile("stor.pdf", PDF + b"0" * 2000)
    body = upload(client, world.a1, "2026/tax/02", big).content.decode()
    assert "stor.pdf är större än 1000" in body
    assert not ArchiveEntry.objects.exists()


@pytest.mark.django_db
def test_a_path_in_the_name_is_dropped(client, world):
    client.force_login(world.accountant_a)
    upload(client, world.a1, "2026/tax/02", SimpleUploadedFile("../../x", b"plain text\n"))
    entry = ArchiveEntry.objects.get()
    assert entry.file_name == "x"
    response = client.get(reverse("portal:archive_content", args=[world.a1.pk, entry.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="x"'


@pytest.mark.django_db
def test_files_are_never_served_as_active_content(client, world):
    client.force_login(world.accountant_a)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    upload(client, world.a1, "2026/tax/02", SimpleUploadedFile("bild.svg", svg, content_type="image/svg+xml"))
    upload(client, world.a1, "2026/tax/03", SimpleUploadedFile("bild.png", PNG))
    svg_entry, png_entry = ArchiveEntry.objects.order_by("month")
    assert svg_entry.document.content_type == "text/plain"  # markup without script is kept inert
    response = client.get(reverse("portal:archive_content", args=[world.a1.pk, svg_entry.pk]))
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    response = client.get(reverse("portal:archive_content", args=[world.a1.pk, png_entry.pk]))
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.django_db
def test_a_folder_zip_holds_exactly_its_files_with_their_subfolders(client, world):
    client.force_login(world.accountant_a)
    upload(client, world.a1, "2026/payroll/08", pdf("lön.pdf", "a"), pdf("lön.pdf", "b"))
    upload(client, world.a1, "2026/payroll/09", pdf("lön.pdf", "c"))
    upload(client, world.a1, "2026/reports/08", pdf("rapport.pdf", "d"))
    upload(client, world.a1, "2025/payroll/08", pdf("gammal.pdf", "e"))
    response = client.get(reverse("portal:archive_zip", args=[world.a1.pk, "2026/payroll"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "08. Augusti/lön (2).pdf",
        "08. Augusti/lön.pdf",
        "09. September/lön.pdf",
    ]
    assert {archive.read(name)[-1:] for name in archive.namelist()} == {b"a", b"b", b"c"}
    response = client.get(reverse("portal:archive_zip", args=[world.a1.pk, "2026"]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert sorted(names) == [
        "Löner/08. Augusti/lön (2).pdf",
        "Löner/08. Augusti/lön.pdf",
        "Löner/09. September/lön.pdf",
        "Rapporter/08. Augusti/rapport.pdf",
    ]


@pytest.mark.django_db
def test_views_downloads_and_uploads_are_audited_and_the_firm_sees_history_and_provenance(client, world):
    client.force_login(world.accountant_a)
    upload(client, world.a1, "2026/uploads/01", pdf("avtal.pdf"))
    entry = ArchiveEntry.objects.get()
    client.force_login(world.signatory_a1)
    client.get(reverse("portal:archive_content", args=[world.a1.pk, entry.pk]), REMOTE_ADDR="198.51.100.7")
    client.get(reverse("portal:archive_content", args=[world.a1.pk, entry.pk]) + "?download")
    page = client.get(reverse("portal:archive_entry", args=[world.a1.pk, entry.pk])).content.decode()
    assert "avtal.pdf" in page and 'data-testid="history"' not in page and entry.document.sha256 not in page
    # Logins are audited too (per company); this test is about the document's own events.
    actions = list(
        AuditEntry.objects.exclude(action=Action.LOGIN).order_by("pk").values_list("action", "user_label")
    )
    assert actions == [
        (Action.UPLOAD, "konsult@alfa.se"),
        (Action.VIEW, "vd@klient-ett.se"),
        (Action.DOWNLOAD, "vd@klient-ett.se"),
    ]
    client.force_login(world.admin_a)
    page = client.get(reverse("portal:archive_entry", args=[world.a1.pk, entry.pk])).content.decode()
    assert page.count('data-testid="history-row"') == 3
    assert "198.51.100.7" in page and entry.document.sha256 in page and "konsult@alfa.se" in page
    assert f"{entry.retain_until:%Y-%m-%d}" == "2033-12-31" and "2033-12-31" in page


@pytest.mark.django_db
def test_the_existing_document_view_is_audited(client, world):
    from ledgerport.documents.services import document_store

    document = document_store(
        company=world.a1, content=PDF, file_name="f.pdf", source="fortnox", external_id="9"
    )
    client.force_login(world.member_a1)
    client.get(reverse("documents:content", args=[world.a1.pk, document.pk]))
    assert AuditEntry.objects.exclude(action=Action.LOGIN).get().action == Action.VIEW


@pytest.mark.django_db
def test_another_companys_client_reaches_no_document_folder_or_notification(client, world, eager_tasks):
    client.force_login(world.admin_a)
    upload(client, world.a1, "2026/payroll/08", pdf("hemlig.pdf"))
    entry = ArchiveEntry.objects.get()
    client.force_login(world.signatory_a2)
    for url in (
        reverse("portal:archive_folder", args=[world.a1.pk, "2026/payroll/08"]),
        reverse("portal:archive_zip", args=[world.a1.pk, "2026"]),
        reverse("portal:archive_entry", args=[world.a1.pk, entry.pk]),
        reverse("portal:archive_content", args=[world.a1.pk, entry.pk]),
        # The entry's id with the client's own company: still not theirs.
        reverse("portal:archive_entry", args=[world.a2.pk, entry.pk]),
        reverse("portal:archive_content", args=[world.a2.pk, entry.pk]),
    ):
        assert client.get(url).status_code == 404, url
    own = client.get(reverse("web:company_documents", args=[world.a2.pk])).content.decode()
    assert "hemlig" not in own and 'data-testid="bell-count"' not in own


@pytest.mark.django_db
def test_uploads_are_in_the_archive_not_in_the_fetched_list(client, world):
    from ledgerport.documents.services import document_store

    document_store(
        company=world.a1, content=PDF + b"f", file_name="hämtad.pdf", source="fortnox", external_id="1"
    )
    client.force_login(world.accountant_a)
    upload(client, world.a1, "2026/uploads/02", pdf("uppladdad.pdf"))
    tab = client.get(reverse("web:company_documents", args=[world.a1.pk])).content.decode()
    listed = tab[tab.index('data-testid="document-list"') :]
    assert "hämtad.pdf" in listed and "uppladdad.pdf" not in listed
