"""Polling the authority for a submitted return's feedback, until it is done."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from ledgerport.connectors.http import ProviderError
from ledgerport.connectors.providers import PersonLoginRequired

from . import feedback
from .models import State, VatReturn

POLL_SECONDS = 30
MAX_POLLS = 120  # an hour


@shared_task(bind=True, max_retries=MAX_POLLS, ignore_result=True)
def feedback_poll(self: Any, vat_return_id: int) -> None:
    """Fetch the feedback as the user who submitted; again in POLL_SECONDS while not done.
    Idempotent: a return no longer waiting (or gone) ends the polling."""
    vat_return = VatReturn.objects.select_related("company", "submitted_by").filter(pk=vat_return_id).first()
    if vat_return is None or vat_return.state != State.SUBMITTED:
        return
    try:
        vat_return = feedback.feedback_fetch(vat_return=vat_return, user=vat_return.submitted_by, next_url="")
    except PersonLoginRequired:
        # The person's login has expired: the page's "Hent tilbakemelding" asks them to log in.
        feedback.feedback_note(vat_return=vat_return, note="login required")
        return
    except ProviderError as exc:
        feedback.feedback_note(vat_return=vat_return, note=str(exc))
        raise self.retry(countdown=POLL_SECONDS) from None
    if vat_return.state == State.SUBMITTED:
        raise self.retry(countdown=POLL_SECONDS)
