"""Reads of cases, always through the user's scope."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from ledgerport.portal.notification_feed import FeedItem, FeedKey

from .models import Case, CaseEvent, CaseFile, CaseMessage, CaseNotification, CaseReminder, CaseStatus

INBOX_SIZE = 10

if TYPE_CHECKING:
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company


def cases_of(*, user: Any, company: Company) -> QuerySet[Case]:
    """The company's cases the user may see, newest first."""
    return Case.objects.for_user(user).filter(company=company)


def case_get(*, user: User, company: Company, pk: int) -> Case:
    """One case of the company, else Case.DoesNotExist (a view answers 404)."""
    return cases_of(user=user, company=company).get(pk=pk)


def open_case_for(*, company: Company, subject_key: str) -> Case | None:
    """The case not yet closed about `subject_key` (for the app that owns the subject; no user)."""
    return (
        Case.objects.filter(company=company, subject_key=subject_key)
        .exclude(status=CaseStatus.CLOSED)
        .first()
    )


WAITING = (CaseStatus.OPEN, CaseStatus.ANSWERED)  # not finished: the firm or the client has a move


def case_list(*, user: Any, company: Company) -> list[Case]:
    """The company's cases for the list: those not finished first (earliest due date first), then
    the rest, newest first."""
    cases = list(cases_of(user=user, company=company).select_related("created_by"))
    waiting = sorted(
        (c for c in cases if c.status in WAITING),
        key=lambda c: (c.due_date is None, c.due_date or datetime.date.max, -c.pk),
    )
    return waiting + [c for c in cases if c.status not in WAITING]


def open_count(*, user: Any, company: Company) -> int:
    return cases_of(user=user, company=company).filter(status__in=WAITING).count()


def open_counts(*, user: Any, company_ids: QuerySet) -> dict[int, tuple[int, int]]:
    """Per company: (cases not finished, of which waiting for the client), for the client list."""
    rows = (
        Case.objects.for_user(user)
        .filter(company_id__in=company_ids, status__in=WAITING)
        .values("company_id")
        .annotate(n=Count("pk"), waiting=Count("pk", filter=Q(status=CaseStatus.OPEN)))
    )
    return {row["company_id"]: (row["n"], row["waiting"]) for row in rows}


def case_thread(*, case: Case) -> tuple[list[CaseMessage], list[CaseFile]]:
    """The case's messages (with their files) and the files opened with the case."""
    messages = list(case.messages.select_related("author").prefetch_related("files"))
    opening_files = list(case.files.filter(message__isnull=True))
    return messages, opening_files


def case_reminder_list(*, case: Case) -> list[CaseReminder]:
    return list(case.reminders.all())


def inbox(*, user: Any) -> tuple[int, list[CaseNotification]]:
    """The bell's case entries: (unread, the latest), of companies the user may still see."""
    if not user.is_authenticated:
        return 0, []
    mine = CaseNotification.objects.for_user(user).filter(user=user)
    unread = mine.filter(read_at__isnull=True).count()
    latest = mine.select_related("case__company", "actor").order_by("-created_at", "-pk")[:INBOX_SIZE]
    return unread, list(latest)


def case_or_404(*, user: Any, company: Company, pk: int) -> Case:
    """The case of this URL within the scoped company, or 404."""
    case = cases_of(user=user, company=company).select_related("company__firm").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def recipient_ids(*, case: Case) -> list[int]:
    return list(case.recipients.values_list("pk", flat=True))


CASES_RANK = 1  # the notification feed's order among notifications of the same moment


def _feed_text(n: CaseNotification) -> str:
    text = f"{n.get_event_display()}: {n.case.title}"
    if n.actor is not None and n.event in (CaseEvent.APPROVED, CaseEvent.SIGNED):
        text += f" · {n.actor}"
    return text


def feed_items(user: Any, after: FeedKey | None, limit: int) -> list[FeedItem]:
    """The notification page's case entries (`portal.notification_feed`), by keyset on the
    user's index, of companies the user may still see."""
    mine = CaseNotification.objects.for_user(user).filter(user=user)
    if after is not None:
        mine = mine.filter(after.older_q(CASES_RANK))
    rows = mine.select_related("case__company", "actor").order_by("-created_at", "-pk")[:limit]
    return [
        FeedItem(
            key=FeedKey(n.created_at, CASES_RANK, n.pk),
            text=_feed_text(n),
            url=reverse("cases:detail", args=[n.case.company_id, n.case_id]),
            company_name=n.case.company.name,
            unread=n.read_at is None,
        )
        for n in rows
    ]
