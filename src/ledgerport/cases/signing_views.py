"""The approval of a case: its files for approval, signatures, and attesting (BankID or the
button). Thin: the flow is in `signing.py`, reads in the selectors."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseStopPolling

from ledgerport.identity.bankid import autostart_url
from ledgerport.identity.qr_svg import qr_svg
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import can
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page

from . import signing
from .models import Case
from .selectors import case_get
from .services import CaseStateError, case_message_add


def _case(request: HttpRequest, company: Company, case_id: int) -> Case:
    try:
        return case_get(user=request.user, company=company, pk=case_id)  # type: ignore[arg-type]
    except Case.DoesNotExist as err:
        raise Http404 from err


def _back(company: Company, case: Case) -> HttpResponse:
    return redirect("case_signing:approval", company_id=company.pk, case_id=case.pk)


@company_view("view")
@require_GET
def approval(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = _case(request, company, case_id)
    return company_page(request, company, "cases", "cases/approval.html", {"case": case})


@company_view("view")
@require_POST
def answer(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    """Answer the case with changes (the thread's message)."""
    case = _case(request, company, case_id)
    body = request.POST.get("body", "").strip()
    if not body:
        messages.error(request, _("Write what should be changed."))
        return _back(company, case)
    try:
        case_message_add(
            case=case,
            user=request.user,  # type: ignore[arg-type]
            body=body,
            by_firm=can(request.user, company, "work"),
            request=request,
        )
    except CaseStateError:
        messages.error(request, _("The case is closed."))
        return _back(company, case)
    messages.success(request, _("Your answer was sent."))
    return _back(company, case)


@company_view("approve")
@require_POST
def attest(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = _case(request, company, case_id)
    try:
        signing.attest_without_bankid(case=case, user=request.user, request=request)  # type: ignore[arg-type]
    except (signing.SigningError, CaseStateError) as err:
        messages.error(
            request, str(err) if isinstance(err, signing.SigningError) else _("The case is closed.")
        )
        return _back(company, case)
    messages.success(request, _("Attested."))
    return _back(company, case)


@company_view("approve")
@require_POST
def sign_start(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = _case(request, company, case_id)
    problem = signing.sign_start(request, case=case, user=request.user)  # type: ignore[arg-type]
    if problem:
        messages.error(request, problem)
        return _back(company, case)
    return redirect("case_signing:sign_wait", company_id=company.pk, case_id=case.pk)


def _qr(content: str) -> dict[str, str]:
    return {"content": content, "svg": qr_svg(content, _("BankID QR code"))}


@company_view("approve")
@require_GET
def sign_wait(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = _case(request, company, case_id)
    order = signing.sign_active(request, case)
    if order is None:
        return _back(company, case)
    context = {
        "case": case,
        "autostart_url": autostart_url(str(order["auto"])),
        "qr": _qr(signing.sign_qr(request, case) or ""),
        "message": signing.pending_message(str(order["hint"])),
        "text": order["text"],
    }
    return render(request, "cases/sign_wait.html", {"company": company, **context})


@company_view("approve")
@require_GET
def sign_qr(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    """The QR code as it is this second (htmx swaps it in every second)."""
    case = _case(request, company, case_id)
    content = signing.sign_qr(request, case)
    if content is None:
        return HttpResponseStopPolling("", content_type="text/plain")
    return render(request, "identity/_bankid_qr.html", {"qr": _qr(content)})


@company_view("approve")
@require_POST
def sign_collect(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    """Polled every two seconds by the waiting page: the hint's message, or the signature."""
    case = _case(request, company, case_id)
    progress = signing.sign_collect(request, case=case, user=request.user)  # type: ignore[arg-type]
    if progress.status == "complete":
        messages.success(request, _("Signed with BankID and attested."))
        return HttpResponseClientRedirect(reverse("case_signing:approval", args=[company.pk, case.pk]))
    response = render(
        request, "cases/_sign_status.html", {"company": company, "case": case, "progress": progress}
    )
    if progress.done:
        response.status_code = HttpResponseStopPolling.status_code
    return response


@company_view("approve")
@require_POST
def sign_cancel(request: HttpRequest, company: Company, case_id: int) -> HttpResponse:
    case = _case(request, company, case_id)
    if signing.sign_cancel(request):
        messages.info(request, _("The signing with BankID was cancelled."))
    return _back(company, case)
