"""A month's tax-payment summary before it is published: from the synced tax account when there
is one, else from the amounts the firm entered. Due dates come from the one calendar
(`analysis.deadlines`); the OCR number from the Tax Agency's saldo when synced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from ledgerport.analysis import deadlines
from ledgerport.analysis.tax_profile import effective_profile
from ledgerport.taxes import selectors as taxes
from ledgerport.tenancy.models import Company, Country

from .models import SummarySource
from .ocr import ocr_number

ZERO = Decimal("0.00")
# Rows that move money in or out of the account rather than charge it.
_PAYMENT_TEXTS = ("inbetalning", "utbetalning", "återbetalning")


@dataclass(frozen=True)
class Line:
    text: str
    amount: Decimal  # positive: to pay (a charge), negative: a credit


@dataclass(frozen=True)
class Draft:
    month: date  # the first day of the month the amount is due in
    due_date: date
    lines: tuple[Line, ...]
    ocr: str
    source: str  # SummarySource
    fetched_at: datetime | None = None  # when the synced data was fetched

    @property
    def amount(self) -> Decimal:
        """Positive: to pay; negative: to get back."""
        return sum((line.amount for line in self.lines), ZERO)


def month_name(month: date) -> str:
    return formats.date_format(month, "F Y")


def _month_before(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def is_swedish(company: Company) -> bool:
    return company.country == Country.SE


def company_ocr(company: Company) -> str:
    """The Tax Agency's OCR number from the synced saldo, else 16 + org number + Luhn digit."""
    snapshot = taxes.tax_account_snapshot(company)
    if snapshot is not None and snapshot.ocr:
        return snapshot.ocr
    return ocr_number(company.orgnr)


def due_date_of(company: Company, month: date) -> date:
    return deadlines.tax_payment_due(month, large=effective_profile(company).large)


def synced_draft(company: Company, month: date) -> Draft | None:
    """What the synced tax account charges up to the month's due date, less a surplus it carries
    into the month (more when it carries a debt). None without a synced tax account.

    The Tax Agency's sign is negative = debt (taxes.models), so a charge's amount is turned."""
    snapshot = taxes.tax_account_snapshot(company)
    if snapshot is None:
        return None
    month = month.replace(day=1)
    due = due_date_of(company, month)
    since = list(taxes.tax_account_transactions(company, start=month, end=date(9999, 12, 31)))
    # The balance at the month's start: today's, without the booked rows of the month and later.
    carried = snapshot.balance - sum((row.amount for row in since if not row.upcoming), ZERO)
    lines = [
        Line(row.text, -row.amount)
        for row in since
        if (row.due or row.booked) <= due and not row.text.lower().startswith(_PAYMENT_TEXTS)
    ]
    if lines and carried:  # nothing charged yet (a month not synced so far): no lines at all
        lines.insert(
            0, Line(_("Tax account balance before %(month)s") % {"month": month_name(month)}, -carried)
        )
    return Draft(month, due, tuple(lines), company_ocr(company), SummarySource.SYNCED, snapshot.fetched_at)


def vat_text(company: Company, due: date) -> str:
    """ "VAT for September 2026" / "… July 2026 - September 2026": the period due that day by the
    company's VAT period (`analysis.tax_profile`), or plain "VAT"."""
    profile = effective_profile(company)
    period = deadlines.vat_period_due_on(due, vat_period=profile.vat_period, large=profile.large)
    if period is None:
        return _("VAT")
    first, last = period
    if first.month == last.month:
        return _("VAT for %(period)s") % {"period": month_name(first)}
    return _("VAT for %(period)s") % {"period": f"{month_name(first)} - {month_name(last.replace(day=1))}"}


def firm_draft(
    company: Company,
    month: date,
    *,
    employer_contributions: Decimal | None = None,
    deducted_tax: Decimal | None = None,
    vat: Decimal | None = None,
    preliminary_tax: Decimal | None = None,
    other: Decimal | None = None,
    other_text: str = "",
) -> Draft:
    """The summary from the amounts the firm entered (None: not part of this payment). VAT may be
    negative (a refund)."""
    month = month.replace(day=1)
    due = due_date_of(company, month)
    before = {"month": month_name(_month_before(month))}
    candidates = [
        (_("Employer contributions for %(month)s") % before, employer_contributions),
        (_("Deducted tax for %(month)s") % before, deducted_tax),
        (vat_text(company, due), vat),
        (_("Preliminary tax (F-skatt) for %(month)s") % {"month": month_name(month)}, preliminary_tax),
        (other_text or _("Other"), other),
    ]
    lines = tuple(Line(text, amount) for text, amount in candidates if amount is not None)
    return Draft(month, due, lines, company_ocr(company), SummarySource.FIRM)
