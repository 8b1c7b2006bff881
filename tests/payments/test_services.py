"""The firm's upload (stored with its case, or nothing at all) and the client's approval."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.cases.models import Case, CaseFile, CaseFileRole, CaseKind, CaseStatus
from ledgerport.cases.services import CaseStateError, case_close
from ledgerport.documents.models import Document
from ledgerport.payments import services
from ledgerport.payments.models import PaymentFile
from tests.concurrency import at_once, needs_postgres
from tests.payfiles.builder import build, realistic, realistic_file


def stored_counts():
    return (
        PaymentFile.objects.count(),
        Case.objects.count(),
        CaseFile.objects.count(),
        Document.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_an_upload_stores_the_summary_and_opens_a_case_for_the_signatories(world):
    payment_file = services.payment_file_upload(
        company=world.a1, user=world.accountant_a, name="../betalfil mars.xml", content=realistic()
    )
    assert payment_file.file_name == "betalfil mars.xml"
    assert payment_file.control_sum == Decimal("93013.15") and payment_file.number_of_transactions == 8
    batches = payment_file.batches
    assert [b["date"] for b in batches] == ["2026-03-12", "2026-03-25", "2026-03-31"]
    assert sum(p["amount"] for b in batches for p in b["payments"]) == Decimal("93013.15")
    assert batches[0]["payments"][0] == {
        "creditor": "Skatteverket",
        "account_kind": "bankgiro",
        "account": "5050-1055",
        "reference_kind": "ocr",
        "reference": "1655603607938",
        "date": "2026-03-12",
        "amount": Decimal("48215.00"),
        "currency": "SEK",
    }
    case = payment_file.case
    assert case.kind == CaseKind.PAYMENT_FILE and case.status == CaseStatus.OPEN
    assert case.subject_key == f"payment_file:{payment_file.pk}"
    assert str(case.due_date) == "2026-03-12"  # approved before the first payment date
    assert list(case.recipients.all()) == [world.signatory_a1]  # not the member: no "approve"
    [file] = case.files.all()
    assert file.role == CaseFileRole.FOR_APPROVAL and file.document == payment_file.document
    assert payment_file.document.sha256 == payment_file.sha256
    actions = set(AuditEntry.objects.filter(company=world.a1).values_list("action", flat=True))
    assert {Action.UPLOAD, Action.CASE_OPEN} <= actions


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"not xml at all",
        realistic().replace(b"93013.15", b"93013.16"),
        realistic().replace(b"50501055", b"50501056"),
        b"<?xml version='1.0'?><x/>" + b" " * (services.MAX_BYTES),
    ],
    ids=["not-xml", "control-sum", "bankgiro", "too-large"],
)
def test_a_refused_file_stores_nothing(world, content):
    before = stored_counts()
    with pytest.raises(services.PaymentUploadRefused) as refused:
        services.payment_file_upload(company=world.a1, user=world.accountant_a, name="b.xml", content=content)
    assert refused.value.messages and all(refused.value.messages)
    assert stored_counts() == before


@pytest.mark.django_db
def test_a_refusal_names_the_element_and_the_reason(world):
    with pytest.raises(services.PaymentUploadRefused) as refused:
        services.payment_file_upload(
            company=world.a1,
            user=world.accountant_a,
            name="b.xml",
            content=realistic().replace(b"50501055", b"50501056"),
        )
    first, problem = refused.value.messages
    assert "b.xml" in first
    # In the UI's language (Swedish here), the element as in the file.
    assert problem.startswith("/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[1]/CdtrAcct/Id/Othr/Id (rad")
    assert problem.endswith("bankgironumret 50501056 har fel kontrollsiffra")


def test_every_reason_of_the_library_is_worded_for_the_ui():
    from ledgerport.payfiles.problems import MESSAGES
    from ledgerport.payments.reasons import REASONS

    assert set(REASONS) == set(MESSAGES)
    for code, english in MESSAGES.items():
        # The same values in both wordings: none lost, none unknown.
        assert sorted(re.findall(r"%\((\w+)\)", english)) == sorted(
            re.findall(r"%\((\w+)\)", str(REASONS[code]))
        )


@pytest.mark.django_db
def test_the_same_file_waiting_for_approval_is_not_opened_again(world):
    services.payment_file_upload(company=world.a1, user=world.accountant_a, name="a.xml", content=realistic())
    with pytest.raises(services.PaymentUploadRefused, match="laddades redan upp"):
        services.payment_file_upload(company=world.a1, user=world.admin_a, name="a.xml", content=realistic())
    services.payment_file_approve(
        payment_file=PaymentFile.objects.get(company=world.a1), user=world.signatory_a1
    )
    with pytest.raises(services.PaymentUploadRefused, match="godkändes redan i banken"):
        services.payment_file_upload(company=world.a1, user=world.admin_a, name="a.xml", content=realistic())
    # Another company may pay the same suppliers.
    services.payment_file_upload(company=world.a2, user=world.accountant_a, name="a.xml", content=realistic())


@pytest.mark.django_db
def test_approval_records_who_and_when_once(world):
    payment_file = services.payment_file_upload(
        company=world.a1, user=world.accountant_a, name="a.xml", content=realistic()
    )
    assert services.payment_file_approve(payment_file=payment_file, user=world.signatory_a1) is True
    assert services.payment_file_approve(payment_file=payment_file, user=world.signatory_a1) is False
    payment_file.refresh_from_db()
    assert payment_file.approved_by == world.signatory_a1 and payment_file.approved_at is not None
    assert payment_file.case.status == CaseStatus.APPROVED
    assert AuditEntry.objects.filter(company=world.a1, action=Action.APPROVE).count() == 1


@pytest.mark.django_db
def test_a_closed_case_is_not_approved_and_its_file_may_be_uploaded_again(world):
    payment_file = services.payment_file_upload(
        company=world.a1, user=world.accountant_a, name="a.xml", content=realistic()
    )
    case_close(case=payment_file.case, user=world.accountant_a)
    with pytest.raises(CaseStateError):
        services.payment_file_approve(payment_file=payment_file, user=world.signatory_a1)
    payment_file.refresh_from_db()
    assert payment_file.approved_at is None
    again = services.payment_file_upload(
        company=world.a1, user=world.accountant_a, name="a.xml", content=realistic()
    )
    services.payment_file_approve(payment_file=again, user=world.signatory_a1)
    case_close(case=again.case, user=world.accountant_a)
    # Approved once, closed or not: the same bytes would pay twice.
    with pytest.raises(services.PaymentUploadRefused, match="godkändes redan i banken"):
        services.payment_file_upload(
            company=world.a1, user=world.accountant_a, name="a.xml", content=realistic()
        )


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_marking_approved_twice_at_once_records_one_approval(monkeypatch):
    from tests.factories import build_world

    world = build_world()
    payment_file = services.payment_file_upload(
        company=world.a1, user=world.accountant_a, name="a.xml", content=realistic()
    )
    approve = services.case_approve

    def slow_approve(**kwargs):
        time.sleep(0.3)  # both would have read "not approved" by now, were there no lock
        return approve(**kwargs)

    monkeypatch.setattr(services, "case_approve", slow_approve)
    results = at_once(
        [lambda: services.payment_file_approve(payment_file=payment_file, user=world.signatory_a1)] * 2
    )
    assert sorted(results) == [False, True], results
    assert AuditEntry.objects.filter(company=world.a1, action=Action.APPROVE).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_file_uploaded_twice_at_once_opens_one_case(monkeypatch):
    from tests.factories import build_world

    world = build_world()
    file = realistic_file()
    content = build(file)
    results = at_once(
        [
            lambda: services.payment_file_upload(
                company=world.a1, user=world.accountant_a, name="a.xml", content=content
            )
        ]
        * 2
    )
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == ["PaymentFile", "PaymentUploadRefused"], results
    assert PaymentFile.objects.filter(company=world.a1).count() == 1
    assert Case.objects.filter(company=world.a1, kind=CaseKind.PAYMENT_FILE).count() == 1
