"""Correcting a published tax-payment month: the firm republishes it with new amounts.

The corrected PDF is filed as a new version and the one sent before stays in the archive,
marked as replaced. The month's open payment case follows the new amount and due date (never a
second case), and each client user is told once, by the corrected document's notification.
Under the company's row lock, like publishing: two identical corrections at once make one new
version (the second finds the month already says that and files nothing)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.cases.models import CaseStatus
from ledgerport.cases.services import case_close, case_revise
from ledgerport.core.write_lock import write_transaction
from ledgerport.documents.archive import archive_entry_replace
from ledgerport.documents.archive_folders import Area, Folder
from ledgerport.tenancy.models import Company

from . import selectors
from .drafts import Draft, is_swedish, month_name
from .models import TaxPaymentSummary
from .pdf import kronor, summary_pdf
from .services import PublishRefused, _file, _lock, case_body, payment_case_open

if TYPE_CHECKING:
    from ledgerport.identity.models import User


def _lines(draft: Draft) -> list[dict[str, str]]:
    return [{"text": line.text, "amount": str(line.amount)} for line in draft.lines]


def _unchanged(summary: TaxPaymentSummary, draft: Draft) -> bool:
    return (
        summary.amount == draft.amount
        and summary.due_date == draft.due_date
        and summary.ocr == draft.ocr
        and summary.lines == _lines(draft)
    )


def _message(company: Company, draft: Draft) -> dict[str, object]:
    """The one notification of a correction, translated for each recipient when shown."""
    amount: Decimal = draft.amount
    args = {
        "amount": kronor(abs(amount)),
        "company": company.name,
        "month": f"{draft.month:%Y-%m}",
        "due": draft.due_date.isoformat(),
    }
    if amount > 0:
        message = gettext_noop(
            "Corrected tax payment %(month)s for %(company)s: pay %(amount)s kr by %(due)s."
        )
    elif amount < 0:
        message = gettext_noop(
            "Corrected tax payment %(month)s for %(company)s: the Tax Agency pays back %(amount)s kr."
        )
    else:
        message = gettext_noop("Corrected tax payment %(month)s for %(company)s: nothing to pay.")
    return {"message": message, "message_args": args}


def tax_payment_correct(
    *, company: Company, user: User, draft: Draft, request: HttpRequest | None = None
) -> tuple[TaxPaymentSummary, bool]:
    """Republish a published month with `draft`'s amounts: (summary, True) with a new version
    filed, or (summary, False) when the month already says exactly this (nothing filed).
    `PublishRefused` when the month was never published."""
    if not is_swedish(company):
        raise PublishRefused(_("Tax-payment summaries are for Swedish companies (the Swedish Tax Agency)."))
    due = draft.due_date
    with write_transaction():
        _lock(company)
        summary = selectors.summary_of(company=company, month=draft.month)
        if summary is None:
            raise PublishRefused(
                _("The tax payment for %(month)s is not published yet.") % {"month": month_name(draft.month)}
            )
        if _unchanged(summary, draft):
            return summary, False
        version = summary.version + 1
        entry = _file(
            company=company,
            user=user,
            folder=Folder(due.year, Area.TAX, due.month),
            name=_("Tax payment %(month)s (version %(version)d).pdf")
            % {"month": f"{draft.month:%Y-%m}", "version": version},
            content=summary_pdf(company, draft, version=version),
            **_message(company, draft),  # type: ignore[arg-type]
        )
        archive_entry_replace(old=summary.entry, new=entry)
        case = summary.case
        note = _("Corrected (version %(version)d): %(amount)s kr, due %(due)s.") % {
            "version": version,
            "amount": kronor(draft.amount),
            "due": due.isoformat(),
        }
        if case is not None and case.status != CaseStatus.CLOSED:
            if draft.amount > 0:
                case_revise(
                    case=case, user=user, body=case_body(draft), due_date=due, note=note, request=request
                )
            else:  # nothing to pay any more: the payment case ends, without reminders
                case_close(case=case, user=user, note=note, request=request)
        elif draft.amount > 0:
            # A refund month corrected to a payment (or its case closed meanwhile): it opens now.
            case = payment_case_open(company=company, user=user, draft=draft, request=request)
        TaxPaymentSummary.objects.filter(pk=summary.pk).update(
            due_date=due,
            amount=draft.amount,
            ocr=draft.ocr,
            source=draft.source,
            lines=_lines(draft),
            entry=entry,
            case=case,
            version=version,
            corrected_at=timezone.now(),
        )
        audit_record(request=request, action=Action.UPLOAD, company=company, target=entry.document, user=user)
    summary.refresh_from_db()
    return summary, True
