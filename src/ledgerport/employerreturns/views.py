"""The firm's a-melding pages for a Norwegian company (bokmål for its pages). Thin: see
services.py and selectors.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ledgerport.amelding import AmeldingError, sums
from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view, in_company_language
from ledgerport.web.pages import company_page

from . import selectors, services, tasks
from .forms import ImportForm, LineForm, MonthForm
from .messages import describe
from .models import EmployerReturn, ReturnState

TAB = "payroll"


def _return(request: HttpRequest, company: Company, pk: int) -> EmployerReturn:
    try:
        return selectors.return_get(user=request.user, company=company, pk=pk)  # type: ignore[arg-type]
    except EmployerReturn.DoesNotExist as err:
        raise Http404 from err


def _back(employer_return: EmployerReturn, anchor: str = "") -> HttpResponse:
    url = reverse("employerreturns:detail", args=[employer_return.company_id, employer_return.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@company_view("work")
@require_http_methods(["GET", "POST"])
@in_company_language
def months(request: HttpRequest, company: Company) -> HttpResponse:
    form = MonthForm(request.POST or None, initial={"month": services.month_default()})
    if company.country == "NO" and request.method == "POST" and form.is_valid():
        found = services.return_open(company=company, month=form.cleaned_data["month"])
        return _back(found)
    norwegian = company.country == "NO"
    returns = selectors.returns_of(user=request.user, company=company) if norwegian else []  # type: ignore[arg-type]
    context = {"form": form, "norwegian": norwegian, "returns": returns}
    return company_page(request, company, TAB, "employerreturns/months.html", context)


def _employees(summary: Any) -> list[dict[str, Any]]:
    return [
        {
            "unit": unit.orgnr,
            "employee": employee,
            "income": employee.income_total,
            "withheld": employee.withheld,
        }
        for unit, employee in summary.employees
    ]


@company_view("work")
@require_http_methods(["GET"])
@in_company_language
def detail(request: HttpRequest, company: Company, employer_return_id: int) -> HttpResponse:
    employer_return = _return(request, company, employer_return_id)
    return _detail(request, company, employer_return)


def _detail(
    request: HttpRequest,
    company: Company,
    employer_return: EmployerReturn,
    *,
    import_form: ImportForm | None = None,
    line_form: LineForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    try:
        summary = services.summary_of(employer_return)
    except AmeldingError as exc:  # stored by an older reader: say so, never 500
        summary, errors = None, [describe(p) for p in exc.problems]
    draft = employer_return.state == ReturnState.DRAFT
    context: dict[str, Any] = {
        "norwegian": company.country == "NO",
        "employer_return": employer_return,
        "summary": summary,
        "employees": _employees(summary) if summary else [],
        "payment": sums.payment(summary) if summary else None,
        "contribution_exact": sums.employer_contribution(summary) if summary else None,
        "problems": services.problems_of(employer_return) if draft else [],
        "errors": errors or [],
        "reconciliation": selectors.reconciliation(
            company=company, month=employer_return.month, summary=summary
        )
        if summary
        else None,
        "import_form": import_form or ImportForm(),
        "line_form": line_form or LineForm(initial={"month": employer_return.month}),
        "editable": employer_return.state != ReturnState.SUBMITTED,
        "avvik": employer_return.feedback.get("avvik") or [],
    }
    response = company_page(request, company, TAB, "employerreturns/detail.html", context)
    response.status_code = status
    return response


@company_view("work")
@require_POST
@in_company_language
def import_csv(request: HttpRequest, company: Company, employer_return_id: int) -> HttpResponse:
    employer_return = _return(request, company, employer_return_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, company, employer_return, import_form=form, status=400)
    try:
        services.return_import_csv(
            employer_return=employer_return,
            data=form.cleaned_data["file"],
            user=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except services.EmployerReturnError as exc:
        return _detail(request, company, employer_return, import_form=form, errors=exc.messages, status=400)
    messages.success(request, _("The file was imported."))
    return _back(employer_return, "summary")


@company_view("work")
@require_POST
@in_company_language
def line_add(request: HttpRequest, company: Company, employer_return_id: int) -> HttpResponse:
    employer_return = _return(request, company, employer_return_id)
    form = LineForm(request.POST, initial={"month": employer_return.month})
    if not form.is_valid():
        return _detail(request, company, employer_return, line_form=form, status=400)
    try:
        services.return_line_add(employer_return=employer_return, line=form.cleaned_data, user=request.user)  # type: ignore[arg-type]
    except services.EmployerReturnError as exc:
        return _detail(request, company, employer_return, line_form=form, errors=exc.messages, status=400)
    messages.success(request, _("The line was added."))
    return _back(employer_return, "summary")


@company_view("work")
@require_POST
@in_company_language
def employee_remove(request: HttpRequest, company: Company, employer_return_id: int) -> HttpResponse:
    employer_return = _return(request, company, employer_return_id)
    try:
        services.return_employee_remove(
            employer_return=employer_return, person=request.POST.get("person", "")
        )
    except services.EmployerReturnError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _back(employer_return, "summary")


@company_view("work")
@require_POST
@in_company_language
def submit(request: HttpRequest, company: Company, employer_return_id: int) -> HttpResponse:
    employer_return = _return(request, company, employer_return_id)
    try:
        sent = services.return_submit(employer_return=employer_return, user=request.user, request=request)  # type: ignore[arg-type]
    except services.EmployerReturnError as exc:
        return _detail(request, company, employer_return, errors=exc.messages, status=400)
    if sent.state == ReturnState.SUBMITTED:
        tasks.poll_when_committed(sent.pk)
        messages.success(request, _("The a-melding was sent. The feedback is shown here when it comes."))
    return _back(sent, "feedback")


@company_view("work")
@require_POST
@in_company_language
def refresh(request: HttpRequest, company: Company, employer_return_id: int) -> HttpResponse:
    employer_return = _return(request, company, employer_return_id)
    try:
        found = services.return_poll(pk=employer_return.pk)
    except services.EmployerReturnError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _back(employer_return, "feedback")
    if found.state == ReturnState.SUBMITTED:
        messages.info(request, _("The feedback has not come yet."))
    return _back(found, "feedback")
