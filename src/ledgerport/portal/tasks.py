"""Celery tasks of the portal; thin, the work is in `notification_mails`."""

from __future__ import annotations

from celery import shared_task

from . import notification_mails


@shared_task
def notification_mails_send(batch_id: int) -> int:
    """The e-mails of one upload batch (one per recipient); how many were sent."""
    return notification_mails.batch_mails_send(batch_id=batch_id)
