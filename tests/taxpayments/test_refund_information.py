"""Both kinds of month: one to pay opens a payment case the reminders follow; one where money
comes back (or nothing is due) is published as information only: the document and a
notification that says so, in each recipient's language, with no case and no reminder."""

from __future__ import annotations

import datetime
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from ledgerport.cases.models import Case, CaseKind, CaseReminder
from ledgerport.cases.reminders import reminders_send
from ledgerport.portal.models import Notification
from ledgerport.portal.notification_mails import batch_mails_send
from ledgerport.taxpayments import services
from ledgerport.taxpayments.drafts import firm_draft

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)  # due 12 November 2026


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _days_around_the_due_date():
    return [date(2026, 11, day) for day in (9, 12, 15, 18, 21, 24, 27, 30)]


def test_a_month_to_pay_opens_a_case_that_is_reminded(world):
    draft = firm_draft(world.a2, NOVEMBER, employer_contributions=Decimal("31420.00"))
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), tick=False):
        summary = services.tax_payment_publish(company=world.a2, user=world.admin_a, draft=draft)
    assert summary.case.kind == CaseKind.TAX_PAYMENT and summary.case.due_date == date(2026, 11, 12)
    [note] = Notification.objects.filter(company=world.a2)
    assert note.message == ""  # "1 new document": the case asks for the payment
    assert sum(reminders_send(today=day) for day in _days_around_the_due_date()) > 0
    assert CaseReminder.objects.filter(case=summary.case).exists()


def test_a_refund_month_is_information_only(client, world, smtp_inbox):
    world.signatory_a2.language = "en"
    world.signatory_a2.save(update_fields=["language"])
    draft = firm_draft(world.a2, NOVEMBER, vat=Decimal("-9000"), deducted_tax=Decimal("1500.50"))
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), tick=False):
        summary = services.tax_payment_publish(company=world.a2, user=world.admin_a, draft=draft)
    assert summary.amount == Decimal("-7499.50") and summary.case is None
    assert summary.entry.folder_key == "2026/tax/11"
    assert not Case.objects.filter(company=world.a2).exists()
    assert sum(reminders_send(today=day) for day in _days_around_the_due_date()) == 0
    assert not CaseReminder.objects.exists()

    [note] = Notification.objects.filter(company=world.a2)
    assert note.user == world.signatory_a2 and note.batch_id == summary.entry.batch_id
    assert batch_mails_send(batch_id=note.batch_id) == 1
    [mail] = smtp_inbox.to("vd@klient-tva.se")
    expected = "The Tax Agency pays back 7 499,50 kr to Alfa Klient Två AB (tax payment 2026-11)."
    assert mail["Subject"].strip() == expected and expected in mail.get_content()
    assert "/archive/2026/tax/11/" in mail.get_content()

    client.force_login(world.signatory_a2)
    bell = client.get(reverse("portal:notifications")).content.decode()
    assert (
        "Skatteverket betalar tillbaka 7 499,50 kr till Alfa Klient Två AB (skattebetalning 2026-11)." in bell
    )


def test_a_month_with_nothing_to_pay_is_information_too(world):
    draft = firm_draft(world.a2, NOVEMBER, vat=Decimal("0.00"))
    summary = services.tax_payment_publish(company=world.a2, user=world.admin_a, draft=draft)
    assert summary.case is None and not Case.objects.exists()
    [note] = Notification.objects.filter(company=world.a2)
    assert note.message_args["month"] == "2026-11" and "Nothing to pay" in note.message
