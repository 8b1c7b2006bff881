"""Payment-file pages: the company's files and the upload (the firm), a file's summary and
"Godkänd i banken" (the client's signatories)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.cases.services import CaseStateError
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import can
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page
from ledgerport.web.requests import AppRequest

from . import selectors, services

MAX_MESSAGES = 20  # a file broken everywhere: the first problems say enough


@require_GET
@company_view("view")
def payment_file_list(request: AppRequest, company: Company) -> HttpResponse:
    files = selectors.payment_files_of(user=request.user, company=company)
    context: dict[str, Any] = {
        "payment_files": files[:200],
        "can_work": can(request.user, company, "work"),
        "max_upload": services.MAX_BYTES,
    }
    return company_page(request, company, "cases", "payments/list.html", context)


@require_POST
@company_view("work")
def payment_file_upload(request: AppRequest, company: Company) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a payment file (pain.001) to upload."))
        return redirect("payments:list", company_id=company.pk)
    content = upload.read(services.MAX_BYTES + 1)
    try:
        payment_file = services.payment_file_upload(
            company=company,
            user=request.user,
            name=upload.name or "betalfil.xml",
            content=content,
            request=request,
        )
    except services.PaymentUploadRefused as refused:
        for message in refused.messages[:MAX_MESSAGES]:
            messages.error(request, message)
        return redirect("payments:list", company_id=company.pk)
    messages.success(request, _("The payment file was uploaded and the client asked to approve it."))
    return redirect("payments:detail", company_id=company.pk, payment_file_id=payment_file.pk)


@require_GET
@company_view("view")
def payment_file_detail(request: AppRequest, company: Company, payment_file_id: int) -> HttpResponse:
    payment_file = selectors.payment_file_get(user=request.user, company=company, pk=payment_file_id)
    audit_record(request=request, action=Action.VIEW, company=company, target=payment_file)
    case = payment_file.case
    context: dict[str, Any] = {
        "payment_file": payment_file,
        "case": case,
        "may_approve": (
            can(request.user, company, "approve")
            and payment_file.approved_at is None
            and case is not None
            and case.status != "closed"
        ),
    }
    return company_page(request, company, "cases", "payments/detail.html", context)


@require_POST
@company_view("approve")
def payment_file_approve(request: AppRequest, company: Company, payment_file_id: int) -> HttpResponse:
    payment_file = selectors.payment_file_get(
        user=request.user,
        company=company,
        pk=payment_file_id,
        action="approve",
    )
    try:
        recorded = services.payment_file_approve(
            payment_file=payment_file, user=request.user, request=request
        )
    except CaseStateError:
        messages.error(request, _("The case is closed; the payment file can no longer be marked approved."))
    else:
        if recorded:
            messages.success(request, _("Marked as approved in the bank. Your accounting firm can see it."))
        else:
            messages.info(request, _("The payment file was already marked approved."))
    return redirect("payments:detail", company_id=company.pk, payment_file_id=payment_file.pk)
