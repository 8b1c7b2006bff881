"""Reads for the bell: a user's own notifications, of companies they may still see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from .models import Notification

INBOX_SIZE = 10


def inbox(*, user: Any) -> tuple[int, list[Notification]]:
    """(unread count, the latest notifications): two small queries on the user's index."""
    if not user.is_authenticated:
        return 0, []
    mine = Notification.objects.for_user(user).filter(user=user)
    unread = mine.aggregate(n=Count("pk", filter=Q(read_at__isnull=True)))["n"]
    latest = list(mine.select_related("company").order_by("-created_at", "-pk")[:INBOX_SIZE])
    return unread, latest
