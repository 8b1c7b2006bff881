"""SIE problems in the user's language; a file that is not SIE says what it is; voucher issues listed."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ledgerport.ledger import import_jobs, services
from ledgerport.ledger.errors import BrokenFile, NotSie
from ledgerport.ledger.models import FiscalYear, LedgerImport
from tests.ledger.conftest import VISMA

HTMX = {"HTTP_HX_REQUEST": "true"}


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Konto", "Belopp"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("sie.se", VISMA.read_bytes())
    return out.getvalue()


NOT_SIE = {
    "empty": (b"", "Filen är tom."),
    "blank": (b"  \r\n\r\n", "Filen är tom."),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF-dokument"),
    "xlsx": (_xlsx(), "Excel-kalkylblad (.xlsx)"),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "gammalt Excel-kalkylblad (.xls)"),
    "zip": (_zip(), "ZIP-arkiv"),
    "utf16": (VISMA.read_bytes().decode("cp437").encode("utf-16"), "UTF-16"),
    "utf16-no-bom": (VISMA.read_bytes().decode("cp437").encode("utf-16-le"), "UTF-16"),
    "binary": (bytes(range(256)) * 8, "binärfil"),
    "html": (b"<!DOCTYPE html><html><body>Logga in</body></html>", "webbsida (HTML)"),
    "csv": (b"Konto;Belopp\n1930;100,00\n", "inga SIE-poster"),
}


@pytest.mark.parametrize("kind", list(NOT_SIE))
def test_a_file_that_is_not_sie_says_what_it_is(kind, visma_company):
    content, swedish = NOT_SIE[kind]
    with pytest.raises(NotSie) as refused:
        services.ledger_import_sie(company=visma_company, stream=io.BytesIO(content))
    assert swedish in refused.value.message
    assert not FiscalYear.objects.filter(company=visma_company).exists()


def test_the_upload_page_shows_what_the_file_is(client, world, visma_company):
    client.force_login(world.accountant_a)
    data = {"file": SimpleUploadedFile("huvudbok.xlsx", _xlsx())}
    body = client.post(reverse("ledger:sie_upload", args=[visma_company.pk]), data, **HTMX).content.decode()
    job = LedgerImport.objects.get(company=visma_company)
    assert job.status == "failed"
    assert "Det här är ett Excel-kalkylblad (.xlsx), inte en SIE-fil" in body


def _broken_amount(tmp_path):
    lines = VISMA.read_bytes().split(b"\n")
    lines[1868 - 1] = b"   #TRANS 2641 {} 20,88"
    path = tmp_path / "broken.se"
    path.write_bytes(b"\n".join(lines))
    return path


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Rad 1868: ogiltigt belopp (#TRANS 20,88)"),
        ("nb", "Linje 1868: ugyldig beløp (#TRANS 20,88)"),
        ("en", "Line 1868: invalid amount (#TRANS 20,88)"),
    ],
)
def test_a_broken_line_is_described_in_the_users_language(language, expected, visma_company, tmp_path):
    path = _broken_amount(tmp_path)
    with translation.override(language), path.open("rb") as stream, pytest.raises(BrokenFile) as refused:
        services.ledger_import_sie(company=visma_company, stream=stream)
    assert refused.value.message == expected


def test_a_worker_reports_in_the_uploaders_language(world, visma_company, tmp_path):
    from django.core.files.base import ContentFile

    world.accountant_a.language = "nb"
    world.accountant_a.save()
    job = LedgerImport(
        company=visma_company, created_by=world.accountant_a, file_name="x.se", sha256="0" * 64
    )
    job.file.save("x.se", ContentFile(_broken_amount(tmp_path).read_bytes()), save=False)
    job.save()
    import_jobs.sie_import_run(ledger_import_id=job.pk)
    job.refresh_from_db()
    assert job.message == "Linje 1868: ugyldig beløp (#TRANS 20,88)"


def _with_voucher_issues(tmp_path):
    """VISMA with voucher A 2 unbalanced (line 1874) and A 3 renumbered A 1 (line 1877)."""
    lines = VISMA.read_bytes().split(b"\n")
    assert lines[1872 - 1].startswith(b"#VER A 2 ") and lines[1877 - 1].startswith(b"#VER A 3 ")
    row = lines[1874 - 1]
    assert b"#TRANS" in row
    lines[1874 - 1] = row.rstrip(b"\r").rsplit(b" ", 1)[0] + b" 1.00\r"
    lines[1877 - 1] = lines[1877 - 1].replace(b"#VER A 3 ", b"#VER A 1 ")
    path = tmp_path / "issues.se"
    path.write_bytes(b"\n".join(lines))
    return path


def test_unbalanced_vouchers_and_duplicate_numbers_are_listed_with_their_lines(
    client, world, visma_company, tmp_path, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world.accountant_a)
    path = _with_voucher_issues(tmp_path)
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:sie_upload", args=[visma_company.pk]), data, **HTMX)
    job = LedgerImport.objects.get(company=visma_company)
    assert job.status == "succeeded", job.message
    issues = job.voucher_issues
    assert [(u["line"], u["voucher"]) for u in issues["unbalanced"]] == [(1872, "A 2")]
    assert issues["duplicates"] == [{"line": 1877, "voucher": "A 1", "first_line": 1866}]
    year = FiscalYear.objects.get(company=visma_company, start="2021-01-01")
    assert year.voucher_issues == issues  # marked on the year, not only logged
    status = client.get(reverse("ledger:import_status", args=[visma_company.pk, job.pk]), **HTMX)
    body = status.content.decode()
    assert "1 verifikation balanserar inte" in body
    assert "Rad 1872: verifikation A 2, differens" in body
    assert "Rad 1877: verifikationsnumret A 1 användes redan på rad 1866" in body
    page = client.get(reverse("analysis:balance_sheet", args=[visma_company.pk, year.pk])).content.decode()
    assert 'data-testid="voucher-issues"' in page and "Rad 1877" in page
    with translation.override("nb"):
        page = client.get(
            reverse("ledger:general_ledger", args=[visma_company.pk, year.pk]), HTTP_ACCEPT_LANGUAGE="nb"
        ).content.decode()
    assert "Rad 1877" in page or "Linje 1877" in page


def test_warnings_are_shown_in_the_readers_language(client, world, visma_company):
    with VISMA.open("rb") as stream:
        services.ledger_import_sie(company=visma_company, stream=stream)
    year = FiscalYear.objects.get(company=visma_company, start="2021-01-01")
    coded = [w for w in year.warnings if w.get("code")]
    assert coded, year.warnings
    from ledgerport.ledger.sie_messages import render

    with translation.override("en"):
        english = {render(w) for w in coded}
    with translation.override("sv"):
        swedish = {render(w) for w in coded}
    assert english != swedish and not (english & swedish)
