"""The demo data `make run` seeds (ledgerport/demo/)."""

from __future__ import annotations

import base64
from pathlib import Path

from django.http import HttpRequest
from django_otp.oath import totp

from ledgerport.demo.seed import (
    BANKID_USER,
    CLIENT_USER,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    FIRM_USER,
    seed_demo,
)
from ledgerport.identity import selectors as identity
from ledgerport.identity.models import User
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.orgnumbers import is_valid


def test_seed_demo_is_idempotent_with_valid_org_numbers(db):
    seed_demo()
    seed_demo()
    companies = list(Company.objects.all())
    assert sorted(c.country for c in companies) == ["NO", "SE", "SE"]
    assert all(is_valid(c.country, c.orgnr) for c in companies)
    assert User.objects.count() == 3


def test_demo_logins_see_what_the_readme_promises(client, db):
    seed_demo()
    assert client.login(request=HttpRequest(), username=FIRM_USER, password=DEMO_PASSWORD)
    assert client.get("/companies/").content.decode().count('data-testid="company-row"') == 3
    client_user = User.objects.get(email=CLIENT_USER)
    assert [c.name for c in Company.objects.for_user(client_user)] == ["Exempelbolaget AB"]


def test_tolvan_is_a_bankid_signatory_and_kund_has_a_fixed_totp(db):
    seed_demo()
    seed_demo()
    tolvan = identity.user_by_personnummer("191212121212")
    assert tolvan is not None and tolvan.email == BANKID_USER and str(tolvan) == "Tolvan Tolvansson"
    assert not tolvan.has_usable_password()
    assert tolvan.company_memberships.get().role == "signatory"
    kund = User.objects.get(email=CLIENT_USER)
    assert kund.no_swedish_personnummer and not kund.has_personnummer
    device = kund.totpdevice_set.get()
    assert device.confirmed and device.bin_key == base64.b32decode(DEMO_TOTP_SECRET)
    assert device.verify_token(totp(device.bin_key))


def test_make_run_and_the_readme_print_the_demo_totp_secret():
    root = Path(__file__).resolve().parents[2]
    for name in ("Makefile", "README.md"):
        assert DEMO_TOTP_SECRET in (root / name).read_text()


def test_the_demo_company_has_an_archive_with_a_payslip_and_a_report(db, settings, tmp_path):
    from ledgerport.documents.models import ArchiveEntry

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    seed_demo()
    entries = ArchiveEntry.objects.filter(company__name="Exempelbolaget AB")
    assert {(e.area, e.month, e.document.content_type) for e in entries} >= {
        ("payroll", 8, "application/pdf"),
        ("reports", 3, "application/pdf"),
    }
    # Portal II's published tax-payment summary and monthly report besides (portal_demo).
    assert sorted(e.area for e in entries) == ["payroll", "reports", "reports", "tax"]


def test_the_demo_client_has_portal_two_waiting_and_a_second_seed_adds_nothing(db, settings, tmp_path):
    from ledgerport.cases.models import Case, CaseKind, CaseMessage, CaseNotification, CaseStatus
    from ledgerport.documents.models import ArchiveEntry, Document
    from ledgerport.payments.models import PaymentFile
    from ledgerport.payroll.models import PayrollRun, RunStatus
    from ledgerport.portal.models import Notification
    from ledgerport.taxpayments.models import ReportPublication, TaxPaymentSummary

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    company = Company.objects.get(name="Exempelbolaget AB")
    models = (Case, CaseMessage, CaseNotification, PayrollRun, PaymentFile, TaxPaymentSummary)
    counts = [m.objects.count() for m in (*models, ReportPublication, ArchiveEntry, Document, Notification)]
    seed_demo()
    assert [
        m.objects.count() for m in (*models, ReportPublication, ArchiveEntry, Document, Notification)
    ] == counts

    cases = {case.kind: case for case in Case.objects.filter(company=company)}
    assert set(cases) == {CaseKind.GENERAL, CaseKind.PAYROLL, CaseKind.PAYMENT_FILE, CaseKind.TAX_PAYMENT}
    thread = cases[CaseKind.GENERAL]
    assert thread.status == CaseStatus.OPEN and thread.due_date is not None
    assert [m.by_firm for m in thread.messages.all()] == [False, True]  # the client answered, asked again
    run = PayrollRun.objects.get(company=company)
    assert run.status == RunStatus.ATTESTATION and run.case.status == CaseStatus.OPEN
    assert run.case.files.count() == 3
    payment_file = PaymentFile.objects.get(company=company)
    assert payment_file.approved_at is None and payment_file.number_of_transactions == 3
    assert str(payment_file.control_sum) == "19436.75"
    summary = TaxPaymentSummary.objects.get(company=company)
    assert summary.case == cases[CaseKind.TAX_PAYMENT] and summary.amount > 0
    assert summary.due_date >= summary.case.created_at.date()
    report = ReportPublication.objects.get(company=company)
    assert (report.entry.area, report.entry.month) == ("reports", report.month.month)
    # Karin and Tolvan see the firm's news in the bell.
    assert Notification.objects.filter(company=company, user__email=CLIENT_USER).count() == 2
    assert CaseNotification.objects.filter(user__email=BANKID_USER, read_at__isnull=True).exists()


def test_the_norwegian_demo_company_has_last_month_s_a_melding_ready_to_send(db):
    import datetime as dt

    from ledgerport.demo.amelding_demo import seed_amelding
    from ledgerport.employerreturns import services
    from ledgerport.employerreturns.models import EmployerReturn, ReturnState

    seed_demo()
    fjordlys = Company.objects.get(country="NO")
    draft = EmployerReturn.objects.get(company=fjordlys)
    assert draft.state == ReturnState.DRAFT and services.problems_of(draft) == []
    summary = services.summary_of(draft)
    assert summary is not None and len(summary.employees) == 2
    anna = fjordlys.firm.memberships.first().user
    assert seed_amelding(fjordlys, anna) is None  # a second seed adds nothing
    january = seed_amelding(fjordlys, anna, today=dt.date(2027, 1, 5))
    assert january is not None and january.month == "2026-12"
    assert services.problems_of(january) == []
