"""The upload on "Läs in data" takes a SAF-T Financial file for a Norwegian company."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledgerport.ledger.models import FiscalYear, LedgerImport, Voucher
from ledgerport.tenancy.services import company_create
from tests.saft.saft_files import Variant, build

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def accountant(client, world):
    client.force_login(world.accountant_a)
    return client


@pytest.fixture
def fjordlys(world):
    return company_create(firm=world.firm_a, name="Fjordlys Rådgivning AS", orgnr="923609016", country="NO")


def _upload(client, company, content: bytes, name="SAF-T Financial_923609016.xml"):
    data = {"file": SimpleUploadedFile(name, content)}
    return client.post(reverse("ledger:sie_upload", args=[company.pk]), data, **HTMX)


def test_a_norwegian_company_is_offered_saft(accountant, fjordlys, world):
    body = accountant.get(reverse("web:company_collect", args=[fjordlys.pk])).content.decode()
    assert "SAF-T" in body and ".xml" in body
    swedish = accountant.get(reverse("web:company_collect", args=[world.a1.pk])).content.decode()
    assert "SAF-T" not in swedish


def test_a_saft_upload_is_imported(accountant, fjordlys, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(accountant, fjordlys, build(Variant()))
    assert response.status_code == 200
    job = LedgerImport.objects.get(company=fjordlys)
    assert (job.source, job.status, job.vouchers_done, job.rows_done) == ("saft", "succeeded", 6, 18)
    year = FiscalYear.objects.get(company=fjordlys)
    assert (year.ledger_import, year.source) == (job, "saft")
    assert Voucher.objects.filter(fiscal_year=year).count() == 6


def test_a_broken_saft_upload_says_where(
    accountant, fjordlys, eager_tasks, django_capture_on_commit_callbacks
):
    broken = build(Variant(replace=[("<n1:TotalCredit>10068.93", "<n1:TotalCredit>1.00")]))
    with django_capture_on_commit_callbacks(execute=True):
        _upload(accountant, fjordlys, broken)
    job = LedgerImport.objects.get(company=fjordlys)
    assert job.status == "failed"
    status = reverse("ledger:import_status", args=[fjordlys.pk, job.pk])
    body = accountant.get(status, **HTMX).content.decode()
    assert "&lt;TotalCredit&gt;" in body and "1.00" in job.message
    assert not FiscalYear.objects.filter(company=fjordlys).exists()


def test_a_second_saft_upload_asks_before_replacing(
    accountant, fjordlys, eager_tasks, django_capture_on_commit_callbacks
):
    for _round in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            _upload(accountant, fjordlys, build(Variant()))
    job = LedgerImport.objects.filter(company=fjordlys).order_by("-pk").first()
    assert job.status == "confirm"  # answered at once, from the header


def test_a_swedish_company_gets_no_saft_import(
    accountant, world, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(accountant, world.a1, build(Variant(orgnr="5560360793")))
    job = LedgerImport.objects.get(company=world.a1)
    assert (job.source, job.status) == ("sie", "failed")


def test_what_looks_like_saft():
    from ledgerport.ledger.saft_import import looks_like_saft

    assert looks_like_saft(build(Variant())[:4096])
    assert looks_like_saft(b"\xef\xbb\xbf\r\n" + build(Variant(prefix=""))[:200])
    assert not looks_like_saft(b'#FLAGGA 0\n#PROGRAM "Fortnox" 3.0\n')
    assert not looks_like_saft(b'<?xml version="1.0"?><Sie xmlns="http://www.sie.se/sie5">')
