"""Celery: follow a sent a-melding until the authority's feedback has come. Thin: the work is
`services.return_poll`, which changes nothing once the feedback is stored (so a task run twice,
or at once with a page's "Oppdater", is harmless)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import transaction

from .models import ReturnState
from .services import EmployerReturnError, return_poll

POLL_EVERY = 5  # seconds
POLL_FOR = 120  # times: ten minutes, then the page's "Oppdater" asks again


@shared_task(bind=True, max_retries=POLL_FOR)
def employer_return_poll(self: Any, pk: int) -> str:
    try:
        found = return_poll(pk=pk)
    except EmployerReturnError as exc:
        raise self.retry(countdown=POLL_EVERY * 4) from exc
    if found.state == ReturnState.SUBMITTED:
        raise self.retry(countdown=POLL_EVERY)
    return str(found.state)


def poll_when_committed(pk: int) -> None:
    """Queue the polling once the submitting transaction has committed."""
    transaction.on_commit(lambda: employer_return_poll.apply_async((pk,), countdown=POLL_EVERY))
