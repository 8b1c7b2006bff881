"""The company page's tabs, in order. Later apps fill them; the action gates who sees each."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str | Promise
    url_name: str
    action: str
    countries: tuple[str, ...] = ()  # the companies' countries it shows for; () = every country


TABS = (
    Tab("overview", _("Overview"), "web:company_overview", "view"),
    Tab("collect", _("Load data"), "web:company_collect", "work"),
    Tab("ledger", _("Bookkeeping"), "web:company_ledger", "work"),
    Tab("analysis", _("Analyses"), "web:company_analysis", "work"),
    Tab("documents", _("Documents"), "web:company_documents", "view"),
    Tab("cases", _("Cases"), "web:company_cases", "view"),
    Tab("payroll", _("Payroll"), "payroll:runs", "work"),
    Tab("vat", _("VAT returns"), "vatreturns:terms", "work", countries=("NO",)),
    # The portal's pages (the names are strings: web imports nothing of the portal).
    Tab("users", _("Users"), "portal:users", "invite"),
    Tab("audit", _("Audit log"), "portal:users_audit", "work"),
)
