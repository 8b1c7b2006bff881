"""The case pages for both sides: open, answer with files, approve (only the signatory, only when
the case asks), close and reopen; the tab's count, the bell, the mails, the cockpit's column."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledgerport.cases import services
from ledgerport.cases.models import Case, CaseKind, CaseNotification, CaseStatus, ReminderPolicy
from ledgerport.documents.upload_checks import CheckedFile

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def pdf(name: str, text: str = "x") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"%PDF-1.4 {text}".encode(), content_type="application/pdf")


def test_the_firm_opens_a_case_the_client_is_told_answers_with_a_file_and_the_firm_is_told(
    client, world, smtp_inbox, django_capture_on_commit_callbacks, eager_tasks
):
    login(client, world.accountant_a)
    new = reverse("cases:new", args=[world.a1.pk])
    assert 'name="recipients"' in client.get(new).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new,
            {
                "title": "Kvitto saknas",
                "body": "Verifikation 123 saknar underlag.",
                "due_date": "2026-03-12",
                "recipients": [world.signatory_a1.pk],
                "remind_days_before": "2",
                "files": [pdf("fråga.pdf")],
            },
        )
    case = Case.objects.get(company=world.a1)
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[world.a1.pk, case.pk]
    )
    assert (case.due_date, case.remind_days_before, case.remind_every_days) == (
        datetime.date(2026, 3, 12),
        2,
        None,
    )
    [mail] = smtp_inbox.to(world.signatory_a1.email)  # the member was not chosen
    assert "Kvitto saknas" in str(mail["Subject"]) and f"/cases/{case.pk}/" in mail.get_content()

    client.logout()
    login(client, world.signatory_a1)
    overview = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert 'data-testid="case-notification"' in overview and 'data-testid="open-case-count">1<' in overview
    page = client.get(reverse("cases:detail", args=[world.a1.pk, case.pk])).content.decode()
    assert "fråga.pdf" in page and 'data-testid="case-approval"' not in page  # a question asks no approval
    assert reverse("cases:close", args=[world.a1.pk, case.pk]) not in page
    assert not CaseNotification.objects.filter(user=world.signatory_a1, read_at__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cases:message", args=[world.a1.pk, case.pk]),
            {"body": "Här är kvittot.", "files": [pdf("kvitto.pdf", "k")]},
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert [f.file_name for f in case.files.all()] == ["fråga.pdf", "kvitto.pdf"]
    told = {m["X-Envelope-To"] for m in smtp_inbox.messages} - {world.signatory_a1.email}
    assert told == {world.admin_a.email, world.accountant_a.email}


def test_a_bad_answer_is_shown_not_stored_and_a_closed_case_cannot_be_answered(client, world, settings):
    case = services.case_create(company=world.a1, user=world.admin_a, title="Fråga")
    login(client, world.member_a1)
    url = reverse("cases:message", args=[world.a1.pk, case.pk])
    empty = client.post(url, {"body": "  "})
    assert empty.status_code == 200 and "Skriv ett meddelande eller bifoga en fil." in empty.content.decode()
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 10
    too_big = client.post(url, {"body": "Här", "files": [pdf("stor.pdf", "x" * 50)]})
    assert too_big.status_code == 200 and "stor.pdf" in too_big.content.decode()
    assert not case.messages.exists()
    services.case_close(case=case, user=world.admin_a)
    closed = client.post(url, {"body": "Hallå?"}, follow=True)
    assert closed.status_code == 200 and "kan inte besvaras" in closed.content.decode()


def test_only_a_signatory_attests_and_only_a_case_that_asks(client, world):
    """The case page shows the approval block (case_signing) on payroll and payment-file cases;
    its attest or BankID-sign button only to who may approve."""
    payroll = services.case_create(
        company=world.a1,
        user=world.admin_a,
        title="Attest lön",
        kind=CaseKind.PAYROLL,
        files_for_approval=[CheckedFile("lista.pdf", "application/pdf", b"%PDF-1.4 lista")],
    )
    question = services.case_create(company=world.a1, user=world.admin_a, title="Fråga")
    detail = reverse("cases:detail", args=[world.a1.pk, payroll.pk])
    buttons = [
        reverse(name, args=[world.a1.pk, payroll.pk])
        for name in ("case_signing:attest", "case_signing:sign_start")
    ]
    login(client, world.member_a1)
    page = client.get(detail).content.decode()
    assert 'data-testid="case-approval"' in page and "lista.pdf" in page
    assert not any(url in page for url in buttons)
    client.logout()
    login(client, world.signatory_a1)
    assert any(url in client.get(detail).content.decode() for url in buttons)
    other = client.get(reverse("cases:detail", args=[world.a1.pk, question.pk])).content.decode()
    assert 'data-testid="case-approval"' not in other


def test_the_firm_closes_reopens_and_changes_the_settings(client, world):
    case = services.case_create(company=world.a1, user=world.admin_a, title="Fråga")
    login(client, world.accountant_a)
    client.post(reverse("cases:close", args=[world.a1.pk, case.pk]), {"note": "Klart."})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.messages.last().body == "Klart."
    client.post(reverse("cases:reopen", args=[world.a1.pk, case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closed_at is None
    client.post(
        reverse("cases:settings", args=[world.a1.pk, case.pk]),
        {"due_date": "2026-04-12", "recipients": [world.member_a1.pk], "remind_every_days": "5"},
    )
    case.refresh_from_db()
    assert case.due_date == datetime.date(2026, 4, 12) and case.remind_every_days == 5
    assert list(case.recipients.all()) == [world.member_a1]
    # A user of another company cannot be made a recipient.
    bad = client.post(
        reverse("cases:settings", args=[world.a1.pk, case.pk]), {"recipients": [world.signatory_a2.pk]}
    )
    assert bad.status_code == 302 and list(case.recipients.all()) == [world.member_a1]


def test_the_list_puts_open_cases_first_by_due_date(client, world):
    done = services.case_create(
        company=world.a1, user=world.admin_a, title="Klar", due_date=datetime.date(2026, 1, 1)
    )
    services.case_close(case=done, user=world.admin_a)
    services.case_create(
        company=world.a1, user=world.admin_a, title="Senare", due_date=datetime.date(2026, 5, 1)
    )
    services.case_create(
        company=world.a1, user=world.admin_a, title="Snart", due_date=datetime.date(2026, 4, 1)
    )
    services.case_create(company=world.a1, user=world.admin_a, title="Utan datum")
    html = (
        login(client, world.member_a1).get(reverse("web:company_cases", args=[world.a1.pk])).content.decode()
    )
    listed = html[html.index('data-testid="case-list"') :]  # not the bell above it
    order = [listed.index(t) for t in ("Snart", "Senare", "Utan datum", "Klar")]
    assert order == sorted(order) and 'data-testid="open-case-count">3<' in html
    assert reverse("cases:new", args=[world.a1.pk]) not in html


def test_the_client_list_column_and_the_overview_panel(client, world):
    services.case_create(company=world.a1, user=world.admin_a, title="Fråga om moms")
    login(client, world.accountant_a)
    rows = client.get(reverse("web:company_list"), {"show": "open-cases"}).content.decode()
    assert world.a1.name in rows and world.a2.name not in rows
    overview = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert 'data-testid="overview-cases"' in overview and "Fråga om moms" in overview


def test_the_firms_default_cadence_is_its_admins(client, world):
    login(client, world.accountant_a)
    url = reverse("cases:reminder_policy", args=[world.a1.pk])
    assert client.post(url, {"days_before": 5, "every_days": 1, "max_count": 2}).status_code == 404
    client.logout()
    login(client, world.admin_a)
    client.post(url, {"days_before": 5, "every_days": 1, "max_count": 2})
    policy = ReminderPolicy.objects.get(firm=world.firm_a)
    assert (policy.days_before, policy.every_days, policy.max_count) == (5, 1, 2)
