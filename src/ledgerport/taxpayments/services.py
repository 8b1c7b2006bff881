"""Publishing into the client's archive: a month's tax-payment summary (with its case) and a
month's balance and income report. Each is one transaction under the company's row lock, so two
publishings of one month at once file one document."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ledgerport.analysis import reports
from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.cases.models import Case, CaseKind
from ledgerport.cases.recipients import client_users
from ledgerport.cases.services import case_create
from ledgerport.core.write_lock import write_transaction
from ledgerport.documents.archive import archive_file
from ledgerport.documents.archive_folders import Area, Folder
from ledgerport.documents.models import ArchiveEntry
from ledgerport.documents.upload_checks import CheckedFile
from ledgerport.portal.notifications import batch_notify
from ledgerport.tenancy.models import Company

from . import selectors
from .drafts import Draft, is_swedish, month_name
from .models import ReportPublication, TaxPaymentSummary
from .pdf import kronor, report_pdf, summary_pdf

if TYPE_CHECKING:
    from ledgerport.identity.models import User

PDF = "application/pdf"


class PublishRefused(Exception):
    """Nothing was published; the message says why."""


def _lock(company: Company) -> None:
    Company.objects.select_for_update().filter(pk=company.pk).values_list("pk").first()


def _file(
    *,
    company: Company,
    user: User,
    folder: Folder,
    name: str,
    content: bytes,
    message: str = "",
    message_args: dict[str, str] | None = None,
) -> ArchiveEntry:
    batch = archive_file(
        company=company,
        user=user,
        folder=folder,
        files=[CheckedFile(name=name, content_type=PDF, content=content)],
        by_client=False,
    )
    batch_notify(batch=batch, count=1, message=message, message_args=message_args)
    return batch.entries.get()


def subject_key(company: Company, month: date) -> str:
    return f"tax_payment:{company.pk}:{month:%Y-%m}"


def case_title(draft: Draft) -> str:
    return _("Tax payment %(month)s") % {"month": month_name(draft.month)}


def case_body(draft: Draft) -> str:
    """What the payment case asks: the amount, where to pay it, by when, and what it concerns."""
    amount = draft.amount
    body = (
        _("Pay %(amount)s kr to the Tax Agency's bankgiro %(bankgiro)s with OCR number %(ocr)s by %(due)s.")
        if amount > 0
        else _("Nothing to pay: %(amount)s kr comes back to you from the Tax Agency.")
    ) % {
        "amount": kronor(abs(amount)),
        "bankgiro": "5050-1055",
        "ocr": draft.ocr,
        "due": draft.due_date.isoformat(),
    }
    return body + "\n" + "\n".join(f"{line.text}: {kronor(line.amount)} kr" for line in draft.lines)


def payment_case_open(*, company: Company, user: User, draft: Draft, request: HttpRequest | None) -> Case:
    """The TAX_PAYMENT case due on the payment's due date, for the client users (reminded)."""
    return case_create(
        company=company,
        user=user,
        title=case_title(draft),
        body=case_body(draft),
        kind=CaseKind.TAX_PAYMENT,
        due_date=draft.due_date,
        recipients=client_users(company.pk),
        subject_key=subject_key(company, draft.month),
        request=request,
    )


def information(company: Company, draft: Draft) -> dict[str, Any]:
    """A month with nothing to pay is published for information only (no case, no reminders):
    the notification itself says so, in each recipient's language. A month to pay says nothing
    more: its case asks for the payment."""
    if draft.amount > 0:
        return {}
    args = {"amount": kronor(abs(draft.amount)), "company": company.name, "month": f"{draft.month:%Y-%m}"}
    if draft.amount < 0:
        message = gettext_noop(
            "The Tax Agency pays back %(amount)s kr to %(company)s (tax payment %(month)s)."
        )
    else:
        message = gettext_noop("Nothing to pay to the Tax Agency for %(month)s (%(company)s).")
    return {"message": message, "message_args": args}


