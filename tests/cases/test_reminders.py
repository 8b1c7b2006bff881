"""Reminders through a real SMTP server with a controlled clock: the cadence, and the rules that
stop them (answered, approved, closed)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ledgerport.cases import services, tasks
from ledgerport.cases.models import CaseKind, CaseReminder
from ledgerport.cases.services import CaseCadence

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
DUE = datetime.date(2026, 3, 12)


def at(day: int, hour: int = 8):
    return time_machine.travel(datetime.datetime(2026, 3, day, hour, tzinfo=STOCKHOLM), tick=False)


def run_beat_on(day: int) -> int:
    with at(day):
        return tasks.case_reminders_send.apply().get()


CADENCE = CaseCadence(3, 2, 4)


def open_case(world, *, kind=CaseKind.GENERAL, cadence=CADENCE):
    with at(2, 10):
        return services.case_create(
            company=world.a2,
            user=world.admin_a,
            title="Underlag för mars",
            kind=kind,
            due_date=DUE,
            recipients=[world.signatory_a2],
            cadence=cadence,
        )


def test_before_on_and_after_the_due_date_up_to_the_maximum_once_each(world, smtp_inbox):
    case = open_case(world)
    sent_by_day = {day: run_beat_on(day) + run_beat_on(day) for day in range(2, 25)}  # twice a day
    assert {day: n for day, n in sent_by_day.items() if n} == {9: 1, 12: 1, 14: 1, 16: 1}
    mails = smtp_inbox.to("vd@klient-tva.se")
    assert len(mails) == 4
    assert str(mails[0]["Subject"]).strip() == f"Påminnelse: Underlag för mars ({world.a2.name})"
    body = mails[1].get_body(preferencelist=("plain",)).get_content()
    assert "2026-03-12" in body and f"/companies/{world.a2.pk}/cases/{case.pk}/" in body
    assert list(CaseReminder.objects.filter(case=case).values_list("number", "scheduled_for")) == [
        (1, datetime.date(2026, 3, 9)),
        (2, DUE),
        (3, datetime.date(2026, 3, 14)),
        (4, datetime.date(2026, 3, 16)),
    ]


def test_an_answer_stops_them_and_the_firm_asking_again_starts_them_anew(world, smtp_inbox):
    case = open_case(world)
    assert run_beat_on(9) == 1
    with at(10):
        services.case_message_add(case=case, user=world.signatory_a2, body="Bifogar snart.", by_firm=False)
    assert [run_beat_on(day) for day in range(10, 15)] == [0, 0, 0, 0, 0]
    with at(15):
        services.case_message_add(
            case=case, user=world.admin_a, body="Vi saknar fortfarande kvittot.", by_firm=True
        )
    # Counted from the new question: the cadence's next dates after the 15th.
    assert [run_beat_on(day) for day in range(15, 19)] == [0, 1, 0, 1]
    assert len(smtp_inbox.to("vd@klient-tva.se")) == 3


def test_approving_stops_them(world, smtp_inbox):
    case = open_case(world, kind=CaseKind.PAYROLL)
    assert run_beat_on(9) == 1
    with at(11):
        services.case_approve(case=case, user=world.signatory_a2)
    assert sum(run_beat_on(day) for day in range(11, 25)) == 0
    assert len(smtp_inbox.messages) == 1


def test_closing_stops_them_and_reopening_counts_from_then(world, smtp_inbox):
    case = open_case(world)
    with at(5):
        services.case_close(case=case, user=world.admin_a, note="Löst per telefon.")
    assert sum(run_beat_on(day) for day in range(5, 25)) == 0
    with at(25):
        services.case_reopen(case=case, user=world.admin_a)
    # Past the due date: every 2 days after the 25th (from the due date's rhythm), at most 4.
    sent = {day: run_beat_on(day) for day in range(25, 31)}
    assert {d for d, n in sent.items() if n} == {26, 28, 30}
    assert len(smtp_inbox.messages) == 3


def test_after_a_pause_one_reminder_not_a_burst(world, smtp_inbox):
    open_case(world)
    assert run_beat_on(15) == 1  # the 9th, 12th and 14th passed while beat was down: one mail
    assert run_beat_on(15) == 0
    assert run_beat_on(16) == 1


def test_the_firms_default_cadence_and_the_cases_own(world, smtp_inbox):
    services.reminder_policy_set(firm_id=world.a2.firm_id, days_before=1, every_days=0, max_count=5)
    open_case(world, cadence=CaseCadence())  # the firm's: the day before and on the due date
    own = open_case(world, cadence=CaseCadence(days_before=0, every_days=0, max_count=1))
    assert {day: run_beat_on(day) for day in (11, 12, 13)} == {11: 1, 12: 2, 13: 0}
    assert CaseReminder.objects.filter(case=own).count() == 1


def test_only_the_cases_recipients_are_reminded(world, smtp_inbox):
    with at(2):
        services.case_create(
            company=world.a1,
            user=world.admin_a,
            title="Fråga",
            due_date=DUE,
            recipients=[world.signatory_a1],
            cadence=CaseCadence(0, 0, 1),
        )
    assert run_beat_on(12) == 1
    assert [m["X-Envelope-To"] for m in smtp_inbox.messages] == [world.signatory_a1.email]


def test_a_tax_payment_case_is_reminded_on_the_calendars_due_date_in_the_readers_language(world, smtp_inbox):
    from ledgerport.analysis import deadlines

    due = deadlines.employer_payment_due(datetime.date(2026, 7, 1))  # August: the 17th, not the 12th
    assert due == datetime.date(2026, 8, 17)
    world.signatory_a2.language = "en"
    world.signatory_a2.save(update_fields=["language"])
    with time_machine.travel(datetime.datetime(2026, 8, 1, 9, tzinfo=STOCKHOLM), tick=False):
        services.case_create(
            company=world.a2,
            user=None,
            title="Skatteinbetalning augusti",
            kind=CaseKind.TAX_PAYMENT,
            due_date=due,
            recipients=[world.signatory_a2],
            cadence=CaseCadence(0, 0, 1),
        )
    sent = {}
    for day in (12, 17, 18):
        with time_machine.travel(datetime.datetime(2026, 8, day, 9, tzinfo=STOCKHOLM), tick=False):
            sent[day] = tasks.case_reminders_send.apply().get()
    assert sent == {12: 0, 17: 1, 18: 0}
    [mail] = smtp_inbox.messages
    assert str(mail["Subject"]).strip() == f"Reminder: Skatteinbetalning augusti ({world.a2.name})"
    assert "Due date: 2026-08-17" in mail.get_content()
