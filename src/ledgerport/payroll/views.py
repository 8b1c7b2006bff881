"""The firm's payroll pages: the runs, a new run, the final files. Thin: see services.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ledgerport.cases.models import CaseFile
from ledgerport.cases.services import CaseStateError
from ledgerport.cases.signing import approval_file_replace
from ledgerport.documents.archive import BatchRefused, uploads_check
from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page

from . import selectors
from .forms import RunForm
from .models import PayrollRun
from .services import PayrollError, payout_folder, payroll_finish, payroll_run_create


def _run(request: HttpRequest, company: Company, run_id: int) -> PayrollRun:
    try:
        return selectors.run_get(user=request.user, company=company, pk=run_id)  # type: ignore[arg-type]
    except PayrollRun.DoesNotExist as err:
        raise Http404 from err


@company_view("work")
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest, company: Company) -> HttpResponse:
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = payroll_run_create(
                company=company,
                user=request.user,  # type: ignore[arg-type]
                period=data["period"],
                payout_date=data["payout_date"],
                due_date=data["due_date"],
                payslips=request.FILES.getlist("payslips"),  # type: ignore[arg-type]
                payout_list=request.FILES.getlist("payout_list"),  # type: ignore[arg-type]
                request=request,
            )
        except BatchRefused as err:
            for message in err.messages:
                form.add_error(None, message)
        except PayrollError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("The payroll run was created and the client asked to attest it."))
            return redirect("payroll:run", company_id=company.pk, run_id=run.pk)
    context = {"form": form, "runs": selectors.runs_of(user=request.user, company=company)}  # type: ignore[arg-type]
    return company_page(request, company, "payroll", "payroll/runs.html", context)


@company_view("work")
@require_http_methods(["GET"])
def run(request: HttpRequest, company: Company, run_id: int) -> HttpResponse:
    payroll = _run(request, company, run_id)
    context = {"run": payroll, "folder": payout_folder(payroll.payout_date)}
    return company_page(request, company, "payroll", "payroll/run.html", context)


@company_view("work")
@require_POST
def run_finish(request: HttpRequest, company: Company, run_id: int) -> HttpResponse:
    payroll = _run(request, company, run_id)
    try:
        payroll_finish(
            run=payroll,
            user=request.user,  # type: ignore[arg-type]
            uploads=request.FILES.getlist("files"),  # type: ignore[arg-type]
            request=request,
        )
    except BatchRefused as err:
        for message in err.messages:
            messages.error(request, message)
    except PayrollError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("The final payroll was filed and the case closed."))
    return redirect("payroll:run", company_id=company.pk, run_id=payroll.pk)


@company_view("work")
@require_POST
def run_file_replace(request: HttpRequest, company: Company, run_id: int) -> HttpResponse:
    """Replace a preliminary file (the client's signature over the old one stops matching)."""
    payroll = _run(request, company, run_id)
    try:
        case_file = selectors.run_file_get(
            user=request.user,  # type: ignore[arg-type]
            run=payroll,
            pk=int(request.POST.get("case_file", "0") or 0),
        )
        files = uploads_check(request.FILES.getlist("file"))  # type: ignore[arg-type]
        approval_file_replace(case_file=case_file, user=request.user, file=files[0], request=request)  # type: ignore[arg-type]
    except (ValueError, CaseFile.DoesNotExist):
        messages.error(request, _("Choose the file to replace."))
    except BatchRefused as err:
        for message in err.messages:
            messages.error(request, message)
    except CaseStateError:
        messages.error(request, _("The case is closed."))
    else:
        messages.success(request, _("The file was replaced."))
    return redirect("payroll:run", company_id=company.pk, run_id=payroll.pk)
