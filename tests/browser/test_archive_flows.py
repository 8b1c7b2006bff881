"""The document archive in the browser, at desktop width and at 390 px: a firm upload reaches
the client (e-mail link, bell, yellow dots) and opening the document clears the dot; a client
uploads into a month folder and the firm sees it; a folder's zip holds exactly its files;
hostile uploads are refused or kept inert with a clear message."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from ledgerport.documents.models import ArchiveEntry
from tests.browser.login import log_in

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Every test here mails through the real SMTP test server.
pytestmark = pytest.mark.usefixtures("smtp_inbox")


def upload(page, *files) -> None:
    page.get_by_label(re.compile("^Ladda upp filer")).set_input_files(list(files))
    page.get_by_role("button", name="Ladda upp", exact=True).click()


def drop(page, name: str, content: bytes) -> None:
    """Drop a file on the upload form, as a person dragging it from their desktop."""
    page.evaluate(
        """([name, bytes]) => {
            const data = new DataTransfer();
            data.items.add(new File([new Uint8Array(bytes)], name, {type: "application/pdf"}));
            const zone = document.querySelector("[data-dropzone]");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
        }""",
        [name, list(content)],
    )


def file(name: str, content: bytes, mime: str = "application/pdf") -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def test_a_firm_upload_reaches_the_client_and_opening_it_clears_the_dot(world, new_page, smtp_inbox):
    firm = new_page()
    log_in(firm, world.accountant_a.email, start=f"/companies/{world.a1.pk}/archive/2026/payroll/08/")
    expect(firm.get_by_test_id("folder-name")).to_have_text("08. Augusti")
    upload(firm, file("lönebesked.pdf", PDF + b"1"), file("banklista.pdf", PDF + b"2"))
    expect(firm.get_by_text("2 filer uppladdade.")).to_be_visible()
    expect(firm.get_by_test_id("file")).to_have_count(2)

    mails = smtp_inbox.to(world.signatory_a1.email)
    assert len(mails) == 1  # one per batch, not per file
    link = re.search(r"https?://\S+", mails[0].get_content()).group(0)

    client = new_page()
    log_in(client, world.signatory_a1.email, start=link)  # the mail's link, through the login
    expect(client.get_by_test_id("folder-name")).to_have_text("08. Augusti")
    expect(client.get_by_test_id("file")).to_have_count(2)
    expect(client.get_by_test_id("files").get_by_test_id("new-dot")).to_have_count(2)
    client.get_by_role("link", name="2026").click()
    expect(client.locator('[data-folder="2026/payroll"] [data-testid="new-dot"]')).to_be_visible()
    expect(client.locator('[data-folder="2026/reports"] [data-testid="new-dot"]')).to_have_count(0)
    client.get_by_role("link", name="Dokument").first.click()
    expect(client.locator('[data-folder="2026"] [data-testid="new-dot"]')).to_be_visible()
    # The bell: the notification was read when the folder opened; it is listed with its link.
    client.get_by_test_id("bell").locator("summary").click()
    expect(client.get_by_test_id("notification")).to_have_count(1)
    expect(client.get_by_test_id("notification")).to_contain_text("2 nya dokument för Alfa Klient Ett AB")

    # Open one document: its preview loads the file, and its dot goes (the other's stays).
    client.goto(link)
    with client.expect_response(re.compile(r"/content/$")):
        client.get_by_role("link", name="lönebesked.pdf").click()
    client.goto(link)
    expect(client.get_by_test_id("files").get_by_test_id("new-dot")).to_have_count(1)
    client.get_by_role("link", name="banklista.pdf").click()
    with client.expect_download():
        client.get_by_test_id("download").click()
    client.goto(link)
    expect(client.get_by_test_id("new-dot")).to_have_count(0)
    client.goto("/")
    expect(client.get_by_test_id("new-dot")).to_have_count(0)


def test_a_client_upload_into_a_month_folder_reaches_the_firm(world, new_page, smtp_inbox):
    client = new_page()
    log_in(client, world.member_a1.email, start=f"/companies/{world.a1.pk}/")
    client.get_by_role("link", name="Dokument", exact=True).click()
    client.get_by_role("link", name="2026").click()
    expect(client.get_by_role("link", name="Uppladdat av kunden")).to_be_visible()
    client.get_by_role("link", name="Löner").click()
    client.get_by_role("link", name="03. Mars").click()
    expect(client.get_by_test_id("upload-form")).to_have_count(0)  # the firm's area
    client.goto(f"/companies/{world.a1.pk}/archive/2026/uploads/03/")
    upload(client, file("kvitto.pdf", PDF + b"k"))
    expect(client.get_by_text("1 fil uppladdad.")).to_be_visible()
    assert len(smtp_inbox.to(world.accountant_a.email)) == 1

    firm = new_page()
    log_in(firm, world.accountant_a.email)
    expect(firm.get_by_test_id("bell-count")).to_have_text("1")
    firm.get_by_test_id("bell").locator("summary").click()
    firm.get_by_test_id("notification").click()
    expect(firm.get_by_test_id("folder-name")).to_have_text("03. Mars")
    expect(firm.get_by_role("link", name="kvitto.pdf")).to_be_visible()
    expect(firm.get_by_test_id("new-dot")).to_have_count(1)
    expect(firm.get_by_test_id("bell-count")).to_have_count(0)


def test_a_folder_zip_holds_exactly_its_files(world, new_page):
    firm = new_page()
    log_in(firm, world.admin_a.email, start=f"/companies/{world.a1.pk}/archive/2026/reports/03/")
    upload(firm, file("mars.pdf", PDF + b"m"))
    firm.goto(f"/companies/{world.a1.pk}/archive/2026/reports/04/")
    drop(firm, "april.pdf", PDF + b"a")
    expect(firm.get_by_text("1 fil uppladdad.")).to_be_visible()
    firm.goto(f"/companies/{world.a1.pk}/archive/2026/payroll/04/")
    upload(firm, file("lön.pdf", PDF + b"l"))
    firm.goto(f"/companies/{world.a1.pk}/archive/2026/reports/")
    with firm.expect_download() as download:
        firm.get_by_test_id("folder-zip").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        names = archive.namelist()
    assert sorted(names) == ["03. Mars/mars.pdf", "04. April/april.pdf"]


def test_hostile_uploads_are_refused_or_inert_with_a_clear_message(world, new_page, settings):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 64 * 1024
    settings.ARCHIVE_MAX_UNZIPPED_BYTES = 1024 * 1024
    firm = new_page()
    log_in(firm, world.accountant_a.email, start=f"/companies/{world.a1.pk}/archive/2026/tax/05/")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("nollor.bin", b"\x00" * (16 * 1024 * 1024))
    cases = [
        (file("stor.pdf", PDF + b"0" * 70_000), "stor.pdf är större än"),
        (
            file("sida.html", b"<html><script>alert(1)</script></html>", "text/html"),
            "sida.html innehåller skript",
        ),
        (
            file("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
            "bild.svg innehåller skript",
        ),
        (file("bomb.zip", buffer.getvalue(), "application/zip"), "bomb.zip packas upp till mer än"),
    ]
    for hostile, message in cases:
        upload(firm, hostile)
        expect(firm.get_by_text("Inget laddades upp.")).to_be_visible()
        expect(firm.get_by_text(re.compile(re.escape(message)))).to_be_visible()
    assert not ArchiveEntry.objects.exists()
    upload(firm, file("../../x", b"just text\n", "text/plain"))
    expect(firm.get_by_text("1 fil uppladdad.")).to_be_visible()
    entry = ArchiveEntry.objects.get()
    assert entry.file_name == "x" and entry.document.content_type == "text/plain"
    response = firm.request.get(f"/companies/{world.a1.pk}/archive/files/{entry.pk}/content/")
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("sandbox")
