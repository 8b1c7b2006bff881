"""The new-documents mail: in each recipient's language, and sent once per notification however
often (or however many at once) the task runs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledgerport.documents.archive_folders import Folder
from ledgerport.documents.upload_checks import CheckedFile
from ledgerport.portal import notifications, tasks
from ledgerport.portal.models import Notification
from ledgerport.portal.notification_mails import batch_mails_send
from tests.concurrency import at_once


def _batch(world):
    from ledgerport.documents.archive import archive_file

    batch = archive_file(
        company=world.a1,
        user=world.accountant_a,
        folder=Folder(2026, "payroll", 8),
        files=[CheckedFile(name="lön.pdf", content_type="application/pdf", content=b"%PDF-1.4 x")],
        by_client=False,
    )
    notifications.batch_notify(batch=batch, count=1)
    return batch


@pytest.mark.django_db
def test_each_recipient_is_written_to_in_the_language_they_chose(client, world, smtp_inbox):
    client.force_login(world.member_a1)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    world.member_a1.refresh_from_db()
    assert world.member_a1.language == "en"

    batch = _batch(world)
    assert batch_mails_send(batch_id=batch.pk) == 2
    english = smtp_inbox.to("ekonomi@klient-ett.se")[0].get_content()
    swedish = smtp_inbox.to("vd@klient-ett.se")[0].get_content()
    assert "1 new document has been uploaded to Documents › 2026 › Salaries › 08. August" in english
    assert "1 nytt dokument har laddats upp i Dokument › 2026 › Löner › 08. Augusti" in swedish


@pytest.mark.django_db
def test_a_retried_task_does_not_mail_again(world, smtp_inbox):
    batch = _batch(world)
    assert batch_mails_send(batch_id=batch.pk) == 2
    assert batch_mails_send(batch_id=batch.pk) == 0
    assert len(smtp_inbox.messages) == 2
    assert not Notification.objects.filter(batch=batch, mailed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_tasks_at_once_mail_each_recipient_once(world, smtp_inbox, monkeypatch):
    # The two tasks are these threads: the one the upload queues on commit is not run here.
    monkeypatch.setattr(tasks.notification_mails_send, "delay", lambda batch_id: None)
    batch = _batch(world)
    sent = at_once([lambda: batch_mails_send(batch_id=batch.pk)] * 2)
    assert sum(sent) == 2
    assert sorted(m["X-Envelope-To"] for m in smtp_inbox.messages) == [
        "ekonomi@klient-ett.se",
        "vd@klient-ett.se",
    ]
