"""Thin views of the UI shell; reads go through the tenancy selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ledgerport.core.health import database_reachable
from ledgerport.tenancy import selectors as tenancy
from ledgerport.tenancy.models import Company
from ledgerport.web.requests import AppRequest

from . import client_list
from .decorators import company_view
from .pages import company_page
from .session import CURRENT_COMPANY_KEY


def home(request: HttpRequest) -> HttpResponse:
    """Firm staff land on their client list; a client lands on their company: the one they
    last switched to (kept in the session) if they still belong to it, or their only one;
    with several and none chosen, the list to choose from."""
    if tenancy.is_firm_user(request.user):
        return redirect("web:company_list")
    companies = list(tenancy.company_list(user=request.user))
    current = request.session.get(CURRENT_COMPANY_KEY)
    chosen = next((c for c in companies if c.pk == current), None)
    if chosen is None and len(companies) == 1:
        chosen = companies[0]
    if chosen is not None:
        return redirect("web:company_overview", company_id=chosen.pk)
    return render(request, "web/client_home.html", {"companies": companies})


def company_list(request: AppRequest) -> HttpResponse:
    """The firm's clients with the status columns; `q` searches, `sort` orders by a column
    ("-" in front: descending), `show` keeps the clients a filter names."""
    query = request.GET.get("q", "")
    table = client_list.client_table(
        user=request.user, search=query, sort=request.GET.get("sort", ""), show=request.GET.get("show", "")
    )
    context = {"table": table, "query": query, "firms": tenancy.firms_of(request.user)}
    template = "web/_client_table.html" if request.htmx else "web/company_list.html"
    return render(request, template, context)


def _tab(request: HttpRequest, company: Company, slug: str) -> HttpResponse:
    return company_page(request, company, slug, f"company/{slug}.html")


@company_view("view")
def company_overview(request: HttpRequest, company: Company) -> HttpResponse:
    return _tab(request, company, "overview")


@company_view("work")
def company_collect(request: HttpRequest, company: Company) -> HttpResponse:
    return _tab(request, company, "collect")


@company_view("work")
def company_ledger(request: HttpRequest, company: Company) -> HttpResponse:
    return _tab(request, company, "ledger")


@company_view("work")
def company_analysis(request: HttpRequest, company: Company) -> HttpResponse:
    return _tab(request, company, "analysis")


@company_view("view")
def company_documents(request: HttpRequest, company: Company) -> HttpResponse:
    return _tab(request, company, "documents")


@company_view("view")
def company_cases(request: HttpRequest, company: Company) -> HttpResponse:
    return _tab(request, company, "cases")


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: the process answers and the database is reachable."""
    if not database_reachable():  # 503, not 500: "not ready", and a balancer routes elsewhere
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})
