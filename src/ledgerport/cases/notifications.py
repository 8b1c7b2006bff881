"""The bell's entries for a case event and their e-mails (sent once the write commits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from . import tasks
from .models import Case, CaseEvent, CaseNotification
from .recipients import case_client_recipients, case_firm_responsible, case_firm_users

if TYPE_CHECKING:
    from ledgerport.identity.models import User


def case_notify(*, case: Case, event: str, to_client: bool, author: User | None) -> list[CaseNotification]:
    """Tell the client's recipients (`to_client`) or the firm's people, never the author. A
    client's approval or signature goes to whom the firm holds responsible for the case."""
    if to_client:
        users = case_client_recipients(case)
    elif event in (CaseEvent.APPROVED, CaseEvent.SIGNED):
        users = case_firm_responsible(case)
    else:
        users = case_firm_users(case)
    created = CaseNotification.objects.bulk_create(
        [
            CaseNotification(case=case, user=user, event=event, actor=author)
            for user in users
            if author is None or user.pk != author.pk
        ]
    )
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: tasks.case_notification_mails_send.delay(ids))
    return created


def case_notifications_read(*, case: Case, user: User) -> int:
    """The person opened the case: its entries in their bell are read."""
    return CaseNotification.objects.filter(case=case, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def case_notifications_all_read(user: User) -> int:
    """ "Mark all as read" on the notifications page: the user's unread case entries."""
    mine = CaseNotification.objects.for_user(user).filter(user=user, read_at__isnull=True)
    return mine.update(read_at=timezone.now())
