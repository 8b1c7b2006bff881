"""The analyses' parts of the firm's cockpit, registered with web in `AnalysisConfig.ready()`:
the client list's tax-check light column and its "with differences" filter, and Översikt's
key figures and tax-check lights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from ledgerport.ledger import selectors as ledger
from ledgerport.taxes import selectors as taxes
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.selectors import can, fiscal_year_get
from ledgerport.web.extensions import (
    Cell,
    ListColumn,
    ListFilter,
    OverviewPanel,
    register_list_column,
    register_list_filter,
    register_overview_panel,
)
from ledgerport.web.fragments import cached_value

from . import charts, key_figures, selectors
from .tax_account_check import tax_account_analysis

DIFFERENCES = "differences"
SENTINEL_COMPANY, SENTINEL_YEAR = 987654321, 987654322  # reverse() once, then each row's ids


def no_light() -> SafeString:
    return format_html(
        '<span class="status-dot" title="{}" data-testid="tax-light" data-light="none"></span>'
        '<span class="visually-hidden">{}</span>',
        _("No tax-account data"),
        _("No tax-account data"),
    )


def light_html(light: selectors.TaxLight, company_id: int) -> SafeString:
    """A company's light: green without differences, red with; a link to the tax-account page of
    the year to look at."""
    if light.findings:
        text = ngettext("%(count)s difference", "%(count)s differences", light.findings) % {
            "count": light.findings
        }
        state, css = "red", "status-dot--error"
    else:
        text, state, css = _("Agrees with the books"), "green", "status-dot--active"
    return format_html(
        '<a href="{}" class="tax-light" data-testid="tax-light" data-light="{}">'
        '<span class="status-dot {}" aria-hidden="true"></span> {}</a>',
        reverse("analysis:tax_account", args=[company_id, light.fiscal_year_id]),
        state,
        css,
        text,
    )


def light_cells(user: Any, company_ids: QuerySet[Any]) -> Mapping[int, Cell]:
    """Every listed company's light in one query; the markup is `light_html`'s, built from one
    `reverse` and one text per number of differences (hundreds of rows per page)."""
    lights = selectors.tax_check_lights(user=user, company_ids=company_ids)
    url = reverse("analysis:tax_account", args=[SENTINEL_COMPANY, SENTINEL_YEAR])
    markup: dict[int, str] = {}
    flagged = frozenset({DIFFERENCES})
    cells = {}
    for company_id, light in lights.items():
        if light.findings not in markup:
            markup[light.findings] = light_html(
                selectors.TaxLight(light.findings, SENTINEL_YEAR), SENTINEL_COMPANY
            )
        html = markup[light.findings].replace(
            url,
            url.replace(str(SENTINEL_COMPANY), str(company_id)).replace(
                str(SENTINEL_YEAR), str(light.fiscal_year_id)
            ),
        )
        cells[company_id] = Cell(mark_safe(html), light.findings, flagged if light.findings else frozenset())  # noqa: S308 - light_html's markup, ids are ints
    return cells


# --- Översikt -------------------------------------------------------------------------------


def key_figures_panel(request: HttpRequest, company: Company) -> str:
    """The latest fiscal year's revenue, result and cash with a sparkline of each month."""
    fiscal_year = ledger.latest_year_with_ledger(company=company)
    figures = key_figures.key_figures(fiscal_year) if fiscal_year is not None else None
    cards = []
    if figures is not None:
        for key, label, value, months in (
            ("revenue", _("Revenue"), figures.revenue, figures.revenue_by_month),
            ("result", _("Result"), figures.result, figures.result_by_month),
            ("cash", _("Cash and bank"), figures.cash, figures.cash_by_month),
        ):
            cards.append(
                {"key": key, "label": label, "value": value, "spark": charts.sparkline(months, label)}
            )
    context = {
        "company": company,
        "fiscal_year": fiscal_year,
        "cards": cards,
        "can_work": can(request.user, company, "work"),
    }
    return render_to_string("analysis/_key_figures.html", context, request=request)


@dataclass(frozen=True)
class CheckLight:
    key: str
    label: str
    findings: int
    anchor: str  # the difference's section on the tax-account page


def _check_counts(company: Company, fiscal_year: Any, today: date) -> tuple[int, ...] | None:
    """(unmatched, late, employer declarations, VAT) differences, or None without tax data;
    computed once per version of the ledger and the tax data, and per day (due dates pass)."""
    snapshot = taxes.tax_account_snapshot(company)
    version = (
        company.pk,
        *ledger.ledger_version(fiscal_year),
        snapshot.fetched_at if snapshot else None,
        today,
    )

    def compute() -> tuple[int, ...] | None:
        analysis = tax_account_analysis(company, fiscal_year, today=today)
        if not analysis.has_tax_account:
            return None
        return (
            len(analysis.unmatched_tax) + len(analysis.unmatched_ledger),
            len(analysis.late_payments),
            len(analysis.agi_differences),
            len(analysis.vat_differences),
        )

    return cached_value("tax-check-counts", version, compute)


def tax_checks_panel(request: HttpRequest, company: Company) -> str:
    """The tax checks' lights, each linking to its differences; only for those who may open the
    Analyser tab ("work")."""
    if not can(request.user, company, "work"):
        return ""
    light = selectors.tax_check_lights(user=request.user, company_ids=[company.pk]).get(company.pk)
    fiscal_year = (
        fiscal_year_get(company=company, pk=light.fiscal_year_id)
        if light is not None
        else ledger.latest_year_with_ledger(company=company)
    )
    counts = _check_counts(company, fiscal_year, timezone.localdate()) if fiscal_year is not None else None
    checks = []
    if counts is not None:
        labels = (
            ("reconciliation", _("Tax account and account 1630"), "unmatched"),
            ("late", _("Paid on time"), "late-payments"),
            ("agi", _("Employer declarations"), "period-differences"),
            ("vat", _("VAT"), "period-differences"),
        )
        checks = [
            CheckLight(key, label, n, anchor) for (key, label, anchor), n in zip(labels, counts, strict=True)
        ]
    context = {"company": company, "fiscal_year": fiscal_year, "checks": checks}
    return render_to_string("analysis/_tax_checks_overview.html", context, request=request)


def register() -> None:
    register_list_column(ListColumn("tax", _lazy("Tax account"), 30, light_cells, lambda: Cell(no_light())))
    register_list_filter(ListFilter(DIFFERENCES, _lazy("Show clients with differences"), 10))
    register_overview_panel(OverviewPanel("key-figures", "figures", 10, key_figures_panel))
    register_overview_panel(OverviewPanel("tax-checks", "status", 20, tax_checks_panel))
