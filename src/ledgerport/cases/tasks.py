"""Celery tasks of cases; thin, the work is in `mails` and `reminders`."""

from __future__ import annotations

from celery import shared_task

from . import mails, reminders


@shared_task
def case_notification_mails_send(notification_ids: list[int]) -> int:
    """The e-mails of new case events (each notification mailed once)."""
    return mails.notification_mails_send(notification_ids=notification_ids)


@shared_task
def case_reminders_send() -> int:
    """Beat: every waiting case whose reminder falls due today gets it, once."""
    return reminders.reminders_send()
