"""Tax-check differences the client must act on, as cases (issue 13 point 7).

A late or missing payment on a due date, or a tax-account debit the books lack, is named by a
subject key ("tax:late:2026-03-12", "tax:unbooked:2026-03-10:-1200.00"). The firm opens a case
from one with one click (title, text and amounts filled in; due on the tax account's next due
date from `analysis.deadlines`); when the tax checks are computed again and the difference is
no longer found within the period they cover, its case is closed with a note."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ledgerport.analysis import deadlines
from ledgerport.analysis.tax_checks import LatePayment, TaxRow

from . import services
from .models import Case, CaseKind, CaseStatus

if TYPE_CHECKING:
    from ledgerport.analysis.tax_account_check import TaxAccountAnalysis
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company

PREFIX = "tax:"


@dataclass(frozen=True)
class Difference:
    key: str
    on: datetime.date  # the day the difference is about (within a fiscal year's checks)
    title: str
    body: str


def _money(amount: Decimal | None) -> str:
    return "–" if amount is None else formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def key_of(item: Any) -> str | None:
    """The subject key of a late payment or a tax-account debit; None for anything else."""
    if isinstance(item, LatePayment):
        return f"{PREFIX}late:{item.due_date.isoformat()}"
    if isinstance(item, TaxRow) and item.amount < 0:
        return f"{PREFIX}unbooked:{item.booked.isoformat()}:{item.amount:.2f}"
    return None


def _difference(item: LatePayment | TaxRow) -> Difference:
    key = key_of(item)
    assert key is not None
    if isinstance(item, LatePayment):
        paid = (
            _("It was paid on %(day)s.") % {"day": item.paid_date.isoformat()}
            if item.paid_date
            else _("It has not been paid yet.")
        )
        body = "\n".join(
            [
                _("The tax account did not cover what was due on %(day)s: %(amount)s SEK was missing.")
                % {"day": item.due_date.isoformat(), "amount": _money(-item.amount_due)},
                paid,
                _("Estimated cost interest: %(amount)s SEK.")
                % {"amount": _money(-(item.interest or Decimal(0)))},
                _(
                    "Please pay the amount to the tax account (bankgiro 5050-1055, your OCR number) or tell us why it differs."
                ),
            ]
        )
        title = _("Late or missing tax payment, due %(day)s") % {"day": item.due_date.isoformat()}
        return Difference(key, item.due_date, title, body)
    body = "\n".join(
        [
            _(
                "The tax account was debited %(amount)s SEK on %(day)s (%(text)s), but the books hold no such entry."
            )
            % {"amount": _money(-item.amount), "day": item.booked.isoformat(), "text": item.text},
            _("Please send us the decision or the document behind it, so that it can be booked."),
        ]
    )
    title = _("Tax account debit not booked: %(text)s") % {"text": item.text}
    return Difference(key, item.booked, title, body)


def differences_of(analysis: TaxAccountAnalysis) -> list[Difference]:
    """The differences of one fiscal year's checks that the client must act on."""
    items: list[LatePayment | TaxRow] = [*analysis.late_payments, *analysis.unmatched_tax]
    return [_difference(item) for item in items if key_of(item) is not None]


def next_due_date(today: datetime.date) -> datetime.date:
    """The tax account's first due date after today (the case's due date), from the calendar."""
    for year in (today.year, today.year + 1):
        for due in deadlines.tax_account_due_dates(year):
            if due.date > today:
                return due.date
    raise AssertionError("the calendar has a due date every month")


def case_from_difference(
    *, company: Company, user: User, analysis: TaxAccountAnalysis, key: str, request: Any = None
) -> tuple[Case | None, bool]:
    """(the case, whether it was opened now): an open case about the key is returned as it is;
    (None, False) when the checks no longer find the difference."""
    found = next((d for d in differences_of(analysis) if d.key == key), None)
    existing = Case.objects.filter(company=company, subject_key=key).exclude(status=CaseStatus.CLOSED).first()
    if existing is not None or found is None:
        return existing, False
    try:
        with transaction.atomic():
            case = services.case_create(
                company=company,
                user=user,
                title=found.title[:200],
                body=found.body,
                kind=CaseKind.TAX_DIFFERENCE,
                due_date=next_due_date(timezone.localdate()),
                subject_key=key,
                request=request,
            )
    except IntegrityError:  # the same click twice at once: the other one opened it
        return Case.objects.filter(company=company, subject_key=key).exclude(
            status=CaseStatus.CLOSED
        ).first(), False
    return case, True


def _key_day(key: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(key.removeprefix(PREFIX).split(":")[1])
    except (IndexError, ValueError):
        return None


def resolved_cases_close(*, company: Company, analyses: list[TaxAccountAnalysis]) -> list[Case]:
    """Close the open difference cases whose difference the checks no longer find (only those
    about a day the recomputed checks cover)."""
    found = {d.key for analysis in analyses for d in differences_of(analysis)}
    windows = [(a.fiscal_year.start, a.until) for a in analyses]
    closed = []
    open_cases = Case.objects.filter(
        company=company, kind=CaseKind.TAX_DIFFERENCE, subject_key__startswith=PREFIX
    ).exclude(status=CaseStatus.CLOSED)
    for case in open_cases:
        day = _key_day(case.subject_key)
        if case.subject_key in found or day is None or not any(s <= day <= e for s, e in windows):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Closed automatically: the tax checks of %(day)s no longer find this difference.") % {
                "day": timezone.localdate().isoformat()
            }
        closed.append(services.case_close(case=case, user=None, note=note))
    return closed


def on_tax_checks_computed(sender: Any, *, company: Company, analyses: list[Any], **kwargs: Any) -> None:
    resolved_cases_close(company=company, analyses=analyses)
