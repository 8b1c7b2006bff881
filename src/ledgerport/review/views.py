"""Invoice review: one voucher at a time with its document beside the rows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from ledgerport.documents.selectors import document_first_for_voucher, documents_for_voucher
from ledgerport.ledger.models import FiscalYear
from ledgerport.ledger.selectors import voucher_by_key
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import fiscal_year_get
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page
from ledgerport.web.requests import AppRequest

from . import selectors, services
from .models import ReviewStatus


@require_GET
@company_view("work")
def review_start(request: AppRequest, company: Company) -> HttpResponse:
    """Straight to the latest fiscal year that has documents, else an explanation."""
    if year := selectors.review_latest_year(company=company):
        return redirect("review:card", company_id=company.pk, fiscal_year_id=year.pk)
    return company_page(request, company, "analysis", "review/empty.html")


def _card_context(
    request: AppRequest, company: Company, year: FiscalYear, **where: str | None
) -> dict[str, object]:
    """The card `where` says (after=, before= or at= a voucher's key; else the first one)."""
    filters = selectors.Filters.from_query(request.GET if request.method == "GET" else request.POST)
    card = selectors.review_card(year, filters, request.user, **where)
    base = reverse("review:card", args=[company.pk, year.pk])
    query = filters.as_query()

    def url(**key: str) -> str:
        return f"{base}?{urlencode({**query, **key})}"

    voucher = card.voucher
    context: dict[str, object] = {
        "company": company,
        "year": year,
        "years": selectors.review_years(company=company),
        "filters": filters,
        "filter_query": urlencode(query),
        "position": card.position,
        "url": url(at=selectors.CardKey.of(voucher).token()) if voucher is not None else url(),
        "total": card.total,
        "done": card.done,
        "voucher": voucher,
        "prev_url": url(before=card.previous) if card.previous else "",
        "next_url": url(after=card.next) if card.next else "",
    }
    if voucher is not None:
        rows = [
            (row.account, row.amount if row.amount > 0 else None, -row.amount if row.amount < 0 else None)
            for row in selectors.review_rows(voucher)
        ]
        review = selectors.review_of(year, request.user, voucher)
        documents = list(documents_for_voucher(voucher))
        context |= {"rows": rows, "review": review, "documents": documents}
    if card.following is not None:
        # The next voucher's first document, prefetched so the next swipe feels instant.
        context["prefetch"] = document_first_for_voucher(card.following)
    return context


@require_GET
@vary_on_headers("HX-Request")  # one URL, two bodies: the browser cache must not mix them up
@company_view("work")
def review_card(request: AppRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    year = fiscal_year_get(company=company, pk=fiscal_year_id)
    query = request.GET
    context = _card_context(
        request, company, year, after=query.get("after"), before=query.get("before"), at=query.get("at")
    )
    # Back/forward asks htmx for the whole page (hx-history="false": nothing cached locally).
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "review/_card.html", context)
    return company_page(request, company, "analysis", "review/review.html", context)


@require_POST
@company_view("work")
def review_mark(request: AppRequest, company: Company, fiscal_year_id: int) -> HttpResponse:
    year = fiscal_year_get(company=company, pk=fiscal_year_id)
    # The voucher by series and number, not row id: a card opened before a re-import still marks.
    series, number = request.POST.get("voucher_series"), request.POST.get("voucher_number")
    if series is None or number is None:
        return HttpResponse(status=400)
    voucher = voucher_by_key(company=company, year=year.start, series=series, number=number)
    status = request.POST.get("status", "")
    if status == "clear":
        services.voucher_review_clear(user=request.user, voucher=voucher)
    elif status in ReviewStatus.values:
        services.voucher_review_mark(
            user=request.user, voucher=voucher, status=status, comment=request.POST.get("comment", "")
        )
    else:
        return HttpResponse(status=400)
    # Marking moves on to the next voucher; clearing stays.
    token = selectors.CardKey.of(voucher).token()
    context = _card_context(
        request, company, year, **({"at": token} if status == "clear" else {"after": token})
    )
    # The address follows the card, so a reload or the back button shows the voucher on screen.
    return push_url(render(request, "review/_card.html", context), str(context["url"]))
