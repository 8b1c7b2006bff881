"""The e-mails of cases: a new case or message for someone, and reminders. Each in the
recipient's language, from DEFAULT_FROM_EMAIL, linking to the case at PUBLIC_URL."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ledgerport.identity.models import User
from ledgerport.identity.selectors import user_language

from .models import Case, CaseEvent, CaseNotification


def case_url(case: Case) -> str:
    return settings.PUBLIC_URL + reverse("cases:detail", args=[case.company_id, case.pk])


def _due_line(case: Case) -> str:
    if case.due_date is None:
        return ""
    return _("Due date: %(day)s") % {"day": formats.date_format(case.due_date, "Y-m-d")}


def _who_line(notification: CaseNotification, names: dict[str, str]) -> str:
    """ "Karin Kund approved …": the firm reads who did it (the person, not only the event)."""
    actor = notification.actor
    if actor is None:
        return ""
    texts = {
        CaseEvent.APPROVED: _("%(person)s approved %(title)s for %(company)s."),
        CaseEvent.SIGNED: _("%(person)s signed %(title)s for %(company)s with BankID."),
    }
    text = texts.get(CaseEvent(notification.event))
    return text % {"person": str(actor), **names} if text else ""


def notification_message(notification: CaseNotification) -> EmailMessage:
    case, user = notification.case, notification.user
    with translation.override(user_language(user)):
        subjects = {
            CaseEvent.OPENED: _("New case for %(company)s: %(title)s"),
            CaseEvent.MESSAGE: _("New message in the case %(title)s (%(company)s)"),
            CaseEvent.APPROVED: _("Approved: %(title)s (%(company)s)"),
            CaseEvent.SIGNED: _("Signed with BankID: %(title)s (%(company)s)"),
            CaseEvent.CLOSED: _("Closed: %(title)s (%(company)s)"),
        }
        names = {"company": case.company.name, "title": case.title}
        subject = subjects[CaseEvent(notification.event)] % names
        lines = [
            _who_line(notification, names) or subject,
            _due_line(case),
            _("Open the case: %(url)s") % {"url": case_url(case)},
        ]
        body = "\n\n".join([line for line in lines if line] + [case.company.firm.name])
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def reminder_message(case: Case, user: User, number: int) -> EmailMessage:
    with translation.override(user_language(user)):
        subject = _("Reminder: %(title)s (%(company)s)") % {"title": case.title, "company": case.company.name}
        lines = [
            _("%(firm)s is waiting for your answer in the case %(title)s for %(company)s.")
            % {"firm": case.company.firm.name, "title": case.title, "company": case.company.name},
            _due_line(case),
            _("Answer or approve here: %(url)s") % {"url": case_url(case)},
            _("Reminder %(number)d. Reminders stop as soon as you answer.") % {"number": number},
        ]
        body = "\n\n".join([line for line in lines if line] + [case.company.firm.name])
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def notification_mails_send(*, notification_ids: list[int]) -> int:
    """Each notification is mailed once: the rows stay locked while the messages go to the
    server and are then marked, so a doubled or retried task skips them."""
    with transaction.atomic():
        notifications = list(
            CaseNotification.objects.filter(pk__in=notification_ids, mailed_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "actor", "case__company__firm")
            .order_by("pk")
        )
        sent = send([notification_message(n) for n in notifications if n.user.email])
        CaseNotification.objects.filter(pk__in=[n.pk for n in notifications]).update(mailed_at=timezone.now())
    return sent
