"""What the archive refuses to store, and the names it stores files under."""

from __future__ import annotations

import io
import zipfile

import pytest

from ledgerport.documents.upload_checks import UploadRefused, check_upload, safe_file_name


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../x", "x"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("/etc/passwd", "passwd"),
        (".htaccess", "htaccess"),
        ("lön\x00<script>.pdf", "lönscript.pdf"),
        ("..", "dokument"),
        ("", "dokument"),
        ("Årsredovisning 2025.pdf", "Årsredovisning 2025.pdf"),
    ],
)
def test_names_lose_their_path_and_unsafe_characters(name, safe):
    assert safe_file_name(name) == safe


def test_a_long_name_keeps_its_extension():
    assert safe_file_name("a" * 300 + ".pdf").endswith(".pdf")
    assert len(safe_file_name("a" * 300 + ".pdf")) <= 200


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("#FLAGGA 0\n#PROGRAM Fortnox\nåäö Émile\n".encode("cp437"), "text/plain"),
        (b"Datum;Belopp\n2026-01-01;100,00\n", "text/plain"),
        (b'<?xml version="1.0"?><Invoice><ID>1</ID></Invoice>', "text/plain"),
    ],
)
def test_the_type_comes_from_the_bytes(content, content_type):
    assert check_upload("whatever.html", content).content_type == content_type


@pytest.mark.parametrize(
    "content",
    [
        b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'\xef\xbb\xbf  <html><iframe src="https://evil.example"></iframe></html>',
    ],
)
def test_markup_with_script_is_refused_with_its_name(content):
    with pytest.raises(UploadRefused, match=r"^bild.svg innehåller skript"):
        check_upload("../bild.svg", content)


def test_executables_and_binaries_are_refused():
    with pytest.raises(UploadRefused, match=r"^setup.exe är inte en filtyp"):
        check_upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 200)


def test_an_oversized_or_empty_file_is_refused(settings):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(UploadRefused, match=r"^stor.pdf är större än 100"):
        check_upload("stor.pdf", b"%PDF-" + b"0" * 100)
    with pytest.raises(UploadRefused, match=r"^tom.txt är tom"):
        check_upload("tom.txt", b"")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused(settings):
    settings.ARCHIVE_MAX_UNZIPPED_BYTES = 1024 * 1024
    bomb = _zip({"zeros.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 30_000  # 20 MB of zeros compress to a few kilobytes
    with pytest.raises(UploadRefused, match=r"^bomb.zip packas upp till mer än"):
        check_upload("bomb.zip", bomb)


def test_a_zip_whose_sizes_lie_is_refused_by_what_it_really_unpacks_to(settings):
    settings.ARCHIVE_MAX_UNZIPPED_BYTES = 1024 * 1024
    honest = _zip({"zeros.bin": b"\x00" * (3 * 1024 * 1024)})
    # Rewrite the declared size (central directory and local header) to a small number.
    real = (3 * 1024 * 1024).to_bytes(4, "little")
    liar = honest.replace(real, (10).to_bytes(4, "little"))
    assert liar != honest
    with pytest.raises(UploadRefused):
        check_upload("liar.zip", liar)


def test_an_ordinary_zip_and_a_damaged_one(settings):
    assert check_upload("kvitton.zip", _zip({"a.pdf": b"%PDF-1.4"})).content_type == "application/zip"
    with pytest.raises(UploadRefused, match="skadad zip-fil"):
        check_upload("trasig.zip", _zip({"a.pdf": b"%PDF-1.4" * 100})[:60])
