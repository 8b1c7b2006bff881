"""Payroll runs: the attestation case, refused input, and the final files filed under the
month of payout (once, even when filed twice at once)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ledgerport.cases.models import CaseFileRole, CaseKind, CaseStatus
from ledgerport.cases.services import case_approve
from ledgerport.documents.models import ArchiveEntry
from ledgerport.payroll.models import PayrollRun, RunStatus
from ledgerport.payroll.services import PayrollError, payout_folder, payroll_finish, payroll_run_create
from ledgerport.portal.models import Notification
from tests.concurrency import at_once
from tests.factories import build_world

D = datetime.date


def upload(name: str, text: str = "x", pdf: bool = True) -> SimpleUploadedFile:
    content = f"%PDF-1.4 {text}".encode() if pdf else f"hello {text}".encode()
    return SimpleUploadedFile(name, content)


JULY, AUGUST_25 = D(2026, 7, 1), D(2026, 8, 25)


def create(world, period=JULY, payout=AUGUST_25, **kwargs):
    return payroll_run_create(
        company=world.a1,
        user=world.admin_a,
        period=period,
        payout_date=payout,
        payslips=kwargs.get("payslips", [upload("lonebesked-juli.pdf", f"p{period}")]),
        payout_list=kwargs.get("payout_list", [upload("utbetalningslista.pdf", f"l{period}")]),
        due_date=kwargs.get("due_date"),
    )


@pytest.mark.django_db
def test_a_run_opens_an_attestation_case_with_the_files_for_approval(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("sv"):
        run = create(world, period=D(2026, 7, 14))
    case = run.case
    assert run.period == D(2026, 7, 1) and run.status == RunStatus.ATTESTATION
    assert case.title == "Attest lönekörning juli 2026" and case.kind == CaseKind.PAYROLL
    assert case.subject_key == f"payroll:{run.pk}" and case.due_date == D(2026, 8, 23)
    assert list(case.recipients.all()) == [world.signatory_a1]
    assert sorted(f.file_name for f in case.files.filter(role=CaseFileRole.FOR_APPROVAL)) == [
        "lonebesked-juli.pdf",
        "utbetalningslista.pdf",
    ]


@pytest.mark.django_db
def test_refused_input_stores_nothing(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(PayrollError, match=r"lista\.txt"):
        create(world, payout_list=[upload("lista.txt", pdf=False)])
    with pytest.raises(PayrollError):
        create(world, payout=D(2026, 6, 30))  # paid before the month worked
    with pytest.raises(PayrollError):
        create(world, due_date=D(2026, 9, 1))  # attest after the payout
    with pytest.raises(PayrollError):
        create(world, payslips=[])
    assert not PayrollRun.objects.exists() and not world.a1.cases.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period", "payout", "folder"),
    [
        (D(2026, 7, 1), D(2026, 8, 25), "2026/payroll/08"),  # July's work paid in August
        (D(2026, 12, 1), D(2027, 1, 25), "2027/payroll/01"),  # December's paid in January
        (D(2026, 9, 1), D(2026, 9, 30), "2026/payroll/09"),
    ],
)
def test_final_files_are_filed_under_the_month_of_payout(world, settings, tmp_path, period, payout, folder):
    settings.MEDIA_ROOT = tmp_path
    run = create(world, period=period, payout=payout)
    with pytest.raises(PayrollError):  # not attested yet
        payroll_finish(run=run, user=world.admin_a, uploads=[upload("lonebesked.pdf", "final")])
    case_approve(case=run.case, user=world.signatory_a1)
    run = payroll_finish(
        run=run,
        user=world.admin_a,
        uploads=[upload("lonebesked.pdf", "final"), upload("banklista.pdf", "bank")],
    )
    assert run.status == RunStatus.DONE and run.folder == folder
    entries = ArchiveEntry.objects.filter(company=world.a1)
    assert sorted(e.file_name for e in entries) == ["banklista.pdf", "lonebesked.pdf"]
    assert {e.folder_key for e in entries} == {folder}
    run.case.refresh_from_db()
    assert run.case.status == CaseStatus.CLOSED
    assert Notification.objects.filter(user=world.signatory_a1, folder=folder).exists()
    with pytest.raises(PayrollError):  # once only
        payroll_finish(run=run, user=world.admin_a, uploads=[upload("igen.pdf", "again")])


@given(
    period=st.dates(min_value=D(2000, 1, 1), max_value=D(2098, 12, 1)),
    days=st.integers(min_value=0, max_value=120),
)
def test_the_payout_month_alone_decides_the_folder(period, days):
    payout = period + datetime.timedelta(days=days)
    folder = payout_folder(payout)
    assert (folder.year, folder.area, folder.month) == (payout.year, "payroll", payout.month)
    assert folder.key == f"{payout.year}/payroll/{payout.month:02d}"


@pytest.mark.django_db
def test_the_firms_pages_create_a_run_and_a_client_cannot(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.accountant_a)
    url = reverse("payroll:runs", args=[world.a1.pk])
    response = client.post(
        url,
        {
            "period": "2026-07",
            "payout_date": "2026-08-25",
            "payslips": [upload("a.pdf", "a"), upload("b.pdf", "b")],
            "payout_list": upload("lista.pdf", "l"),
        },
    )
    run = PayrollRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/payroll/{run.pk}/")
    assert run.case.files.count() == 3
    refused = client.post(
        url, {"period": "2026-08", "payout_date": "2026-09-25", "payslips": upload("x.txt", pdf=False)}
    )
    assert refused.status_code == 200 and "x.txt" not in str(PayrollRun.objects.values_list("pk"))
    assert PayrollRun.objects.count() == 1
    page = client.get(reverse("payroll:run", args=[world.a1.pk, run.pk]))
    assert page.status_code == 200 and "lista.pdf" in page.content.decode()
    client.force_login(world.signatory_a1)
    assert client.get(url).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_filing_the_final_payroll_twice_at_once_files_it_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    run = create(world)
    case_approve(case=run.case, user=world.signatory_a1)
    results = at_once(
        [
            lambda: payroll_finish(run=run, user=world.admin_a, uploads=[upload("lonebesked.pdf", "one")]),
            lambda: payroll_finish(run=run, user=world.admin_a, uploads=[upload("lonebesked2.pdf", "two")]),
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["PayrollError", "PayrollRun"], results
    assert ArchiveEntry.objects.filter(company=world.a1).count() == 1
