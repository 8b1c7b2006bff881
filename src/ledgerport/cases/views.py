"""The case pages: open a case (the firm), read and answer it (both sides; the approval block
of `case_signing` attests), close, reopen and set it up (the firm).
The list is on the company's Ärenden tab (`{% case_list company %}`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.tenancy import selectors as tenancy
from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page

from . import selectors, services
from .forms import CaseForm, CaseSettingsForm, MessageForm, ReminderPolicyForm, checked_files
from .models import APPROVABLE, Case
from .notifications import case_notifications_read
from .recipients import client_users
from .reminders import case_schedule, firm_cadence


def _detail(case: Case) -> HttpResponse:
    return redirect("cases:detail", case.company_id, case.pk)


@company_view("work")
def case_new(request: HttpRequest, company: Company) -> HttpResponse:
    users = client_users(company.pk)
    form = CaseForm(request.POST or None, request.FILES or None, client_users=users)
    if request.method == "POST" and form.is_valid():
        try:
            files = checked_files(request.FILES.getlist("files"))
        except ValidationError as refused:  # names the file and why
            form.add_error(None, refused)
        else:
            data = form.cleaned_data
            case = services.case_create(
                company=company,
                user=request.user,  # type: ignore[arg-type]
                title=data["title"],
                body=data["body"],
                due_date=data["due_date"],
                recipients=data["recipients"],
                files=files,
                cadence=form.cadence(),
                request=request,
            )
            messages.success(request, _("The case was opened and its recipients were told."))
            return _detail(case)
    context = {"form": form, "default_cadence": firm_cadence(company.firm_id)}
    return company_page(request, company, "cases", "cases/new.html", context)


@company_view("view")
def case_detail(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, company=company, pk=case_id)
    return _render_detail(request, company, case, MessageForm())


def _render_detail(request: HttpRequest, company: Company, case: Case, form: MessageForm) -> HttpResponse:
    case_notifications_read(case=case, user=request.user)  # type: ignore[arg-type]
    audit_record(request=request, action=Action.VIEW, company=company, target=case)
    thread, opening_files = selectors.case_thread(case=case)
    is_firm = tenancy.can(request.user, company, "work")
    context: dict[str, Any] = {
        "case": case,
        "thread": thread,
        "opening_files": opening_files,
        "form": form,
        "is_firm": is_firm,
        # Attesting and approving (BankID-signed or not, as the firm requires) is the approval
        # block's (`case_signing`); it also shows the files for approval and the signatures.
        "approvable": case.kind in APPROVABLE,
    }
    if is_firm:
        context |= {
            "settings_form": CaseSettingsForm(
                initial={
                    "due_date": case.due_date,
                    "recipients": selectors.recipient_ids(case=case),
                    "remind_days_before": case.remind_days_before,
                    "remind_every_days": case.remind_every_days,
                    "remind_max": case.remind_max,
                },
                client_users=client_users(company.pk),
            ),
            "schedule": case_schedule(case),
            "reminders": selectors.case_reminder_list(case=case),
            "policy_form": ReminderPolicyForm(initial=firm_cadence(company.firm_id).__dict__),
            "can_manage": tenancy.can(request.user, company, "manage"),
        }
    return company_page(request, company, "cases", "cases/detail.html", context)


@require_POST
@company_view("view")
def case_message(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, company=company, pk=case_id)
    form = MessageForm(request.POST, uploads=request.FILES.getlist("files"))
    if not form.is_valid():
        return _render_detail(request, company, case, form)
    try:
        services.case_message_add(
            case=case,
            user=request.user,  # type: ignore[arg-type]
            body=form.cleaned_data["body"].strip(),
            by_firm=tenancy.can(request.user, company, "work"),
            files=form.files_checked,
            request=request,
        )
    except services.CaseStateError:
        messages.error(request, _("The case is closed: it cannot be answered."))
    else:
        messages.success(request, _("Your message was sent."))
    return _detail(case)


@require_POST
@company_view("work")
def case_close(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, company=company, pk=case_id)
    note = request.POST.get("note", "").strip()
    services.case_close(case=case, user=request.user, note=note, request=request)  # type: ignore[arg-type]
    messages.success(request, _("The case was closed."))
    return _detail(case)


@require_POST
@company_view("work")
def case_reopen(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, company=company, pk=case_id)
    try:
        services.case_reopen(case=case, user=request.user, request=request)  # type: ignore[arg-type]
    except (services.CaseStateError, IntegrityError):  # IntegrityError: the other opened at once
        messages.error(request, _("Another case about the same thing is open."))
    else:
        messages.success(request, _("The case is open again and waits for the client."))
    return _detail(case)


@require_POST
@company_view("work")
def case_settings(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, company=company, pk=case_id)
    form = CaseSettingsForm(request.POST, client_users=client_users(company.pk))
    if form.is_valid():
        services.case_settings_update(
            case=case,
            user=request.user,  # type: ignore[arg-type]
            due_date=form.cleaned_data["due_date"],
            recipients=form.cleaned_data["recipients"],
            cadence=form.cadence(),
            request=request,
        )
        messages.success(request, _("The case's settings were saved."))
    else:
        messages.error(
            request, _("The settings were not saved: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return _detail(case)


@require_POST
@company_view("manage")
def reminder_policy(request: HttpRequest, company: Company) -> HttpResponse:
    """The firm's default cadence (a firm admin; set from any of its companies' case pages)."""
    form = ReminderPolicyForm(request.POST)
    if form.is_valid():
        services.reminder_policy_set(firm_id=company.firm_id, **form.cleaned_data)
        messages.success(request, _("The firm's default reminders were saved."))
    else:
        messages.error(
            request, _("The default was not saved: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("web:company_cases", company.pk)
