"""The upload on "Läs in data": a job, htmx progress, the replace question, refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledgerport.ledger.models import FiscalYear, LedgerImport, Voucher
from tests.ledger.conftest import VISMA

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def accountant(client, world):
    client.force_login(world.accountant_a)
    return client


def upload(client, company, content=None, name=VISMA.name, **extra):
    data = {"file": SimpleUploadedFile(name, VISMA.read_bytes() if content is None else content)}
    return client.post(reverse("ledger:sie_upload", args=[company.pk]), data, **extra)


def test_collect_tab_shows_the_upload(accountant, visma_company):
    body = accountant.get(reverse("web:company_collect", args=[visma_company.pk])).content.decode()
    assert "Läs in en SIE-fil" in body
    assert 'type="file"' in body and "data-dropzone" in body
    assert "ledger/upload.js" in body


def test_upload_runs_the_task_and_reports_progress(
    accountant, visma_company, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(accountant, visma_company, **HTMX)
    assert response.status_code == 200
    job = LedgerImport.objects.get(company=visma_company)
    assert job.status == "succeeded", job.message
    assert (job.vouchers_done, job.rows_done, job.bytes_done) == (295, 1330, VISMA.stat().st_size)
    assert job.file.read() == VISMA.read_bytes()  # stored for provenance
    status = accountant.get(reverse("ledger:import_status", args=[visma_company.pk, job.pk]), **HTMX)
    body = status.content.decode()
    assert 'data-status="succeeded"' in body and "hx-trigger" not in body  # polling stops
    assert "295" in body and "Balansräkning" in body
    year = FiscalYear.objects.get(company=visma_company, start="2021-01-01")
    assert year.ledger_import == job


def test_a_queued_import_polls_its_status(accountant, visma_company, monkeypatch):
    from ledgerport.ledger import tasks

    monkeypatch.setattr(tasks.import_sie_file, "delay", lambda *a: None)  # no worker
    upload(accountant, visma_company, **HTMX)
    job = LedgerImport.objects.get(company=visma_company)
    assert job.status == "queued"
    body = accountant.get(
        reverse("ledger:import_status", args=[visma_company.pk, job.pk]), **HTMX
    ).content.decode()
    assert 'hx-trigger="every 1s"' in body and "<progress" in body


def test_second_upload_asks_before_replacing(
    accountant, visma_company, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(accountant, visma_company, **HTMX)
    with django_capture_on_commit_callbacks(execute=True):
        body = upload(accountant, visma_company, **HTMX).content.decode()
    assert (
        "Räkenskapsåret 2021-01-01 – 2021-12-31 har redan en huvudbok (källa: SIE-fil). Vill du ersätta den?"
        in body
    )
    job = LedgerImport.objects.filter(company=visma_company).latest("pk")
    assert job.status == "confirm"
    first_ids = set(Voucher.objects.filter(fiscal_year__company=visma_company).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = accountant.post(reverse("ledger:import_confirm", args=[visma_company.pk, job.pk]), **HTMX)
    assert 'data-status="queued"' in confirmed.content.decode()  # the task runs once the request commits
    status = accountant.get(reverse("ledger:import_status", args=[visma_company.pk, job.pk]), **HTMX)
    assert 'data-status="succeeded"' in status.content.decode()
    second_ids = set(Voucher.objects.filter(fiscal_year__company=visma_company).values_list("pk", flat=True))
    # The same file again: every voucher is found unchanged and kept (ledger/reimport.py).
    assert len(second_ids) == 295 and first_ids == second_ids


def test_cancel_keeps_the_existing_ledger(
    accountant, visma_company, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(accountant, visma_company, **HTMX)
        upload(accountant, visma_company, **HTMX)
    job = LedgerImport.objects.filter(company=visma_company).latest("pk")
    accountant.post(reverse("ledger:import_cancel", args=[visma_company.pk, job.pk]), **HTMX)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert FiscalYear.objects.get(company=visma_company, start="2021-01-01").ledger_import_id != job.pk


def test_orgnr_mismatch_is_refused_with_a_clear_message(accountant, world):
    body = upload(accountant, world.a1, **HTMX).content.decode()
    assert "555555-5555" in body and "Alfa Klient Ett AB" in body
    assert LedgerImport.objects.get(company=world.a1).status == "failed"
    assert not FiscalYear.objects.filter(company=world.a1).exists()


def test_broken_file_names_the_line(
    accountant, visma_company, eager_tasks, django_capture_on_commit_callbacks
):
    lines = VISMA.read_bytes().split(b"\n")
    number = next(i for i, raw in enumerate(lines, start=1) if raw.strip().startswith(b"#TRANS"))
    lines[number - 1] = b"   #TRANS 1910 {} abc"
    with django_capture_on_commit_callbacks(execute=True):
        body = upload(accountant, visma_company, b"\n".join(lines), **HTMX).content.decode()
    assert f"Rad {number}:" in body
    assert not Voucher.objects.filter(fiscal_year__company=visma_company).exists()


def test_too_large_a_file_is_refused(accountant, visma_company, settings):
    settings.LEDGER_SIE_MAX_UPLOAD_BYTES = 1000
    body = upload(accountant, visma_company, **HTMX).content.decode()
    assert "för stor" in body
    assert not LedgerImport.objects.exists()


def test_upload_without_htmx_redirects_to_the_collect_tab(
    accountant, visma_company, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(accountant, visma_company)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:company_collect", args=[visma_company.pk])


def test_client_users_cannot_upload(client, world, visma_company):
    client.force_login(world.signatory_a1)
    assert upload(client, world.a1).status_code == 404
