"""Översikt's "Betalfiler" card (web's client area): the files waiting for the client's
approval, and for the firm the way to upload one. Registered from `PaymentsConfig.ready()`."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import can
from ledgerport.web.extensions import OverviewPanel, register_overview_panel

from .selectors import payment_files_waiting

SHOWN = 5


def payment_files_panel(request: HttpRequest, company: Company) -> str:
    waiting = list(payment_files_waiting(user=request.user, company=company)[: SHOWN + 1])  # type: ignore[arg-type]
    can_work = can(request.user, company, "work")
    if not waiting and not can_work:
        return ""  # a client with nothing to approve: no card
    context = {
        "company": company,
        "waiting": waiting[:SHOWN],
        "more": len(waiting) > SHOWN,
        "can_work": can_work,
    }
    return render_to_string("payments/_overview.html", context, request=request)


def register() -> None:
    register_overview_panel(OverviewPanel("payment-files", "client", 20, payment_files_panel))
