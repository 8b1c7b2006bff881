"""Writes for notifications: who is told of an upload batch, and marking them read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ledgerport.documents.models import UploadBatch
from ledgerport.identity.models import User
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.roles import company_roles_for, firm_roles_for

from . import tasks
from .models import Notification

if TYPE_CHECKING:
    from ledgerport.documents.archive_folders import Folder


def batch_recipients(batch: UploadBatch) -> list[User]:
    """A firm upload tells the company's client users; a client upload, the firm's users who
    work on the company (administrators, accountants). Never the uploader."""
    users = User.objects.filter(is_active=True).exclude(pk=batch.uploaded_by_id)
    if batch.by_client:
        company = Company.objects.get(pk=batch.company_id)
        users = users.filter(
            firm_memberships__firm_id=company.firm_id, firm_memberships__role__in=firm_roles_for("work")
        )
    else:
        users = users.filter(
            company_memberships__company_id=batch.company_id,
            company_memberships__role__in=company_roles_for("view"),
        )
    return list(users.distinct().order_by("pk"))


def batch_notify(
    *, batch: UploadBatch, count: int, message: str = "", message_args: dict[str, str] | None = None
) -> list[Notification]:
    """One notification per recipient for the batch; the e-mails go once the upload commits
    (one per recipient and batch, however many files). `message` (an untranslated source text,
    see `Notification.message`) tells what the documents say."""
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                company_id=batch.company_id,
                user=user,
                batch=batch,
                folder=batch.folder,
                count=count,
                message=message,
                message_args=message_args or {},
            )
            for user in batch_recipients(batch)
        ],
        ignore_conflicts=True,
    )
    if notifications:
        batch_id = batch.pk
        transaction.on_commit(lambda: tasks.notification_mails_send.delay(batch_id))
    return notifications


def notifications_read(*, user: User, company: Company, folder: Folder) -> int:
    """The user opened the folder their notifications point to: they are read."""
    return Notification.objects.filter(
        user=user, company=company, folder=folder.key, read_at__isnull=True
    ).update(read_at=timezone.now())


def notifications_all_read(user: User) -> int:
    """ "Mark all as read" on the notifications page: the user's unread "new documents" entries."""
    mine = Notification.objects.for_user(user).filter(user=user, read_at__isnull=True)
    return mine.update(read_at=timezone.now())
