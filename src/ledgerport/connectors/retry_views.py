"""'Försök igen' on a failed sync: a new run of the same kind (kept apart from views.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view

from . import selectors, sync_runs, sync_selectors
from .models import SyncStatus


@require_POST
@company_view("work")
def sync_retry(request: HttpRequest, company: Company, sync_run_id: int) -> HttpResponse:
    run = selectors.sync_run_get(user=request.user, company=company, pk=sync_run_id)
    error, status = "", 200
    if run.status == SyncStatus.FAILED:
        try:
            sync_runs.sync_retry(run=run, user=request.user)
        except sync_runs.SyncRefused as exc:
            error, status = str(exc), 409
    context = {
        **sync_selectors.panel_context(company=company, provider=run.connection.provider),
        "error": error,
    }
    return render(request, "connectors/_sync_panel.html", context, status=status)
