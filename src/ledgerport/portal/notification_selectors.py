"""Reads for the bell: a user's own notifications, of companies they may still see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from .models import Notification
from .notification_feed import FeedItem, FeedKey

INBOX_SIZE = 10
DOCUMENTS_RANK = 0  # the feed's order among notifications of the same moment


def inbox(*, user: Any) -> tuple[int, list[Notification]]:
    """(unread count, the latest notifications): two small queries on the user's index."""
    if not user.is_authenticated:
        return 0, []
    mine = Notification.objects.for_user(user).filter(user=user)
    unread = mine.aggregate(n=Count("pk", filter=Q(read_at__isnull=True)))["n"]
    latest = list(mine.select_related("company").order_by("-created_at", "-pk")[:INBOX_SIZE])
    return unread, latest


def feed_items(user: Any, after: FeedKey | None, limit: int) -> list[FeedItem]:
    """The feed's "new documents" entries (`notification_feed`), by keyset on the user's index."""
    mine = Notification.objects.for_user(user).filter(user=user)
    if after is not None:
        mine = mine.filter(after.older_q(DOCUMENTS_RANK))
    rows = mine.select_related("company").order_by("-created_at", "-pk")[:limit]
    return [
        FeedItem(
            key=FeedKey(n.created_at, DOCUMENTS_RANK, n.pk),
            text=n.message_text
            or ngettext(
                "%(counter)s new document for %(company)s",
                "%(counter)s new documents for %(company)s",
                n.count,
            )
            % {"counter": n.count, "company": n.company.name},
            url=reverse("portal:archive_folder", args=[n.company_id, n.folder]),
            company_name=n.company.name,
            unread=n.read_at is None,
        )
        for n in rows
    ]