def tax_payment_publish(
    *, company: Company, user: User, draft: Draft, request: HttpRequest | None = None
) -> TaxPaymentSummary:
    """File the summary's PDF under Dokument › year › Tax Agency › the month the amount is due,
    tell the client users and open a TAX_PAYMENT case due that day (its reminders ask them to
    pay). A month is published once: `PublishRefused` the second time."""
    if not is_swedish(company):
        raise PublishRefused(_("Tax-payment summaries are for Swedish companies (the Swedish Tax Agency)."))
    content = summary_pdf(company, draft)
    due = draft.due_date
    with write_transaction():
        _lock(company)
        if selectors.summary_exists(company=company, month=draft.month):
            raise PublishRefused(
                _("The tax payment for %(month)s is already published.") % {"month": month_name(draft.month)}
            )
        amount = draft.amount
        entry = _file(
            company=company,
            user=user,
            folder=Folder(due.year, Area.TAX, due.month),
            name=_("Tax payment %(month)s.pdf") % {"month": f"{draft.month:%Y-%m}"},
            content=content,
            **information(company, draft),
        )
        case = (
            payment_case_open(company=company, user=user, draft=draft, request=request)
            if amount > 0
            else None
        )
        summary = TaxPaymentSummary.objects.create(
            company=company,
            month=draft.month,
            due_date=due,
            amount=amount,
            ocr=draft.ocr,
            source=draft.source,
            lines=[{"text": line.text, "amount": str(line.amount)} for line in draft.lines],
            entry=entry,
            case=case,
            created_by=user,
        )
        audit_record(request=request, action=Action.UPLOAD, company=company, target=entry.document, user=user)
    return summary


def report_month(company: Company, month: date) -> date:
    """The folder month of a report: the month itself, or for a quarterly filer (the recorded
    `TaxProfile`) the quarter's last month."""
    month = month.replace(day=1)
    if selectors.files_quarterly(company=company):
        return month.replace(month=(month.month + 2) // 3 * 3)
    return month


def report_publish(
    *, company: Company, user: User, month: date, request: HttpRequest | None = None
) -> tuple[ReportPublication, bool]:
    """Generate the balance and income report of `month` (the quarter's last month for quarterly
    filers) from the ledger and file it under Dokument › year › Rapporter › that month. The same
    report published again (at once, or later with unchanged books) files nothing: (publication,
    False). Books changed since: a new version is filed and the publication points to it."""
    month = report_month(company, month)
    fiscal_year = selectors.fiscal_year_of(company=company, day=month)
    if fiscal_year is None:
        raise PublishRefused(_("No loaded fiscal year covers %(month)s.") % {"month": month_name(month)})
    period = month.year * 100 + month.month
    statements = [
        reports.report(fiscal_year, kind, period).statement for kind in (reports.BALANCE, reports.INCOME)
    ]
    return report_file(
        company=company,
        user=user,
        month=month,
        content=report_pdf(company, month, statements),
        request=request,
    )


def report_file(
    *, company: Company, user: User, month: date, content: bytes, request: HttpRequest | None = None
) -> tuple[ReportPublication, bool]:
    """File a month's report PDF (`month` already the folder month) as its publication, unless
    the same bytes are published already. `report_publish` generates it from the ledger; the
    demo, which has no books, files its own."""
    sha256 = hashlib.sha256(content).hexdigest()
    with write_transaction():
        _lock(company)
        existing = selectors.report_publication(company=company, month=month)
        if existing is not None and existing.sha256 == sha256:
            return existing, False
        entry = _file(
            company=company,
            user=user,
            folder=Folder(month.year, Area.REPORTS, month.month),
            name=_("Balance and income report %(month)s.pdf") % {"month": f"{month:%Y-%m}"},
            content=content,
        )
        publication, _created = ReportPublication.objects.update_or_create(
            company=company,
            month=month,
            defaults={"sha256": sha256, "entry": entry, "published_by": user},
        )
        audit_record(request=request, action=Action.UPLOAD, company=company, target=entry.document, user=user)
    return publication, True
