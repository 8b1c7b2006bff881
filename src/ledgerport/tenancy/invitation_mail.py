"""The invitation mail: rendered in the inviter's language, sent through Django's mail."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Invitation

logger = logging.getLogger(__name__)

INVITATION_DAYS = 7


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_mail_send(*, invitation_id: int, link: str, language: str = "") -> bool:
    """Send the invitation mail (from the Celery task). Skipped when the link is no longer
    the invitation's (resent meanwhile) or the invitation is closed: True when sent."""
    invitation = (
        Invitation.objects.select_related("company__firm", "invited_by").filter(pk=invitation_id).first()
    )
    token = link.rstrip("/").rsplit("/", 1)[-1]
    if invitation is None or not invitation.is_open or invitation.token_hash != token_hash(token):
        logger.info("Invitation %s: mail skipped (closed or replaced)", invitation_id)
        return False
    context = {"invitation": invitation, "link": link, "days": INVITATION_DAYS}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string("tenancy/invitation_subject.txt", context).strip()
        body = render_to_string("tenancy/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    logger.info("Invitation %s: mail sent", invitation_id)
    return True
