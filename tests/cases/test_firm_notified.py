"""The firm hears when a client approves or signs: the case's responsible firm user (who opened
it) or, failing one, everyone at the firm who works on the company; in the bell and in one mail,
in the recipient's language, naming who did it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerport.cases import mails, services, tasks
from ledgerport.cases.models import CaseEvent, CaseKind, CaseNotification
from ledgerport.identity.services import user_set_personnummer
from ledgerport.payments.services import payment_file_approve, payment_file_upload
from ledgerport.tenancy.models import FirmMembership
from tests.cases.test_signing import TOLVAN, complete, payroll_case, pdf
from tests.concurrency import at_once, needs_postgres
from tests.payfiles.builder import build, realistic_file


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def firm_notes(case):
    return list(
        CaseNotification.objects.filter(case=case, event__in=[CaseEvent.APPROVED, CaseEvent.SIGNED])
        .select_related("user", "actor")
        .order_by("user__email")
    )


@pytest.mark.django_db
def test_a_bankid_signature_tells_the_firm_user_who_opened_the_case_once_in_their_language(
    client, world, smtp_inbox
):
    world.admin_a.language = "en"
    world.admin_a.save(update_fields=["language"])
    user_set_personnummer(user=world.signatory_a1, number=TOLVAN)
    case = payroll_case(world)  # opened by the firm's admin
    complete(case, world.signatory_a1)

    [note] = firm_notes(case)
    assert (note.user, note.event, note.actor) == (world.admin_a, CaseEvent.SIGNED, world.signatory_a1)
    ids = [note.pk]
    assert mails.notification_mails_send(notification_ids=ids) == 1
    assert mails.notification_mails_send(notification_ids=ids) == 0  # a retried task mails nothing
    [message] = smtp_inbox.to("admin@alfa.se")
    assert (
        message["Subject"].strip() == "Signed with BankID: Attest lönekörning juli 2026 (Alfa Klient Ett AB)"
    )
    body = message.get_content()
    assert (
        f"{world.signatory_a1} signed Attest lönekörning juli 2026 for Alfa Klient Ett AB with BankID."
        in body
    )
    assert f"/companies/{world.a1.pk}/cases/{case.pk}/" in body

    # The bell and the notifications page (in the page's language, Swedish here) name who signed.
    client.force_login(world.admin_a)
    page = client.get(reverse("portal:notifications")).content.decode()
    assert f"Undertecknat med BankID: Attest lönekörning juli 2026 · {world.signatory_a1}" in page


@pytest.mark.django_db
def test_attesting_without_bankid_and_approving_a_payment_file_tell_the_opener_in_swedish(world, smtp_inbox):
    from ledgerport.cases import signing

    case = services.case_create(
        company=world.a1,
        user=world.accountant_a,
        title="Attest lönekörning augusti 2026",
        kind=CaseKind.PAYROLL,
        files_for_approval=[pdf("lonebesked.pdf", "prel")],
        subject_key="payroll:2",
    )
    signing.attest_without_bankid(case=case, user=world.signatory_a1)
    [note] = firm_notes(case)
    assert (note.user, note.event) == (world.accountant_a, CaseEvent.APPROVED)

    payment_file = payment_file_upload(
        company=world.a1, user=world.accountant_a, name="betalningar.xml", content=build(realistic_file())
    )
    payment_file_approve(payment_file=payment_file, user=world.signatory_a1)
    [paid] = firm_notes(payment_file.case)
    assert (paid.user, paid.event, paid.actor) == (world.accountant_a, CaseEvent.APPROVED, world.signatory_a1)
    assert mails.notification_mails_send(notification_ids=[note.pk, paid.pk]) == 2
    subjects = sorted(m["Subject"].strip() for m in smtp_inbox.to("konsult@alfa.se"))
    assert subjects[0] == "Godkänt: Attest lönekörning augusti 2026 (Alfa Klient Ett AB)"
    assert subjects[1].startswith("Godkänt: Godkänn betalfilen betalningar.xml")
    assert f"{world.signatory_a1} godkände" in smtp_inbox.to("konsult@alfa.se")[0].get_content()


@pytest.mark.django_db
def test_without_a_responsible_opener_everyone_at_the_firm_who_works_on_it_hears(world):
    by_system = services.case_create(
        company=world.a1, user=None, title="Attest", kind=CaseKind.PAYROLL, subject_key="payroll:3"
    )
    services.case_approve(case=by_system, user=world.signatory_a1)
    assert {n.user for n in firm_notes(by_system)} == {world.admin_a, world.accountant_a}

    gone = services.case_create(
        company=world.a1,
        user=world.accountant_a,
        title="Attest",
        kind=CaseKind.PAYROLL,
        subject_key="payroll:4",
    )
    FirmMembership.objects.filter(user=world.accountant_a).delete()  # the opener left the firm
    services.case_approve(case=gone, user=world.member_a1)
    assert {n.user for n in firm_notes(gone)} == {world.admin_a}
    # Another firm's people never hear of it.
    assert not CaseNotification.objects.filter(user=world.admin_b).exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_mail_tasks_at_once_send_the_firms_mail_once(world, smtp_inbox, monkeypatch):
    # The two tasks are these threads: the one queued on commit is not run here.
    monkeypatch.setattr(tasks.case_notification_mails_send, "delay", lambda ids: None)
    case = services.case_create(
        company=world.a1, user=world.admin_a, title="Attest", kind=CaseKind.PAYROLL, subject_key="payroll:5"
    )
    services.case_approve(case=case, user=world.signatory_a1)
    ids = [n.pk for n in firm_notes(case)]
    sent = at_once([lambda: mails.notification_mails_send(notification_ids=ids)] * 2)
    assert sorted(sent) == [0, 1] and len(smtp_inbox.to("admin@alfa.se")) == 1
