"""Sending the reminders that fall due (the beat task `case_reminders_send`).

Only a case that waits for the client (OPEN) is reminded: an answer, an approval or closing
stops them. Each case is handled in its own transaction that locks its row (skipping a row
another worker holds), writes the `CaseReminder` and hands the mails to the server before it
commits: two workers never send the same reminder, and a worker killed before its commit
leaves no row, so the next run (beat runs hourly) sends it. A crash between the server's
acceptance and the commit would mail twice: one extra note is better than none."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .mails import reminder_message, send
from .models import Case, CaseReminder, CaseStatus, ReminderPolicy
from .recipients import case_client_recipients
from .reminder_schedule import Cadence, due_reminder, reminder_dates


def firm_cadence(firm_id: int) -> Cadence:
    policy = ReminderPolicy.objects.filter(firm_id=firm_id).first() or ReminderPolicy()
    return Cadence(policy.days_before, policy.every_days, policy.max_count)


def case_cadence(case: Case, default: Cadence | None = None) -> Cadence:
    base = default or firm_cadence(case.company.firm_id)
    return Cadence(
        base.days_before if case.remind_days_before is None else case.remind_days_before,
        base.every_days if case.remind_every_days is None else case.remind_every_days,
        base.max_count if case.remind_max is None else case.remind_max,
    )


def case_schedule(case: Case, default: Cadence | None = None) -> list[date]:
    return reminder_dates(
        due=case.due_date,
        waiting_since=timezone.localdate(case.waiting_since),
        cadence=case_cadence(case, default),
    )


def reminders_send(*, today: date | None = None) -> int:
    """How many reminder mails went out."""
    today = today or timezone.localdate()
    waiting = Case.objects.filter(status=CaseStatus.OPEN, company__deleted_at__isnull=True)
    sent = 0
    for case_id in waiting.order_by("pk").values_list("pk", flat=True):
        sent += _remind(case_id, today)
    return sent


def _remind(case_id: int, today: date) -> int:
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("company__firm")
            .filter(pk=case_id, status=CaseStatus.OPEN)
            .first()
        )
        if case is None:  # another worker has it, or it stopped waiting meanwhile
            return 0
        mine = CaseReminder.objects.filter(case=case)
        last = mine.filter(sent_at__gte=case.waiting_since).aggregate(d=Max("scheduled_for"))["d"]
        scheduled = due_reminder(case_schedule(case), today=today, last_sent_for=last)
        if scheduled is None:
            return 0
        users = [u for u in case_client_recipients(case) if u.email]
        number = mine.count() + 1
        CaseReminder.objects.create(case=case, number=number, scheduled_for=scheduled, recipients=len(users))
        return send([reminder_message(case, user, number) for user in users])
