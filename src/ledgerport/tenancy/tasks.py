"""Celery tasks of tenancy; thin, the work is in invitations."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import invitation_mail


@shared_task(autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=5)
def invitation_send(invitation_id: int, link: str, language: str = "") -> None:
    """Mail one invitation's link (queued when the invitation's transaction commits)."""
    invitation_mail.invitation_mail_send(invitation_id=invitation_id, link=link, language=language)
