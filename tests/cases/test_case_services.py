"""The case lifecycle the pages, reminders and approvals build on."""

import pytest
from django.db import IntegrityError, transaction

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.cases import selectors, services
from ledgerport.cases.models import Case, CaseFileRole, CaseKind, CaseStatus
from ledgerport.documents.upload_checks import CheckedFile

pytestmark = pytest.mark.django_db


def pdf(name: str, text: str) -> CheckedFile:
    return CheckedFile(name=name, content_type="application/pdf", content=f"%PDF-1.4 {text}".encode())


def test_a_case_is_answered_by_the_client_asked_again_by_the_firm_and_closed(world):
    case = services.case_create(
        company=world.a2,
        user=world.admin_a,
        title="Kvitto saknas",
        body="Verifikation 123 saknar underlag.",
        recipients=[world.signatory_a2],
        files=[pdf("fråga.pdf", "a")],
    )
    assert case.status == CaseStatus.OPEN and list(case.recipients.all()) == [world.signatory_a2]
    [attachment] = case.files.all()
    assert attachment.role == CaseFileRole.ATTACHMENT and attachment.document.company == world.a2

    services.case_message_add(
        case=case,
        user=world.signatory_a2,
        body="Här är kvittot.",
        by_firm=False,
        files=[pdf("kvitto.pdf", "b")],
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED and case.answered_at is not None
    services.case_message_add(case=case, user=world.admin_a, body="Fel kvitto?", by_firm=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN

    closed = services.case_close(case=case, user=world.admin_a, note="Klart.")
    assert closed.status == CaseStatus.CLOSED and services.case_close(case=case, user=None) == closed
    assert [m.body for m in case.messages.all()] == ["Här är kvittot.", "Fel kvitto?", "Klart."]
    with pytest.raises(services.CaseStateError):
        services.case_message_add(case=case, user=world.signatory_a2, body="Till?", by_firm=False)
    assert set(AuditEntry.objects.filter(company=world.a2).values_list("action", flat=True)) >= {
        Action.CASE_OPEN,
        Action.CASE_MESSAGE,
        Action.CASE_CLOSE,
    }


def test_approving_is_idempotent_and_files_for_approval_are_marked(world):
    case = services.case_create(
        company=world.a2,
        user=world.admin_a,
        title="Attest lönekörning augusti",
        kind=CaseKind.PAYROLL,
        files_for_approval=[pdf("lonelista.pdf", "c")],
    )
    assert [f.role for f in case.files.all()] == [CaseFileRole.FOR_APPROVAL]
    first = services.case_approve(case=case, user=world.signatory_a2)
    again = services.case_approve(case=case, user=world.signatory_a2)
    assert first.status == again.status == CaseStatus.APPROVED and first.approved_at == again.approved_at


def test_one_case_not_closed_per_subject(world):
    services.case_create(company=world.a1, user=None, title="Sen betalning", subject_key="tax:late:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        services.case_create(company=world.a1, user=None, title="Sen betalning", subject_key="tax:late:1")
    found = selectors.open_case_for(company=world.a1, subject_key="tax:late:1")
    services.case_close(case=found, user=None)
    services.case_create(company=world.a1, user=None, title="Sen betalning igen", subject_key="tax:late:1")
    assert Case.objects.filter(company=world.a1, subject_key="tax:late:1").count() == 2


def test_cases_are_read_only_within_the_users_scope(world):
    case = services.case_create(company=world.a2, user=world.admin_a, title="Fråga")
    assert list(selectors.cases_of(user=world.signatory_a2, company=world.a2)) == [case]
    assert not selectors.cases_of(user=world.member_a1, company=world.a2).exists()
    assert not selectors.cases_of(user=world.admin_b, company=world.a2).exists()
    with pytest.raises(Case.DoesNotExist):
        selectors.case_get(user=world.admin_b, company=world.a2, pk=case.pk)
