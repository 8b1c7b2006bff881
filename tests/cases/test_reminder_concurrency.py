"""Two workers at once never send the same reminder twice, and a worker killed while sending
leaves nothing that stops the next run from sending it (PostgreSQL: real row locks)."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from django.db import connection
from django.utils import timezone

from ledgerport.cases import reminders, services
from ledgerport.cases.models import Case, CaseReminder
from ledgerport.cases.services import CaseCadence
from tests.concurrency import at_once
from tests.factories import build_world

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _due_today_case(world) -> Case:
    """A case waiting for a week, due today: its reminder falls due now."""
    case = services.case_create(
        company=world.a2,
        user=world.admin_a,
        title="Kvitton",
        due_date=timezone.localdate(),
        recipients=[world.signatory_a2],
        cadence=CaseCadence(0, 0, 1),
    )
    Case.objects.filter(pk=case.pk).update(waiting_since=timezone.now() - datetime.timedelta(days=7))
    return case


def reminder_mails(inbox) -> list:
    """The reminders received (the case's opening mail may be there too, when tasks run eagerly)."""
    return [m for m in inbox.messages if "Påminnelse" in str(m["Subject"])]


def test_two_workers_at_once_send_the_reminder_once(smtp_inbox, monkeypatch):
    world = build_world()
    case = _due_today_case(world)
    real_send = reminders.send

    def slow_send(messages):  # both runs are inside their transaction at the same time
        time.sleep(0.3)
        return real_send(messages)

    monkeypatch.setattr(reminders, "send", slow_send)
    results = at_once([reminders.reminders_send] * 2, timeout=30)
    assert sorted(results) == [0, 1]
    assert len(reminder_mails(smtp_inbox)) == 1
    assert CaseReminder.objects.filter(case=case).count() == 1
    assert reminders.reminders_send() == 0  # and not again later


CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")
    import django
    django.setup()
    from ledgerport.cases import reminders

    def hang(messages):  # the row is locked and written; the worker dies before its commit
        print("sending", flush=True)
        time.sleep(60)

    reminders.send = hang
    reminders.reminders_send()
    """
)


def test_a_worker_killed_while_sending_leaves_the_reminder_to_the_next_run(smtp_inbox, settings):
    world = build_world()
    case = _due_today_case(world)
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "sending"
        # While the dying worker holds the case, another run skips it instead of doubling it.
        assert reminders.reminders_send() == 0
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    time.sleep(0.2)  # the server notices the lost connection and rolls its transaction back
    for _ in range(50):
        if reminders.reminders_send() == 1:
            break
        time.sleep(0.1)
    assert len(reminder_mails(smtp_inbox)) == 1
    assert list(CaseReminder.objects.filter(case=case).values_list("number", flat=True)) == [1]
