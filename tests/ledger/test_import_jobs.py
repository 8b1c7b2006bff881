"""An import job never sticks: it beats while it runs; one whose worker vanished fails and can be retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from ledgerport.ledger import import_jobs, services
from ledgerport.ledger.models import FiscalYear, ImportStatus, LedgerImport
from tests.ledger.conftest import VISMA

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def accountant(client, world):
    client.force_login(world.accountant_a)
    return client


def _job(company, **fields):
    job = LedgerImport(company=company, file_name=VISMA.name, file_size=VISMA.stat().st_size, sha256="0" * 64)
    job.file.save(VISMA.name, ContentFile(VISMA.read_bytes()), save=False)
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return job


def test_a_running_job_whose_worker_vanished_fails_with_the_reason_and_can_be_retried(
    accountant, visma_company, eager_tasks, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(minutes=10)
    job = _job(
        visma_company, status=ImportStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago, bytes_done=0
    )
    url = reverse("ledger:import_status", args=[visma_company.pk, job.pk])
    body = accountant.get(url, **HTMX).content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.retryable and job.finished_at is not None
    assert "arbetsprocessen" in job.message  # the reason, in Swedish
    assert 'data-status="failed"' in body and "hx-trigger" not in body  # no more "Läser in 0 %"
    assert job.message in body
    assert "Försök igen" in body and reverse("ledger:import_retry", args=[visma_company.pk, job.pk]) in body

    with django_capture_on_commit_callbacks(execute=True):
        response = accountant.post(reverse("ledger:import_retry", args=[visma_company.pk, job.pk]), **HTMX)
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.message
    assert (job.vouchers_done, job.rows_done) == (295, 1330)
    assert 'data-status="queued"' in response.content.decode()  # polls until the worker has run it
    assert FiscalYear.objects.get(company=visma_company, start="2021-01-01").voucher_count == 295


def test_a_job_with_a_recent_heartbeat_keeps_running(accountant, visma_company):
    job = _job(visma_company, status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=10))
    job.heartbeat_at = timezone.now() - timedelta(seconds=5)
    job.save()
    body = accountant.get(
        reverse("ledger:import_status", args=[visma_company.pk, job.pk]), **HTMX
    ).content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert "hx-trigger" in body and "Försök igen" not in body


def test_the_upload_page_fails_stale_jobs_too(accountant, visma_company):
    job = _job(visma_company, status=ImportStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5))
    accountant.get(reverse("web:company_collect", args=[visma_company.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def test_running_a_job_beats_and_a_refused_file_offers_no_retry(visma_company, world):
    job = _job(visma_company, status=ImportStatus.QUEUED)
    before = timezone.now()
    import_jobs.sie_import_run(ledger_import_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert job.heartbeat_at is not None and job.heartbeat_at >= before
    refused = _job(world.a1, status=ImportStatus.QUEUED)  # another company's org number
    import_jobs.sie_import_run(ledger_import_id=refused.pk)
    refused.refresh_from_db()
    assert refused.status == ImportStatus.FAILED and not refused.retryable
    assert services.sie_import_retry(ledger_import=refused).status == ImportStatus.FAILED
