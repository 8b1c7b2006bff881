"""The e-mail that tells a person new documents have arrived, with a link to the folder."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ledgerport.documents.archive_folders import Folder
from ledgerport.identity.selectors import user_language

from .models import Notification


def folder_path_label(folder: Folder) -> str:
    """ "Dokument › 2026 › Löner › 08. Augusti" in the active language."""
    return " › ".join([_("Documents"), *(f.label for f in folder.parents()), folder.label])


def batch_mails_send(*, batch_id: int) -> int:
    """One message per notification of the batch, from DEFAULT_FROM_EMAIL, in the recipient's
    language, linking to the folder at PUBLIC_URL (after login the person lands there).
    Each notification is mailed once: its row stays locked while its message is handed to the
    server and is then marked, so a second task at the same time or a retry skips it. (A crash
    between the hand-over and the commit mails again: a second note is better than none.)"""
    with transaction.atomic():
        notifications = list(
            Notification.objects.filter(batch_id=batch_id, mailed_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "company__firm")
            .order_by("pk")
        )
        sent = _send(notifications)
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(mailed_at=timezone.now())
    return sent


def _send(notifications: list[Notification]) -> int:
    messages = []
    for notification in notifications:
        if not notification.user.email:
            continue
        with translation.override(user_language(notification.user)):
            folder = Folder.parse(notification.folder)
            company = notification.company
            folder_url = settings.PUBLIC_URL + reverse("portal:archive_folder", args=[company.pk, folder.key])
            subject = notification.message_text or _("New documents for %(company)s") % {
                "company": company.name
            }
            body = "\n\n".join(
                [
                    *([notification.message_text] if notification.message else []),
                    ngettext(
                        "%(count)d new document has been uploaded to %(folder)s for %(company)s.",
                        "%(count)d new documents have been uploaded to %(folder)s for %(company)s.",
                        notification.count,
                    )
                    % {
                        "count": notification.count,
                        "folder": folder_path_label(folder),
                        "company": company.name,
                    },
                    _("Open the folder: %(url)s") % {"url": folder_url},
                    company.firm.name,
                ]
            )
            messages.append(
                EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
            )
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
