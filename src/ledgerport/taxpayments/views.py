"""The firm's page for a company's tax-payment summaries and reports, and its two publish actions.
Reads in `drafts`/`selectors`, writes in `services`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ledgerport.tenancy.models import Company
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page

from . import correction_services, drafts, selectors, services
from .forms import AmountsForm, MonthForm, parse_month
from .models import SummarySource


def _default_month(company: Company) -> date:
    """This month until its payment is due, then the next."""
    today = timezone.localdate()
    month = today.replace(day=1)
    if today > drafts.due_date_of(company, month):
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return month


def _page(
    request: HttpRequest, company: Company, month: date, amounts: AmountsForm | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "month": month,
        "month_key": f"{month:%Y-%m}",
        "swedish": drafts.is_swedish(company),
        "reports": list(selectors.report_publications(company=company)[:24]),
        "quarterly": selectors.files_quarterly(company=company),
    }
    if context["swedish"]:  # the Tax Agency's tax account: Swedish companies only
        context |= {
            "synced": drafts.synced_draft(company, month),
            "due_date": drafts.due_date_of(company, month),
            "ocr": drafts.company_ocr(company),
            "published": selectors.summary_exists(company=company, month=month),
            "amounts": amounts or AmountsForm(initial={"month": f"{month:%Y-%m}"}),
            "summaries": list(selectors.summaries(company=company)[:24]),
        }
    return company_page(request, company, "documents", "taxpayments/page.html", context)


@require_GET
@company_view("work")
def page(request: HttpRequest, company: Company) -> HttpResponse:
    month = parse_month(request.GET.get("month")) or _default_month(company)
    return _page(request, company, month)


@require_POST
@company_view("work")
def tax_payment_publish(request: HttpRequest, company: Company) -> HttpResponse:
    """Publish the month from the synced tax account, or from the amounts the firm entered."""
    if not drafts.is_swedish(company):
        messages.error(
            request, _("Tax-payment summaries are for Swedish companies (the Swedish Tax Agency).")
        )
        return redirect("taxpayments:page", company.pk)
    if request.POST.get("source") == SummarySource.SYNCED:
        form = MonthForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the month as YYYY-MM, e.g. 2026-11."))
            return redirect("taxpayments:page", company.pk)
        month = form.cleaned_data["month"]
        draft = drafts.synced_draft(company, month)
        if draft is None or not draft.lines:
            messages.error(request, _("The Tax Agency's tax account is not synced for this company."))
            return redirect(f"{reverse('taxpayments:page', args=[company.pk])}?month={month:%Y-%m}")
    else:
        amounts = AmountsForm(request.POST)
        if not amounts.is_valid():
            month = parse_month(request.POST.get("month")) or _default_month(company)
            response = _page(request, company, month, amounts)
            response.status_code = 400
            return response
        data = amounts.cleaned_data
        month = data["month"]
        draft = drafts.firm_draft(
            company, month, **{name: data[name] for name in (*AmountsForm.AMOUNTS, "other_text")}
        )
    if request.POST.get("correct") == "1":
        return _correct(request, company, draft)
    try:
        summary = services.tax_payment_publish(
            company=company,
            user=request.user,  # type: ignore[arg-type]
            draft=draft,
            request=request,
        )
    except services.PublishRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "The tax payment summary for %(month)s is filed under Documents › %(year)s › Tax Agency › %(folder)s."
            )
            % {
                "month": drafts.month_name(month),
                "year": summary.due_date.year,
                "folder": f"{summary.due_date:%m}",
            },
        )
    return redirect(f"{reverse('taxpayments:page', args=[company.pk])}?month={month:%Y-%m}")


def _correct(request: HttpRequest, company: Company, draft: drafts.Draft) -> HttpResponse:
    """A published month republished with new amounts (see `correction_services`)."""
    try:
        summary, filed = correction_services.tax_payment_correct(
            company=company,
            user=request.user,  # type: ignore[arg-type]
            draft=draft,
            request=request,
        )
    except services.PublishRefused as exc:
        messages.error(request, str(exc))
    else:
        name = drafts.month_name(draft.month)
        if filed:
            messages.success(
                request,
                _(
                    "The corrected tax payment for %(month)s is filed as version %(version)d; the one before is marked as replaced."
                )
                % {"month": name, "version": summary.version},
            )
        else:
            messages.info(request, _("The tax payment for %(month)s already says this.") % {"month": name})
    return redirect(f"{reverse('taxpayments:page', args=[company.pk])}?month={draft.month:%Y-%m}")


@require_POST
@company_view("work")
def report_publish(request: HttpRequest, company: Company) -> HttpResponse:
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the month as YYYY-MM, e.g. 2026-11."))
        return redirect("taxpayments:page", company.pk)
    try:
        publication, filed = services.report_publish(
            company=company,
            user=request.user,  # type: ignore[arg-type]
            month=form.cleaned_data["month"],
            request=request,
        )
    except services.PublishRefused as exc:
        messages.error(request, str(exc))
    else:
        name = drafts.month_name(publication.month)
        if filed:
            messages.success(request, _("The report for %(month)s is published.") % {"month": name})
        else:
            messages.info(
                request, _("The report for %(month)s is already published as it stands.") % {"month": name}
            )
    return redirect("taxpayments:page", company.pk)
