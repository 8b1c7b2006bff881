"""Approvals signed with BankID: what is stored, who may sign, a file changed after signing,
and completing one signature twice at once."""

from __future__ import annotations

import pytest
from django.db import connection

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.cases import services, signing
from ledgerport.cases.models import Case, CaseKind, CaseSignature, CaseStatus
from ledgerport.cases.signing_selectors import approval_files, may_sign, signatures_of
from ledgerport.documents.upload_checks import CheckedFile
from ledgerport.identity import personnummer
from ledgerport.identity.services import user_set_personnummer
from tests.concurrency import at_once
from tests.factories import build_world

TOLVAN = "191212121212"
AGDA = "198501012382"


def pdf(name: str, text: str) -> CheckedFile:
    return CheckedFile(name=name, content_type="application/pdf", content=f"%PDF-1.4 {text}".encode())


def payroll_case(world) -> Case:
    return services.case_create(
        company=world.a1,
        user=world.admin_a,
        title="Attest lönekörning juli 2026",
        kind=CaseKind.PAYROLL,
        files_for_approval=[pdf("lonebesked.pdf", "prel"), pdf("utbetalningslista.pdf", "list")],
        subject_key="payroll:1",
    )


def completion(number: str, order_ref: str = "order-1") -> dict[str, object]:
    return {
        "user": {"personalNumber": number, "name": "Tolvan Tolvansson"},
        "device": {"ipAddress": "192.0.2.1", "uhi": "abc"},
        "signature": "PFNpZ25hdHVyZS8+",
        "ocspResponse": "b2NzcA==",
        "risk": "low",
    }


def complete(case: Case, user, number: str = TOLVAN, order_ref: str = "order-1"):
    files = approval_files(case)
    return signing.signature_complete(
        case=case,
        user=user,
        order_ref=order_ref,
        text=signing.visible_text(case, files),
        files=files,
        completion_data=completion(number),
    )


@pytest.mark.django_db
def test_a_signature_stores_the_proof_and_hashes_and_approves_the_case(world):
    user_set_personnummer(user=world.signatory_a1, number=TOLVAN)
    case = payroll_case(world)
    files = approval_files(case)
    text = signing.visible_text(case, files)
    assert case.title in text and world.a1.name in text and world.a1.orgnr in text
    assert all(f"SHA-256: {f['sha256']}" in text and f"+ {f['name']}" in text for f in files)

    signature = complete(case, world.signatory_a1)
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert signature.file_hashes == files and signature.signer_name == "Tolvan Tolvansson"
    assert signature.signature == "PFNpZ25hdHVyZS8+" and signature.ocsp_response == "b2NzcA=="
    assert signature.completion_data["device"] == {"ipAddress": "192.0.2.1", "uhi": "abc"}
    # The personnummer is kept encrypted only, never in the JSON.
    assert TOLVAN not in str(signature.completion_data)
    assert personnummer.decrypt(signature.personnummer_ciphertext) == TOLVAN
    assert AuditEntry.objects.filter(action=Action.ATTEST, detail="BankID", target_id=str(case.pk)).exists()
    # The firm sees who signed and that it matches; the client cannot sign it again.
    [seen] = signatures_of(user=world.accountant_a, case=case)
    assert seen.matches and seen.signature.user == world.signatory_a1
    assert not may_sign(case)
    assert signatures_of(user=world.signatory_a2, case=case) == []  # another company's client


@pytest.mark.django_db
def test_a_file_replaced_after_signing_no_longer_matches(world):
    user_set_personnummer(user=world.signatory_a1, number=TOLVAN)
    case = payroll_case(world)
    complete(case, world.signatory_a1)
    first = case.files.order_by("pk").first()
    signing.approval_file_replace(case_file=first, user=world.admin_a, file=pdf("lonebesked-v2.pdf", "ny"))
    [seen] = signatures_of(user=world.admin_a, case=case)
    assert not seen.matches
    assert may_sign(case)  # it can be signed again over the new files
    assert "lonebesked-v2.pdf" in case.messages.last().body
    again = complete(case, world.signatory_a1, order_ref="order-2")
    assert [s.matches for s in signatures_of(user=world.admin_a, case=case)] == [False, True]
    assert again.file_hashes[0]["name"] == "lonebesked-v2.pdf"


@pytest.mark.django_db
def test_someone_elses_bankid_or_changed_files_store_nothing(world):
    user_set_personnummer(user=world.signatory_a1, number=TOLVAN)
    case = payroll_case(world)
    with pytest.raises(signing.SigningError):
        complete(case, world.signatory_a1, number=AGDA)
    files = approval_files(case)
    signing.approval_file_replace(
        case_file=case.files.first(), user=world.admin_a, file=pdf("andrad.pdf", "changed")
    )
    with pytest.raises(signing.SigningError):  # signed the old files while the firm replaced one
        signing.signature_complete(
            case=case,
            user=world.signatory_a1,
            order_ref="o",
            text="t",
            files=files,
            completion_data=completion(TOLVAN),
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and not CaseSignature.objects.exists()


@pytest.mark.django_db
def test_who_may_attest_with_the_button(world, settings):
    case = payroll_case(world)
    user_set_personnummer(user=world.signatory_a1, number=TOLVAN)
    with pytest.raises(signing.SigningError):  # has BankID: signs instead
        signing.attest_without_bankid(case=case, user=world.signatory_a1)
    settings.CASES_ATTEST_WITHOUT_BANKID = False
    with pytest.raises(signing.SigningError):
        signing.attest_without_bankid(case=case, user=world.member_a1)
    settings.CASES_ATTEST_WITHOUT_BANKID = True
    assert signing.attest_without_bankid(case=case, user=world.member_a1).status == CaseStatus.APPROVED
    assert AuditEntry.objects.filter(action=Action.ATTEST, detail="without BankID").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_completing_one_signature_twice_at_once_stores_it_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    user_set_personnummer(user=world.signatory_a1, number=TOLVAN)
    case = payroll_case(world)
    results = at_once([lambda: complete(case, world.signatory_a1)] * 2)
    assert all(isinstance(r, CaseSignature) for r in results), results
    assert results[0].pk == results[1].pk
    assert CaseSignature.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.ATTEST).count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
